import type { Context } from 'hono';
import { currentUser, type AuthEnv } from '../../auth/index.js';
import { createAuditRepo, type Queryable } from '../../store/index.js';

/** Appends an audit entry for the authenticated user's action. `details` must not hold secrets (they are scrubbed anyway). */
export async function auditAction(
  db: Queryable, c: Context<AuthEnv>, action: string, target: { type: string; id: string }, details: Record<string, unknown> = {},
): Promise<void> {
  await createAuditRepo(db).append({ actorId: currentUser(c).id, action, targetType: target.type, targetId: target.id, details });
}
