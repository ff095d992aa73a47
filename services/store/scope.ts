import type { Where } from './rows.js';

/**
 * Which calls (and call-derived rows) a viewer may see: everything, the calls of agents in the teams a
 * supervisor supervises, or the calls of the agent linked to a user. Built from a user by auth's `scopeFor`.
 */
export type CallScope =
  | { kind: 'all' }
  | { kind: 'supervised-teams'; supervisorId: string }
  | { kind: 'own-agent'; userId: string }
  | { kind: 'none' };

/** The SQL condition restricting rows joined to `agents` under `agentAlias` to `scope`, or undefined for all. */
export function scopeCondition(scope: CallScope, agentAlias: string, where: Where): string | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'supervised-teams':
      return `${agentAlias}.team_id in (select team_id from team_supervisors where user_id = ${where.param(scope.supervisorId)})`;
    case 'own-agent':
      return `${agentAlias}.user_id = ${where.param(scope.userId)}`;
    case 'none':
      return 'false';
  }
}
