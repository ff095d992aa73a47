import type { Queryable } from './rows.js';
import type { Role, User } from './users-repo.js';

/** A login session as stored: only the hash of its token is kept. */
export interface StoredSession {
  tokenHash: string;
  csrfToken: string;
  expiresAt: Date;
  user: User;
}

interface Row {
  token_hash: string; csrf_token: string; expires_at: Date;
  id: string; username: string; display_name: string; role: Role; disabled: boolean; created_at: Date;
}

export function createSessionRepo(db: Queryable) {
  return {
    async create(s: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
      await db.query('insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)',
        [s.tokenHash, s.userId, s.csrfToken, s.expiresAt]);
    },
    /** The unexpired session with this token hash whose user is still enabled. */
    async findActive(tokenHash: string): Promise<StoredSession | undefined> {
      const [r] = await db.query<Row>(
        `select s.token_hash, s.csrf_token, s.expires_at, u.id, u.username, u.display_name, u.role, u.disabled, u.created_at
         from sessions s join users u on u.id = s.user_id
         where s.token_hash = $1 and s.expires_at > now() and not u.disabled`,
        [tokenHash],
      );
      if (!r) return undefined;
      return {
        tokenHash: r.token_hash, csrfToken: r.csrf_token, expiresAt: r.expires_at,
        user: { id: r.id, username: r.username, displayName: r.display_name, role: r.role, disabled: r.disabled, createdAt: r.created_at },
      };
    },
    async delete(tokenHash: string): Promise<void> {
      await db.query('delete from sessions where token_hash = $1', [tokenHash]);
    },
    /** Ends every session of a user (disabled, password changed, role changed). */
    async deleteForUser(userId: string): Promise<number> {
      return (await db.query('delete from sessions where user_id = $1 returning token_hash', [userId])).length;
    },
    async purgeExpired(): Promise<number> {
      return (await db.query('delete from sessions where expires_at <= now() returning token_hash')).length;
    },
  };
}

export type SessionRepo = ReturnType<typeof createSessionRepo>;
