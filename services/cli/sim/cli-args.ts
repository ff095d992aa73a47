import { parseArgs } from 'node:util';
import { ValidationError } from '../../core/index.js';
import type { SimulateCallOptions } from './simulate-call.js';
import type { CallDirection, Channel, MonoAs, SimCodec, SimDtmf, SimFaults, SimRate, TapProtocol } from './types.js';

export const USAGE = `Usage: npm run simulate -- --protocol native|audiohook|twilio --file CALL.wav [options]

Streams a recorded call to a Callsight tap endpoint as a phone platform would (agent = left, customer = right).

Connection
  --url URL               server or endpoint URL (default ws://localhost:8080; /tap/<protocol> is added)
  --api-key KEY           tap API key (native: Bearer, AudioHook: X-API-KEY, Twilio: customParameters.apiKey)
  --client-secret B64     AudioHook client secret: sign the upgrade (RFC 9421, hmac-sha256)
  --twilio-token TOKEN    Twilio auth token: send X-Twilio-Signature
Audio
  --file PATH             WAV: 16-bit PCM (8/16/48 kHz) or μ-law, mono or stereo
  --mono-as WHO           a mono file is: customer (default), agent or both
  --codec C --rate HZ     native only: PCMU|PCMA (8000), L16 (8000|16000), OPUS (48000); default PCMU/8000
  --speed X               1 = real time (default), 4 = four times faster, 0 = as fast as the server drains
  --duration S            stream only the first S seconds
Call metadata
  --call-id ID            the platform's id (native callId; AudioHook session UUID; Twilio streamSid)
  --agent-id ID  --queue Q  --direction inbound|outbound  --customer-number +1555…  --language en-US
  --meta KEY=VALUE        extra metadata (repeatable)
  --inbound WHO           Twilio: who the inbound track is (customer by default)
  --bidirectional         Twilio: <Connect><Stream> (inbound track only; the server may play audio back)
  --dtmf D@MS[,D@MS…]     native/Twilio: send DTMF digits at call positions, e.g. 5@1500,#@3000
Faults (for testing the server)
  --skip-frames K[,K…]    do not send these 20 ms frames (sequence gaps)
  --drop-at MS            cut the TCP connection without a close at this call position
  --reconnect-after MS    after --drop-at, reconnect with the same id after this many ms
  --pause-at MS:LEN       AudioHook: client-side pause (paused … resumed) from MS for LEN ms
Runs
  --calls N               N concurrent copies of the call (default 1)
  --loop                  start each copy again when it ends, until Ctrl-C
  --save-injected DIR     save audio the server sends back, one WAV per call and target
  --quiet                 no progress line
  --json                  print the summaries as JSON
  --help`;

export interface CliOptions {
  call: Omit<SimulateCallOptions, 'signal' | 'onProgress' | 'media' | 'pcm'> & { file: string };
  calls: number;
  loop: boolean;
  quiet: boolean;
  json: boolean;
  help: boolean;
}

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ValidationError(`--${flag} must be one of ${allowed.join(', ')}; got ${value}`, flag);
  return value as T;
};

const num = (value: string | undefined, flag: string, min = 0): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new ValidationError(`--${flag} must be a number ≥ ${min}; got ${value}`, flag);
  return n;
};

