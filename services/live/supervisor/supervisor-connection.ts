import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import WebSocket, { type RawData } from 'ws';
import type { Logger } from '../../core/index.js';
import type { Queryable } from '../../store/index.js';
import type { BusEvent } from '../events.js';
import { AUDIO_HEADER_BYTES, decodeAudioFrame, STREAM_ID } from '../monitor/audio-frame.js';
import type { MonitorMetrics } from '../monitor/metrics.js';
import { LISTEN_FRAME_MS } from '../monitor/stream-encoder.js';
import type { MonitorRelay } from '../monitor/types.js';
import { createAudioOutlet, type AudioOutlet } from './audio-outlet.js';
import type { CallDirectory, DirectoryChange } from './call-directory.js';
import { loadCallHistory } from './call-history.js';
import { liveCallItem } from './live-call-item.js';
import type { MonitorAudit } from './monitor-audit.js';
import { createMonitorSession, type MonitorSession } from './monitor-session.js';
import {
  CLOSE_TOO_SLOW, parseClientMessage, SUPERVISOR_PROTOCOL_VERSION, type ClientMessage, type ClientMessageType, type ServerMessage, type StopReason,
} from './protocol.js';
import type { Viewer } from './viewer.js';

export interface SupervisorConnectionOptions {
  ws: WebSocket;
  viewer: Viewer;
  db: Queryable;
  directory: CallDirectory;
  relay: MonitorRelay;
  audit: MonitorAudit;
  metrics: MonitorMetrics;
  log: Logger;
  live: { notifyTone: boolean; listenerQueueFrames: number; listenerMaxBufferedBytes: number; listenerMaxLagMs: number };
}

export interface SupervisorConnection {
  /** A bus event; `text` is its JSON, made once for every connection. */
  onEvent(event: BusEvent & { callId: string }, text: () => string): void;
  onDirectoryChange(change: DirectoryChange): void;
  /** Closes the socket (the close handler then stops the monitor). */
  close(code: number, reason: string): void;
  /** Cuts the connection without a closing handshake (a peer that does not answer one). */
  terminate(): void;
  /** Stops the monitor (the socket is going away), audited with `reason`. */
  stopMonitor(reason: StopReason): void;
  readonly viewer: Viewer;
  readonly closed: Promise<void>;
}

/** Bus events forwarded to a call's subscribers as they are (alert.* events too, once they exist). */
const FORWARDED = new Set<string>([
  'transcript.partial', 'transcript.final', 'sentiment.scored', 'metrics.updated', 'sentiment.summarized',
  'transcription.changed', 'transcription.lost', 'note.added', 'note.deleted',
]);
const forwarded = (type: string) => FORWARDED.has(type) || type.startsWith('alert.');

/** Text the socket may have queued before the client counts as too slow and is closed (audio is dropped long before). */
const MAX_TEXT_BACKLOG_BYTES = 4 << 20;

/** Microphone frames held behind pending requests (a second of audio); more are dropped. */
const MAX_WAITING_FRAMES = 50;

type Subscription = { state: 'loading'; backlog: string[] } | { state: 'live' };

/**
 * One supervisor's socket: the live call list (snapshot, then added / updated / removed as they happen), event
 * subscriptions per call (history first, then live events, nothing lost in between), and the monitor (listen,
 * whisper, barge). Text requests are handled one at a time, in order; binary messages are microphone audio.
 */
