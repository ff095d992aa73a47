import type { Queryable } from './rows.js';

export type Role = 'admin' | 'trainer' | 'qa' | 'supervisor' | 'agent';
export const ROLES: readonly Role[] = ['admin', 'trainer', 'qa', 'supervisor', 'agent'];

/** A stored password hash (made by auth's `hashPassword`); the brand keeps a plain password from being stored by mistake. */
export type PasswordHash = string & { readonly __brand: 'PasswordHash' };

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: PasswordHash;
}

interface Row { id: string; username: string; display_name: string; role: Role; disabled: boolean; created_at: Date }
const COLUMNS = 'id, username, display_name, role, disabled, created_at';
const toUser = (r: Row): User => ({
  id: r.id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled, createdAt: r.created_at,
});

/** Usernames are stored and matched lower-case and trimmed. */
export const normalizeUsername = (username: string): string => username.trim().toLowerCase();

export function createUserRepo(db: Queryable) {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<Row>(sql, params);
    return row ? toUser(row) : undefined;
  };
  return {
    /** Inserts a user; undefined when the username is taken. */
    create(u: NewUser): Promise<User | undefined> {
      return one(
        `insert into users (username, display_name, password_hash, role) values ($1, $2, $3, $4)
         on conflict (username) do nothing returning ${COLUMNS}`,
        [normalizeUsername(u.username), u.displayName, u.passwordHash, u.role],
      );
    },
    findById(id: string): Promise<User | undefined> {
      return one(`select ${COLUMNS} from users where id = $1`, [id]);
    },
    findByUsername(username: string): Promise<User | undefined> {
      return one(`select ${COLUMNS} from users where username = $1`, [normalizeUsername(username)]);
    },
    /** The user and their password hash, for login only. */
    async findCredentials(username: string): Promise<{ user: User; passwordHash: PasswordHash } | undefined> {
      const [row] = await db.query<Row & { password_hash: PasswordHash }>(
        `select ${COLUMNS}, password_hash from users where username = $1`, [normalizeUsername(username)],
      );
      return row ? { user: toUser(row), passwordHash: row.password_hash } : undefined;
    },
    async list(opts: { role?: Role } = {}): Promise<User[]> {
      const rows = opts.role
        ? await db.query<Row>(`select ${COLUMNS} from users where role = $1 order by username`, [opts.role])
        : await db.query<Row>(`select ${COLUMNS} from users order by username`);
      return rows.map(toUser);
    },
    setDisabled(id: string, disabled: boolean): Promise<User | undefined> {
      return one(`update users set disabled = $2 where id = $1 returning ${COLUMNS}`, [id, disabled]);
    },
    setRole(id: string, role: Role): Promise<User | undefined> {
      return one(`update users set role = $2 where id = $1 returning ${COLUMNS}`, [id, role]);
    },
    setDisplayName(id: string, displayName: string): Promise<User | undefined> {
      return one(`update users set display_name = $2 where id = $1 returning ${COLUMNS}`, [id, displayName]);
    },
    setPassword(id: string, passwordHash: PasswordHash): Promise<User | undefined> {
      return one(`update users set password_hash = $2 where id = $1 returning ${COLUMNS}`, [id, passwordHash]);
    },
    /** Enabled admins other than `exceptId` (guards against locking every admin out). */
    async countActiveAdmins(exceptId?: string): Promise<number> {
      const [row] = await db.query<{ n: number }>(
        `select count(*)::int as n from users where role = 'admin' and not disabled and id <> coalesce($1::uuid, '00000000-0000-0000-0000-000000000000'::uuid)`,
        [exceptId ?? null],
      );
      return row.n;
    },
  };
}

export type UserRepo = ReturnType<typeof createUserRepo>;
