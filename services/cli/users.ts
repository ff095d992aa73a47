/**
 * User accounts from the command line — how the first admin is made outside demo mode.
 *
 *   npm run users -- create --username alice --role admin --name "Alice Smith" [--password …]
 *   npm run users -- list [--json]
 *   npm run users -- set-password --username alice [--password …]
 *   npm run users -- disable --username alice      (enable likewise)
 *
 * The password comes from --password, else CALLSIGHT_PASSWORD, else stdin when piped, else a hidden prompt.
 * Uses the server's configuration (DATABASE_URL, or PGlite in DATA_DIR: stop the server first, PGlite is single-process).
 */
import { parseArgs } from 'node:util';
import { createAccount, setAccountDisabled, setAccountPassword } from '../auth/index.js';
import { loadConfig } from '../config/index.js';
import { AppError, NotFoundError } from '../core/index.js';
import { createStore, migrate, openDb, ROLES, type Db, type Role } from '../store/index.js';

const USAGE = `usage: npm run users -- <command> [options]
  create --username NAME --role ${ROLES.join('|')} [--name "Display Name"] [--password PW]
  list [--json]
  set-password --username NAME [--password PW]
  disable --username NAME
  enable --username NAME
password: --password, else $CALLSIGHT_PASSWORD, else stdin (piped), else prompted`;

class UsageError extends Error {}

const COMMANDS = ['create', 'list', 'set-password', 'disable', 'enable'];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { stdin, stderr } = process;
    let value = '';
    stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err); else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPassword(flag: string | undefined): Promise<string> {
  if (flag) return flag;
  if (process.env.CALLSIGHT_PASSWORD) return process.env.CALLSIGHT_PASSWORD;
  if (!process.stdin.isTTY) return readStdin();
  const first = await promptHidden('password: ');
  if ((await promptHidden('again: ')) !== first) throw new UsageError('the passwords differ');
  return first;
}

function need(value: string | undefined, option: string): string {
  if (!value) throw new UsageError(`missing --${option}`);
  return value;
}

async function userId(db: Db, username: string): Promise<string> {
  const user = await createStore(db).users.findByUsername(username);
  if (!user) throw new NotFoundError(`user ${username}`);
  return user.id;
}

async function run(db: Db, command: string, v: Record<string, string | boolean | undefined>): Promise<void> {
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const audit = (action: string, id: string, details: Record<string, unknown>) =>
    createStore(db).audit.append({ actorId: null, action, targetType: 'user', targetId: id, details: { ...details, via: 'cli' } });
  switch (command) {
    case 'create': {
      const username = need(str('username'), 'username');
      const role = need(str('role'), 'role') as Role;
      if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const user = await createAccount(db, { username, role, displayName: str('name') ?? username, password: await readPassword(str('password')) });
      await audit('user.created', user.id, { username: user.username, role: user.role });
      console.log(`created ${user.role} ${user.username} (${user.id})`);
      return;
    }
    case 'list': {
      const users = await createStore(db).users.list();
      if (v.json) { console.log(JSON.stringify(users, null, 2)); return; }
      for (const u of users) console.log([u.username.padEnd(20), u.role.padEnd(11), (u.disabled ? 'disabled' : 'active').padEnd(9), u.displayName].join(' '));
      return;
    }
    case 'set-password': {
      const id = await userId(db, need(str('username'), 'username'));
      const user = await setAccountPassword(db, id, await readPassword(str('password')));
      await audit('user.password_set', id, { username: user.username });
      console.log(`password set for ${user.username}; their sessions were ended`);
      return;
    }
    case 'disable':
    case 'enable': {
      const id = await userId(db, need(str('username'), 'username'));
      const user = await setAccountDisabled(db, id, command === 'disable');
      await audit(command === 'disable' ? 'user.disabled' : 'user.enabled', id, { username: user.username });
      console.log(`${command}d ${user.username}`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'missing command');
  }
}

async function main(argv: string[]): Promise<number> {
  let db: Db | undefined;
  try {
    const { positionals, values } = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' },
        json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) { console.log(USAGE); return 0; }
    const command = positionals[0] ?? '';
    if (!COMMANDS.includes(command)) throw new UsageError(command ? `unknown command ${command}` : 'missing command');
    const config = loadConfig();
    db = await openDb(config);
    await migrate(db);
    await run(db, command, values);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof AppError) { console.error(err.message); return 1; }
    throw err;
  } finally {
    await db?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
