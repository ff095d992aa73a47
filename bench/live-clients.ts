/**
 * The client side of `npm run bench:live`, run as its own process so its CPU is not counted as the server's: N
 * simulated native calls at real-time pace, two supervisor sockets per call (one listens to the mix, one to the agent
 * and, after a while, whispers a tone). Every timestamp is taken in this process, so the latencies need no shared
 * clock: tap frame k sent → listen frame seq k received, and supervisor frame i sent → injected frame i received.
 * Prints one JSON line.
 */
import WebSocket from 'ws';
import { createOpusEncoder, sine } from '../services/audio/index.js';
import { prepareCallMedia, simulateCall, type PreparedMedia, type SimSummary } from '../services/cli/sim/index.js';
import { AUDIO_HEADER_BYTES, encodeAudioFrame, STREAM_ID } from '../services/live/index.js';

const env = process.env;
const calls = Number(env.BENCH_CALLS ?? 50);
const durationMs = Number(env.BENCH_DURATION_MS ?? 30_000);
const rampMs = Number(env.BENCH_RAMP_MS ?? 5_000);
/** Whispering starts this long into each call and stops a second before its end. */
const whisperAfterMs = Number(env.BENCH_WHISPER_AFTER_MS ?? 2_000);
const url = env.BENCH_URL!;
const cookie = env.BENCH_COOKIE!;
/** Where supervisors connect: another node than the taps' with --redis. */
const supervisorUrl = env.BENCH_SUPERVISOR_URL ?? url;
const [firstStream, secondStream] = (env.BENCH_STREAMS ?? 'mixed,agent').split(',');

const rate = 8000;
const n = (rate * durationMs) / 1000;
const media = await prepareCallMedia({
  protocol: 'native', codec: 'PCMU', rate, pcm: { rate, agent: sine(rate, 600, n, 6000), customer: sine(rate, 1500, n, 6000) },
});
const mic = (() => {
  const enc = createOpusEncoder(48000, 1);
  return Array.from({ length: 50 }, (_, i) => enc.encode(sine(48000, 1000, 960, 8000, (2 * Math.PI * 1000 * i * 960) / 48000)));
})();

const listenLatency: number[] = [];
const injectLatency: number[] = [];
const counters = { listenFrames: 0, listenGaps: 0, micFrames: 0, injectedFrames: 0, refused: 0, notListedYet: 0, socketErrors: 0 };