export function createSupervisorConnection(o: SupervisorConnectionOptions): SupervisorConnection {
  const { ws, viewer, directory } = o;
  const log = o.log.child({ supervisor: viewer.user.username, conn: randomBytes(4).toString('hex') });
  const visible = new Set<string>();
  const subscriptions = new Map<string, Subscription>();
  let requests: Promise<void> = Promise.resolve();
  /** Monitor requests not yet handled: microphone frames that arrive behind one wait for it (a switch to whisper comes first). */
  let monitorRequests = 0;
  let waitingFrames = 0;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve; });

  const open = () => ws.readyState === WebSocket.OPEN;
  function sendText(text: string): void {
    if (!open()) return;
    if (ws.bufferedAmount > MAX_TEXT_BACKLOG_BYTES) {
      log.warn({ buffered: ws.bufferedAmount }, 'supervisor socket is not reading; closing it');
      ws.close(CLOSE_TOO_SLOW, 'too slow: the client is not reading');
      return;
    }
    ws.send(text);
  }
  const send = (msg: ServerMessage) => sendText(JSON.stringify(msg));

  const outlet: AudioOutlet = createAudioOutlet(ws, {
    capacity: o.live.listenerQueueFrames,
    maxBufferedBytes: o.live.listenerMaxBufferedBytes,
    maxLagMs: o.live.listenerMaxLagMs,
    onSent: (p) => o.metrics.listenFrameSent((performance.now() - p.capturedAt) / 1000),
    onDropped: (n) => o.metrics.listenFramesDropped('slow_listener', n),
    onDead: () => {
      log.warn('supervisor socket stopped answering pings; closing it');
      ws.terminate();
    },
  });
  const monitor: MonitorSession = createMonitorSession({
    relay: o.relay, audit: o.audit, outlet, who: { userId: viewer.user.id, username: viewer.user.username },
    notifyTone: o.live.notifyTone, send, log, metrics: o.metrics,
  });

  async function subscribe(id: ClientMessage['id'], callId: string): Promise<void> {
    if (subscriptions.has(callId)) {
      send({ type: 'error', id, code: 'bad_message', message: `already subscribed to call ${callId}` });
      return;
    }
    const call = await viewer.authorize(callId);
    if (!call || directory.get(callId) !== call) {
      send({ type: 'error', id, code: 'not_found', message: `no live call ${callId} in your scope` });
      return;
    }
    const sub: Subscription = { state: 'loading', backlog: [] };
    subscriptions.set(callId, sub);
    let history;
    try {
      history = await loadCallHistory(o.db, call);
    } catch (err) {
      subscriptions.delete(callId);
      throw err;
    }
    if (subscriptions.get(callId) !== sub) {
      send({ type: 'error', id, code: 'not_found', message: `call ${callId} ended` });
      return;
    }
    send({ type: 'subscribed', id, callId, call: liveCallItem(call), ...history });
    subscriptions.set(callId, { state: 'live' });
    for (const text of sub.backlog) sendText(text);
  }

  type Handler<T extends ClientMessageType> = (m: Extract<ClientMessage, { type: T }>) => void | Promise<void>;
  const handlers: { [T in ClientMessageType]: Handler<T> } = {
    subscribe: (m) => subscribe(m.id, m.callId),
    unsubscribe(m) {
      if (!subscriptions.delete(m.callId)) {
        send({ type: 'error', id: m.id, code: 'not_found', message: `not subscribed to call ${m.callId}` });
        return;
      }
      send({ type: 'unsubscribed', id: m.id, callId: m.callId, reason: 'requested' });
    },
    async 'monitor.start'(m) {
      if (!(await viewer.authorize(m.callId))) {
        send({ type: 'error', id: m.id, code: 'not_found', message: `no live call ${m.callId} in your scope` });
        return;
      }
      await monitor.start(m.id, m.callId, m.mode, m.streams);
    },
    'monitor.update': (m) => monitor.update(m.id, { mode: m.mode, streams: m.streams }),
    'monitor.stop'(m) {
      if (!monitor.stop('requested', m.id)) send({ type: 'error', id: m.id, code: 'no_monitor', message: 'no monitor is running' });
    },
    ping: (m) => send({ type: 'pong', id: m.id }),
  };

  function onText(text: string): void {
    const parsed = parseClientMessage(text);
    if (!parsed.ok) {
      send({ type: 'error', id: parsed.id, code: 'bad_message', message: parsed.message });
      return;
    }
    const m = parsed.message;
    const isMonitor = m.type.startsWith('monitor.');
    if (isMonitor) monitorRequests++;
    requests = requests.then(async () => {
      if (!open()) return;
      await (handlers[m.type] as Handler<typeof m.type>)(m);
    }).catch((err: unknown) => {
      log.error({ err, type: m.type }, 'supervisor request failed');
      send({ type: 'error', id: m.id, code: 'internal', message: 'internal error' });
    }).finally(() => { if (isMonitor) monitorRequests--; });
  }

  let badFrames = 0;
  function onBinary(buf: Buffer, receivedAt: number): void {
    const decoded = decodeAudioFrame(buf);
    if (!decoded.ok || decoded.frame.stream !== STREAM_ID.microphone) {
      o.metrics.injectDropped('bad_packet');
      // One report per second at most: a client sending garbage at 50 frames/s should not get 50 errors back.
      if (badFrames++ % 50 === 0) {
        const message = decoded.ok ? `binary messages must be microphone frames (stream ${STREAM_ID.microphone})` : decoded.message;
        send({ type: 'error', code: 'bad_frame', message: `${message} (header ${AUDIO_HEADER_BYTES} bytes, then one Opus packet)` });
      }
      return;
    }
    const payload = decoded.frame.payload;
    if (monitorRequests === 0) {
      monitor.microphone(payload, receivedAt);
      return;
    }
    if (waitingFrames >= MAX_WAITING_FRAMES) {
      o.metrics.injectDropped('not_talking');
      return;
    }
    waitingFrames++;
    requests = requests.then(() => {
      waitingFrames--;
      monitor.microphone(payload, receivedAt);
    });
  }

  ws.on('message', (data: RawData, isBinary) => {
    const receivedAt = performance.now();
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (isBinary) onBinary(buf, receivedAt);
    else onText(buf.toString('utf8'));
  });
  ws.on('error', (err) => log.warn({ reason: err.message }, 'supervisor socket error'));
  ws.on('close', (code) => {
    // Injection stops here, at once: nothing more reaches the call from this supervisor.
    monitor.stop('disconnected');
    outlet.close();
    subscriptions.clear();
    log.info({ code }, 'supervisor disconnected');
    resolveClosed();
  });

  send({
    type: 'hello', protocol: SUPERVISOR_PROTOCOL_VERSION,
    user: { id: viewer.user.id, username: viewer.user.username, role: viewer.user.role },
    audio: { codec: 'opus', frameMs: LISTEN_FRAME_MS, headerBytes: AUDIO_HEADER_BYTES, streamIds: STREAM_ID },
  });
  const now = Date.now();
  const initial = directory.list().filter((c) => viewer.sees(c));
  for (const c of initial) visible.add(c.callId);
  send({ type: 'calls', calls: initial.map((c) => liveCallItem(c, now)) });
  log.info({ role: viewer.user.role, calls: initial.length }, 'supervisor connected');

  return {
    viewer, closed,
    onEvent(event, text) {
      const sub = subscriptions.get(event.callId);
      if (!sub) return;
      if (event.type === 'call.ended' || event.type === 'call.interrupted') {
        subscriptions.delete(event.callId);
        send({ type: 'unsubscribed', callId: event.callId, reason: 'call-ended' });
        return;
      }
      if (!forwarded(event.type)) return;
      if (sub.state === 'loading') sub.backlog.push(text());
      else sendText(text());
    },
    onDirectoryChange(change) {
      const id = change.call.callId;
      const was = visible.has(id);
      if (change.kind === 'removed') {
        if (!was) return;
        visible.delete(id);
        send({ type: 'call.removed', callId: id, status: change.status });
        return;
      }
      const sees = viewer.sees(change.call);
      if (sees) visible.add(id); else visible.delete(id);
      if (sees) send({ type: was ? 'call.updated' : 'call.added', call: liveCallItem(change.call) });
      else if (was) send({ type: 'call.removed', callId: id, status: 'out-of-scope' });
    },
    stopMonitor(reason) {
      monitor.stop(reason);
    },
    terminate() {
      ws.terminate();
    },
    close(code, reason) {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, reason);
    },
  };
}
