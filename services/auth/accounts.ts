import { ConflictError, NotFoundError, ValidationError } from '../core/index.js';
import { createSessionRepo, createUserRepo, normalizeUsername, ROLES, type Queryable, type Role, type User } from '../store/index.js';
import { hashPassword, passwordProblem } from './passwords.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

function checkRole(role: string): asserts role is Role {
  if (!ROLES.includes(role as Role)) throw new ValidationError(`role must be one of ${ROLES.join(', ')}`, 'role');
}

function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError(problem, 'password');
}

async function mustExist(user: Promise<User | undefined>): Promise<User> {
  const u = await user;
  if (!u) throw new NotFoundError('user');
  return u;
}

/** Refuses to disable or demote the last enabled admin (nobody could administer the system any more). */
async function guardLastAdmin(db: Queryable, user: User): Promise<void> {
  if (user.role === 'admin' && !user.disabled && (await createUserRepo(db).countActiveAdmins(user.id)) === 0) {
    throw new ConflictError('this is the last enabled admin: create or enable another admin first');
  }
}

/** Creates a user account under the password policy (the only way accounts are made: API, CLI, demo seed). */
export async function createAccount(db: Queryable, input: NewAccount): Promise<User> {
  const username = normalizeUsername(input.username);
  if (!USERNAME_PATTERN.test(username)) {
    throw new ValidationError('username must be 1-64 characters: letters, digits, dot, dash, underscore or @', 'username');
  }
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 200) throw new ValidationError('display name must be 1-200 characters', 'displayName');
  checkRole(input.role);
  checkPassword(input.password);
  const user = await createUserRepo(db).create({ username, displayName, role: input.role, passwordHash: await hashPassword(input.password) });
  if (!user) throw new ConflictError(`username ${username} is already taken`);
  return user;
}

/** Sets a new password and ends the user's sessions. */
export async function setAccountPassword(db: Queryable, userId: string, password: string): Promise<User> {
  checkPassword(password);
  const user = await mustExist(createUserRepo(db).setPassword(userId, await hashPassword(password)));
  await createSessionRepo(db).deleteForUser(userId);
  return user;
}

/** Disables (ending every session) or re-enables an account. */
export async function setAccountDisabled(db: Queryable, userId: string, disabled: boolean): Promise<User> {
  const users = createUserRepo(db);
  const current = await mustExist(users.findById(userId));
  if (disabled) await guardLastAdmin(db, current);
  const user = await mustExist(users.setDisabled(userId, disabled));
  if (disabled) await createSessionRepo(db).deleteForUser(userId);
  return user;
}

/** Changes a role; takes effect on the user's next request (sessions read the user afresh). */
export async function setAccountRole(db: Queryable, userId: string, role: Role): Promise<User> {
  checkRole(role);
  const users = createUserRepo(db);
  const current = await mustExist(users.findById(userId));
  if (role !== 'admin') await guardLastAdmin(db, current);
  return mustExist(users.setRole(userId, role));
}
