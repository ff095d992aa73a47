import { createAgentRepo } from './agents-repo.js';
import { createAuditRepo } from './audit-repo.js';
import { createCallRepo } from './calls-repo.js';
import { createQueueRepo } from './queues-repo.js';
import type { Queryable } from './rows.js';
import { createSessionRepo } from './sessions-repo.js';
import { createTeamRepo } from './teams-repo.js';
import { createTranscriptRepo } from './transcripts-repo.js';
import { createUserRepo } from './users-repo.js';

/** Every repository over one database (or one transaction). Repositories are stateless: create them freely. */
export function createStore(db: Queryable) {
  return {
    users: createUserRepo(db),
    teams: createTeamRepo(db),
    agents: createAgentRepo(db),
    queues: createQueueRepo(db),
    calls: createCallRepo(db),
    audit: createAuditRepo(db),
    sessions: createSessionRepo(db),
    transcripts: createTranscriptRepo(db),
  };
}

export type Store = ReturnType<typeof createStore>;
