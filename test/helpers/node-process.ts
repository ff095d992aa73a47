import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NodeProcess {
  name: string;
  url: string;
  wsUrl: string;
  child: ChildProcess;
  /** Everything the process printed so far (its JSON log lines). */
  output(): string;
  /** CPU seconds the process used so far (Linux /proc). */
  cpuSeconds(): number;
  /** SIGTERM (a clean shutdown) or SIGKILL (a crash); removes its data directory. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A server node as a deployment runs it (`npm run serve`): its own process, data directory and NODE_ID, the shared
 * services (DATABASE_URL, REDIS_URL) in `env`. Resolves when it listens.
 */
export async function startNodeProcess(name: string, env: Record<string, string>): Promise<NodeProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `callsight-node-${name}-`));
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/server/main.ts'], {
    env: { ...process.env, DEMO: 'false', SPEECH_ENABLED: 'false', ...env, NODE_ID: name, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${name} did not start:\n${out.slice(-3000)}`)), 60_000);
    const check = () => {
      const m = /"url":"(http:\/\/[^"]+)".*callsight listening/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node ${name} exited with ${code}:\n${out.slice(-3000)}`)); });
  });
  return {
    name, url, wsUrl: url.replace(/^http/, 'ws'), child,
    output: () => out,
    cpuSeconds() {
      // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
