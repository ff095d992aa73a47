import { createSignal, type Accessor } from 'solid-js';
import type { ClientRequest, ServerMessage } from './live-types';

export type SocketState = 'connecting' | 'open' | 'closed';

/** Reply types per request: `monitor.refused` and `error` are replies too (they carry the request's id). */
type Reply = Extract<ServerMessage, { id?: string | number }>;

export interface LiveSocket {
  state: Accessor<SocketState>;
  /** Why the socket closed (close code and reason), when it did. */
  closeInfo: Accessor<{ code: number; reason: string } | undefined>;
  /** Sends a request and resolves with the reply carrying its id. */
  request(req: ClientRequest): Promise<Reply>;
  sendBinary(data: ArrayBuffer): void;
  onMessage(listener: (m: ServerMessage) => void): () => void;
  onFrame(listener: (data: ArrayBuffer) => void): () => void;
  close(): void;
}

const RECONNECT_MS = 2000;

/**
 * The supervisor WebSocket (`/ws/supervisor`, same origin, session cookie): JSON messages to listeners, binary
 * audio frames to frame listeners, requests matched to replies by id. Reconnects after an unexpected close
 * (not after 4401: the session ended, the shell sends the user to sign in on the next API call).
 */
export function connectLive(path = '/ws/supervisor'): LiveSocket {
  const [state, setState] = createSignal<SocketState>('connecting');
  const [closeInfo, setCloseInfo] = createSignal<{ code: number; reason: string }>();
  const messageListeners = new Set<(m: ServerMessage) => void>();
  const frameListeners = new Set<(data: ArrayBuffer) => void>();
  const pending = new Map<number, { resolve: (m: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let ws: WebSocket | undefined;
  let closedByUs = false;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const url = new URL(path, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url);
    ws = socket;
    socket.binaryType = 'arraybuffer';
    setState('connecting');
    socket.onopen = () => setState('open');
    socket.onmessage = (e: MessageEvent<string | ArrayBuffer>) => {
      if (typeof e.data !== 'string') {
        for (const l of frameListeners) l(e.data);
        return;
      }
      let msg: ServerMessage;
      try {
        msg = JSON.parse(e.data) as ServerMessage;
      } catch {
        return;
      }
      if ('id' in msg && typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (p) {
          pending.delete(msg.id);
          p.resolve(msg);
        }
      }
      for (const l of messageListeners) l(msg);
    };
    socket.onclose = (e) => {
      setState('closed');
      setCloseInfo({ code: e.code, reason: e.reason });
      for (const p of pending.values()) p.reject(new Error('connection closed'));
      pending.clear();
      if (!closedByUs && e.code !== 4401) retry = setTimeout(open, RECONNECT_MS);
    };
  };
  open();

  return {
    state,
    closeInfo,
    request(req) {
      const id = nextId++;
      return new Promise<Reply>((resolve, reject) => {
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          reject(new Error('not connected'));
          return;
        }
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ ...req, id }));
      });
    },
    sendBinary(data) {
      if (ws?.readyState === WebSocket.OPEN) ws.send(data);
    },
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onFrame(listener) {
      frameListeners.add(listener);
      return () => frameListeners.delete(listener);
    },
    close() {
      closedByUs = true;
      clearTimeout(retry);
      ws?.close(1000);
    },
  };
}
