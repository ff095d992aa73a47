import { scopeFor } from '../../auth/index.js';
import { createCallRepo, createTeamRepo, type CallScope, type Queryable, type User } from '../../store/index.js';
import type { CallDirectory, LiveCall } from './call-directory.js';

/** Roles that may open the supervisor socket. */
export const SUPERVISOR_ROLES: readonly User['role'][] = ['supervisor', 'admin'];

export interface Viewer {
  readonly user: User;
  readonly scope: CallScope;
  /** Whether the live call list shows this call (in-memory: runs on every list change). */
  sees(call: LiveCall): boolean;
  /** The live call if this viewer may subscribe to or monitor it: the stored row checked within the user's scope, like GET /api/calls/:id. */
  authorize(callId: string): Promise<LiveCall | undefined>;
  /** Re-reads the teams a supervisor supervises (called periodically). */
  refresh(): Promise<void>;
}

/**
 * What one supervisor socket may see, by the same scope as the calls API (auth's scopeFor): admins every call,
 * supervisors the calls of agents in the teams they supervise.
 */
export async function createViewer(db: Queryable, directory: CallDirectory, user: User): Promise<Viewer> {
  const scope = scopeFor(user);
  const calls = createCallRepo(db);
  const teams = createTeamRepo(db);
  let teamIds = new Set<string>();
  const refresh = async () => {
    if (scope.kind === 'supervised-teams') teamIds = new Set(await teams.supervisedTeamIds(scope.supervisorId));
  };
  await refresh();
  return {
    user, scope, refresh,
    sees(call) {
      switch (scope.kind) {
        case 'all': return true;
        case 'supervised-teams': return call.resolved && !!call.agent?.teamId && teamIds.has(call.agent.teamId);
        case 'own-agent':
        case 'none':
          return false;
      }
    },
    async authorize(callId) {
      if (scope.kind === 'none' || scope.kind === 'own-agent') return undefined;
      const call = await directory.resolved(callId);
      if (!call) return undefined;
      return (await calls.get(callId, scope)) ? call : undefined;
    },
  };
}
