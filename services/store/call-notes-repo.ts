import { isUuid, toNumber, type Queryable } from './rows.js';

/** A coaching note at a moment of a call (`atMs`, ms from its start). */
export interface CallNote {
  id: string;
  callId: string;
  atMs: number;
  text: string;
  /** Null when the author's account is gone. */
  author: { id: string; username: string; displayName: string } | null;
  createdAt: Date;
}

export interface NewCallNote {
  callId: string;
  authorId: string;
  atMs: number;
  text: string;
}

interface Row {
  id: string; call_id: string; at_ms: number | string; text: string; author_id: string | null;
  author_username: string | null; author_display_name: string | null; created_at: Date;
}

const SELECT = `select n.id, n.call_id, n.at_ms, n.text, n.author_id, u.username as author_username, u.display_name as author_display_name, n.created_at
  from call_notes n left join users u on u.id = n.author_id`;

const toNote = (r: Row): CallNote => ({
  id: r.id, callId: r.call_id, atMs: toNumber(r.at_ms), text: r.text, createdAt: r.created_at,
  author: r.author_id ? { id: r.author_id, username: r.author_username ?? '', displayName: r.author_display_name ?? '' } : null,
});

/** Call notes. Callers check the call is within the user's scope first: the repository does not scope. */
export function createCallNoteRepo(db: Queryable) {
  const get = async (id: string): Promise<CallNote | undefined> => {
    if (!isUuid(id)) return undefined;
    const [row] = await db.query<Row>(`${SELECT} where n.id = $1`, [id]);
    return row ? toNote(row) : undefined;
  };
  return {
    get,
    async insert(n: NewCallNote): Promise<CallNote> {
      const [row] = await db.query<{ id: string }>(
        'insert into call_notes (call_id, author_id, at_ms, text) values ($1, $2, $3, $4) returning id',
        [n.callId, n.authorId, n.atMs, n.text],
      );
      return (await get(row.id)) as CallNote;
    },
    /** The notes of a call in call-time order (then oldest first). */
    async list(callId: string): Promise<CallNote[]> {
      return (await db.query<Row>(`${SELECT} where n.call_id = $1 order by n.at_ms, n.created_at, n.id`, [callId])).map(toNote);
    },
    /** False when there was no such note on that call. */
    async delete(id: string, callId: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      return (await db.query('delete from call_notes where id = $1 and call_id = $2 returning id', [id, callId])).length > 0;
    },
  };
}

export type CallNoteRepo = ReturnType<typeof createCallNoteRepo>;
