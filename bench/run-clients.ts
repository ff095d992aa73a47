import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ClientRun<T> {
  /** The last JSON line the client process printed. */
  clients: T;
  wallS: number;
  /** This process's CPU (the server's) while the clients ran. */
  cpuS: number;
  peakLive: number;
  /** Event-loop delay, ms. */
  loop: { p50: number; p99: number; max: number };
}

/**
 * Runs a benchmark's simulated platform (`script`, a tsx file printing one JSON line) as a child process, so its CPU
 * is not counted as the server's, and measures this process meanwhile: wall time, CPU, event-loop delay, peak live calls.
 */
export async function runClients<T>(script: string, env: Record<string, string>, liveCalls: () => number): Promise<ClientRun<T>> {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const child = spawn('node_modules/.bin/tsx', [script], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  let peakLive = 0;
  const sampler = setInterval(() => { peakLive = Math.max(peakLive, liveCalls()); }, 250);
  await new Promise((resolve) => child.on('exit', resolve));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  loop.disable();
  return {
    clients: JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T,
    wallS, cpuS: (cpu.user + cpu.system) / 1e6, peakLive,
    loop: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
  };
}
