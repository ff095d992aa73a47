import type { CallScope, User } from '../store/index.js';

/** What `user` may see: admin, QA and trainers everything; supervisors their teams' agents; agents their own calls. */
export function scopeFor(user: User): CallScope {
  if (user.disabled) return { kind: 'none' };
  switch (user.role) {
    case 'admin':
    case 'qa':
    case 'trainer':
      return { kind: 'all' };
    case 'supervisor':
      return { kind: 'supervised-teams', supervisorId: user.id };
    case 'agent':
      return { kind: 'own-agent', userId: user.id };
  }
}