/** Media whose agent frames note when the simulator reads them, i.e. sends frame k. */
function timedMedia(base: PreparedMedia, sentAt: Float64Array): PreparedMedia {
  const agent = new Proxy(base.frames.agent!, {
    get(target, prop, receiver) {
      if (typeof prop === 'string') {
        const k = Number(prop);
        if (Number.isInteger(k) && k >= 0 && k < sentAt.length) sentAt[k] = performance.now();
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { ...base, frames: { ...base.frames, agent } };
}

function supervisor(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${supervisorUrl}/ws/supervisor`, { headers: { cookie } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** One listener: records tap-to-listener latency for every frame of `stream`. */
async function listener(callId: string, streams: string[], sentAt: Float64Array): Promise<WebSocket> {
  const ws = await supervisor();
  ws.on('error', () => { counters.socketErrors++; });
  let lastSeq = -1;
  const start = () => ws.send(JSON.stringify({ type: 'monitor.start', callId, mode: 'listen', streams }));
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) {
      const m = JSON.parse(data.toString()) as { type: string; code?: string };
      // On another node the call is in scope once the bus brought it to that node's live list: a moment later.
      if (m.type === 'error' && m.code === 'not_found' && supervisorUrl !== url && counters.notListedYet++ < calls * 50) setTimeout(start, 50);
      else if (m.type === 'monitor.refused' || m.type === 'error') counters.refused++;
      return;
    }
    const at = performance.now();
    if (data.length <= AUDIO_HEADER_BYTES || data.readUInt8(1) !== STREAM_ID[streams[0] as keyof typeof STREAM_ID]) return;
    const seq = data.readUInt32BE(4);
    counters.listenFrames++;
    if (lastSeq >= 0 && seq !== lastSeq + 1) counters.listenGaps++;
    lastSeq = seq;
    if (sentAt[seq] > 0) listenLatency.push(at - sentAt[seq]);
  });
  start();
  return ws;
}

async function runCall(i: number): Promise<SimSummary> {
  await new Promise((r) => setTimeout(r, (rampMs * i) / calls));
  const sentAt = new Float64Array(media.frameCount);
  const micSentAt: number[] = [];
  let injectedCount = 0;
  const sockets: WebSocket[] = [];
  let whisper: NodeJS.Timeout | undefined;
  const started = async (callId: string) => {
    sockets.push(await listener(callId, [firstStream], sentAt));
    const talker = await listener(callId, [secondStream], sentAt);
    sockets.push(talker);
    // Whispers once the server confirms the mode (as the app's push-to-talk does): frames sent before that would not
    // be injected and would shift the frame-count matching of injected audio below.
    talker.on('message', (data: Buffer, isBinary) => {
      if (isBinary || (JSON.parse(data.toString()) as { type: string; mode?: string }).mode !== 'whisper' || whisper) return;
      // Frames on a drift-free 20 ms schedule, like a microphone.
      const t0 = performance.now() + 100;
      let k = 0;
      const tick = () => {
        if (talker.readyState !== WebSocket.OPEN || performance.now() > t0 + durationMs - whisperAfterMs - 1500) return;
        micSentAt[k] = performance.now();
        talker.send(encodeAudioFrame(STREAM_ID.microphone, k, k * 20, mic[k % mic.length]));
        counters.micFrames++;
        k++;
        whisper = setTimeout(tick, Math.max(0, t0 + k * 20 - performance.now()));
      };
      whisper = setTimeout(tick, 100);
    });
    setTimeout(() => talker.send(JSON.stringify({ type: 'monitor.update', mode: 'whisper' })), whisperAfterMs);
  };
  try {
    return await simulateCall({
      url, protocol: 'native', media: timedMedia(media, sentAt), codec: 'PCMU', rate, speed: 1,
      credentials: { apiKey: env.BENCH_API_KEY }, native: { inject: ['agent', 'customer', 'both'] },
      metadata: { agentId: `bench-agent-${i % 40}`, queue: 'support', direction: 'inbound', language: 'en-US' },
      onMessage: (m) => {
        const msg = m as { type?: string; callId?: string };
        if (msg.type === 'started' && msg.callId) started(msg.callId).catch(() => { counters.socketErrors++; });
      },
      onInjected: (chunk) => {
        const at = performance.now();
        if (chunk.target !== 'agent') return;
        counters.injectedFrames++;
        // One 20 ms supervisor frame becomes one 20 ms injected frame, in order (the injection stream's own seq
        // restarts whenever it pauses, so frames are matched by count).
        const sent = micSentAt[injectedCount++];
        if (sent !== undefined && at >= sent) injectLatency.push(at - sent);
      },
    });
  } finally {
    clearTimeout(whisper);
    for (const s of sockets) s.close();
  }
}

function quantiles(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(2)) : null);
  return { count: s.length, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s.length ? Number(s[s.length - 1].toFixed(2)) : null };
}

const cpu0 = process.cpuUsage();
const wall0 = performance.now();
const results = await Promise.allSettled(Array.from({ length: calls }, (_, i) => runCall(i)));
const ok = results.filter((r): r is PromiseFulfilledResult<SimSummary> => r.status === 'fulfilled').map((r) => r.value);
const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)).slice(0, 5);
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({
  clientCpuPercentOfCore: Number(((100 * (cpu.user + cpu.system)) / 1000 / (performance.now() - wall0)).toFixed(1)),
  completed: ok.filter((s) => s.outcome === 'completed').length, failed,
  sendLagP95WorstMs: Math.max(0, ...ok.map((s) => s.sendLag.p95Ms)),
  listen: quantiles(listenLatency), inject: quantiles(injectLatency), ...counters,
}));