/** Parses the simulator's command line; throws ValidationError with the flag's name on bad input. */
export function parseCliArgs(argv: string[]): CliOptions {
  let v: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values: v } = parseArgs({
      args: argv, allowPositionals: false, strict: true,
      options: {
        protocol: { type: 'string' }, url: { type: 'string', default: 'ws://localhost:8080' }, file: { type: 'string' },
        'api-key': { type: 'string' }, 'client-secret': { type: 'string' }, 'twilio-token': { type: 'string' },
        codec: { type: 'string' }, rate: { type: 'string' }, speed: { type: 'string' }, duration: { type: 'string' },
        'mono-as': { type: 'string' }, 'call-id': { type: 'string' }, 'agent-id': { type: 'string' }, queue: { type: 'string' },
        direction: { type: 'string' }, 'customer-number': { type: 'string' }, language: { type: 'string' },
        meta: { type: 'string', multiple: true }, inbound: { type: 'string' }, bidirectional: { type: 'boolean' },
        dtmf: { type: 'string' }, 'skip-frames': { type: 'string' }, 'drop-at': { type: 'string' },
        'reconnect-after': { type: 'string' }, 'pause-at': { type: 'string' }, calls: { type: 'string' }, loop: { type: 'boolean' },
        'save-injected': { type: 'string' }, quiet: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new ValidationError((err as Error).message, 'args', { cause: err });
  }
  const s = (k: string) => v[k] as string | undefined;
  const help = v.help === true;
  const protocol = oneOf<TapProtocol>(s('protocol'), ['native', 'audiohook', 'twilio'], 'protocol');
  if (!help && !protocol) throw new ValidationError('--protocol is required (native, audiohook or twilio)', 'protocol');
  if (!help && !s('file')) throw new ValidationError('--file is required', 'file');
  const codec = oneOf<SimCodec>(s('codec')?.toUpperCase(), ['PCMU', 'PCMA', 'L16', 'OPUS'], 'codec');
  const rate = oneOf(s('rate'), ['8000', '16000', '48000'], 'rate');
  if ((codec || rate) && protocol && protocol !== 'native') throw new ValidationError(`--codec and --rate apply to native only; ${protocol} streams PCMU/8000`, 'codec');
  const extra: Record<string, string> = {};
  for (const kv of (v.meta as string[] | undefined) ?? []) {
    const at = kv.indexOf('=');
    if (at < 1) throw new ValidationError(`--meta needs KEY=VALUE; got ${kv}`, 'meta');
    extra[kv.slice(0, at)] = kv.slice(at + 1);
  }
  const faults: SimFaults = {};
  if (s('skip-frames')) faults.skipFrames = s('skip-frames')!.split(',').map((x) => num(x, 'skip-frames')!);
  if (s('drop-at')) faults.dropAtMs = num(s('drop-at'), 'drop-at');
  if (s('reconnect-after')) faults.reconnectAfterMs = num(s('reconnect-after'), 'reconnect-after');
  if (faults.reconnectAfterMs !== undefined && faults.dropAtMs === undefined) throw new ValidationError('--reconnect-after needs --drop-at', 'reconnect-after');
  if (s('pause-at')) {
    const m = /^(\d+):(\d+)$/.exec(s('pause-at')!);
    if (!m) throw new ValidationError(`--pause-at needs MS:LEN; got ${s('pause-at')}`, 'pause-at');
    faults.pause = { atMs: Number(m[1]), durationMs: Number(m[2]) };
  }
  const dtmf: SimDtmf[] | undefined = s('dtmf')?.split(',').map((d) => {
    const m = /^([0-9A-D*#])@(\d+)$/i.exec(d.trim());
    if (!m) throw new ValidationError(`--dtmf needs DIGIT@MS; got ${d}`, 'dtmf');
    return { digit: m[1].toUpperCase(), atMs: Number(m[2]) };
  });
  const duration = num(s('duration'), 'duration');
  const calls = num(s('calls'), 'calls', 1) ?? 1;
  if (!Number.isInteger(calls)) throw new ValidationError('--calls must be a whole number', 'calls');
  return {
    help, calls, loop: v.loop === true, quiet: v.quiet === true, json: v.json === true,
    call: {
      protocol: protocol ?? 'native', url: s('url')!, file: s('file') ?? '',
      monoAs: oneOf<MonoAs>(s('mono-as'), ['customer', 'agent', 'both'], 'mono-as'),
      codec, rate: rate ? Number(rate) as SimRate : undefined,
      speed: num(s('speed'), 'speed') ?? 1,
      maxDurationMs: duration === undefined ? undefined : duration * 1000,
      credentials: { apiKey: s('api-key'), clientSecret: s('client-secret'), twilioToken: s('twilio-token') },
      metadata: {
        externalId: s('call-id'), agentId: s('agent-id'), queue: s('queue'), customerNumber: s('customer-number'), language: s('language'),
        direction: oneOf<CallDirection>(s('direction'), ['inbound', 'outbound'], 'direction'),
        ...(Object.keys(extra).length ? { extra } : {}),
      },
      twilio: { inbound: oneOf<Channel>(s('inbound'), ['customer', 'agent'], 'inbound'), bidirectional: v.bidirectional === true },
      saveInjectedDir: s('save-injected'),
      faults, dtmf,
    },
  };
}
