import type { Queryable } from './rows.js';

export interface Queue {
  id: string;
  name: string;
  department: string;
  createdAt: Date;
}

interface Row { id: string; name: string; department: string; created_at: Date }
const COLUMNS = 'id, name, department, created_at';
const toQueue = (r: Row): Queue => ({ id: r.id, name: r.name, department: r.department, createdAt: r.created_at });

export function createQueueRepo(db: Queryable) {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<Row>(sql, params);
    return row ? toQueue(row) : undefined;
  };
  return {
    /** The queue with this name, created on first sight (department defaults to 'support'); an existing department is kept. */
    async findOrCreate(name: string, department?: string): Promise<Queue> {
      const queue = await one(
        `insert into queues (name, department) values ($1, coalesce($2, 'support'))
         on conflict (name) do update set name = excluded.name returning ${COLUMNS}`,
        [name, department ?? null],
      );
      return queue as Queue;
    },
    /** Creates a queue; undefined when the name is taken. */
    create(name: string, department: string): Promise<Queue | undefined> {
      return one(`insert into queues (name, department) values ($1, $2) on conflict (name) do nothing returning ${COLUMNS}`, [name, department]);
    },
    get(id: string): Promise<Queue | undefined> {
      return one(`select ${COLUMNS} from queues where id = $1`, [id]);
    },
    findByName(name: string): Promise<Queue | undefined> {
      return one(`select ${COLUMNS} from queues where name = $1`, [name]);
    },
    setDepartment(id: string, department: string): Promise<Queue | undefined> {
      return one(`update queues set department = $2 where id = $1 returning ${COLUMNS}`, [id, department]);
    },
    async list(): Promise<Queue[]> {
      return (await db.query<Row>(`select ${COLUMNS} from queues order by name`)).map(toQueue);
    },
  };
}

export type QueueRepo = ReturnType<typeof createQueueRepo>;
