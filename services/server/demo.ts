import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { simulateCall, type SimulateCallOptions } from '../cli/sim/index.js';
import type { Logger } from '../core/index.js';
import type { DemoSeed } from './demo-seed.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/calls/', import.meta.url));
/** Demo agents the calls are spread over, so the demo supervisor (team Support A) and agent user see calls. */
const AGENTS: Record<string, string[]> = { support: ['agent-1001', 'agent-1002'], sales: ['agent-2001'] };

interface FixtureCall {
  name: string;
  direction: 'inbound' | 'outbound';
  queue: string;
  language: string;
  customerNumber: string;
  files: { pcm16k: string; ulaw8k: string };
}

function loadFixtures(dir: string): FixtureCall[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as FixtureCall);
}

/** Prints the demo credentials for a newcomer (to stdout, not the log: they are public demo passwords). */
export function printDemoBanner(url: string, seed: DemoSeed): void {
  const users = seed.users.map((u) => `    ${u.role.padEnd(11)} ${u.username} / ${u.password}`).join('\n');
  process.stdout.write(`\n  Callsight demo is running at ${url}\n\n  Demo users (role, username / password):\n${users}\n\n`
    + `  Tap API key: ${seed.tapKey.apiKey}\n  Simulated calls stream in continuously; see ${url}/api/calls (log in first).\n\n`);
}

/**
 * Streams the fixture calls into the server one after another, two at a time, at real-time pace and for ever
 * (until `stop`): mostly over the native protocol at 16 kHz (transcribable), every third over Twilio or AudioHook.
 */
export function startDemoCalls(opts: { wsUrl: string; apiKey: string; log: Logger; concurrent?: number; dir?: string }): { stop(): Promise<void> } {
  const fixtures = loadFixtures(opts.dir ?? FIXTURES);
  const controller = new AbortController();
  if (!fixtures.length) {
    opts.log.warn({ dir: opts.dir ?? FIXTURES }, 'no demo calls found: the demo streams nothing');
    return { stop: async () => {} };
  }
  let n = 0;
  const next = (): SimulateCallOptions => {
    const call = fixtures[n % fixtures.length];
    const agents = AGENTS[call.queue] ?? AGENTS.support;
    const protocol = n % 3 === 2 ? (n % 2 ? 'twilio' : 'audiohook') : 'native';
    const dir = opts.dir ?? FIXTURES;
    n++;
    return {
      url: opts.wsUrl, protocol, speed: 1, credentials: { apiKey: opts.apiKey }, signal: controller.signal,
      ...(protocol === 'native' ? { file: join(dir, call.files.pcm16k), codec: 'L16', rate: 16000 } : { file: join(dir, call.files.ulaw8k) }),
      metadata: {
        direction: call.direction, queue: call.queue, language: call.language, customerNumber: call.customerNumber,
        agentId: agents[n % agents.length], extra: { demo: call.name },
      },
    };
  };
  const lane = async () => {
    while (!controller.signal.aborted) {
      const o = next();
      try {
        const s = await simulateCall(o);
        opts.log.info({ demo: o.metadata?.extra?.demo, protocol: o.protocol, outcome: s.outcome, audioMs: s.audioMs }, 'demo call finished');
      } catch (err) {
        if (controller.signal.aborted) return;
        opts.log.warn({ err }, 'demo call failed; retrying in 5 s');
        await sleep(5000, undefined, { signal: controller.signal }).catch(() => {});
      }
    }
  };
  const lanes = Array.from({ length: opts.concurrent ?? 2 }, (_, i) =>
    sleep(i * 7000, undefined, { signal: controller.signal }).then(lane, () => {}));
  return {
    async stop() {
      controller.abort();
      await Promise.allSettled(lanes);
    },
  };
}
