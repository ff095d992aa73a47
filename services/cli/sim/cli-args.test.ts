import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/index.js';
import { parseCliArgs } from './cli-args.js';

describe('simulate command line', () => {
  it('maps the flags onto simulateCall options', () => {
    const o = parseCliArgs([
      '--protocol', 'native', '--url', 'ws://localhost:9000', '--file', 'call.wav', '--api-key', 'K', '--codec', 'opus',
      '--rate', '48000', '--speed', '2', '--agent-id', 'agent-1001', '--queue', 'support', '--direction', 'outbound',
      '--customer-number', '+15550100', '--language', 'en-US', '--meta', 'trunk=sip-1', '--meta', 'site=a=b',
      '--save-injected', 'out', '--calls', '3', '--loop', '--quiet', '--duration', '2.5', '--dtmf', '5@1500,#@3000',
      '--skip-frames', '3,4', '--drop-at', '1000', '--reconnect-after', '200',
    ]);
    expect(o).toMatchObject({ calls: 3, loop: true, quiet: true, json: false, help: false });
    expect(o.call).toMatchObject({
      protocol: 'native', url: 'ws://localhost:9000', file: 'call.wav', codec: 'OPUS', rate: 48000, speed: 2, maxDurationMs: 2500,
      credentials: { apiKey: 'K' }, saveInjectedDir: 'out',
      metadata: {
        agentId: 'agent-1001', queue: 'support', direction: 'outbound', customerNumber: '+15550100', language: 'en-US',
        extra: { trunk: 'sip-1', site: 'a=b' },
      },
      dtmf: [{ digit: '5', atMs: 1500 }, { digit: '#', atMs: 3000 }],
      faults: { skipFrames: [3, 4], dropAtMs: 1000, reconnectAfterMs: 200 },
    });
  });

  it('has defaults: ws://localhost:8080, real time, one call', () => {
    const o = parseCliArgs(['--protocol', 'audiohook', '--file', 'x.wav', '--client-secret', 'c2VjcmV0', '--pause-at', '1000:500']);
    expect(o.call).toMatchObject({ url: 'ws://localhost:8080', speed: 1, credentials: { clientSecret: 'c2VjcmV0' }, faults: { pause: { atMs: 1000, durationMs: 500 } } });
    expect(o.calls).toBe(1);
  });

  it('says which flag is wrong', () => {
    const bad = (args: string[]) => { try { parseCliArgs(args); } catch (e) { expect(e).toBeInstanceOf(ValidationError); return (e as Error).message; } return ''; };
    expect(bad(['--file', 'x'])).toMatch(/--protocol is required/);
    expect(bad(['--protocol', 'native'])).toMatch(/--file is required/);
    expect(bad(['--protocol', 'sip', '--file', 'x'])).toMatch(/--protocol must be one of/);
    expect(bad(['--protocol', 'twilio', '--file', 'x', '--codec', 'L16'])).toMatch(/native only/);
    expect(bad(['--protocol', 'native', '--file', 'x', '--speed', 'fast'])).toMatch(/--speed must be a number/);
    expect(bad(['--protocol', 'native', '--file', 'x', '--meta', 'novalue'])).toMatch(/KEY=VALUE/);
    expect(bad(['--protocol', 'native', '--file', 'x', '--reconnect-after', '5'])).toMatch(/needs --drop-at/);
    expect(bad(['--protocol', 'native', '--file', 'x', '--bogus'])).toMatch(/bogus/);
  });
});
