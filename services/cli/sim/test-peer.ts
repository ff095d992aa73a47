import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';

/** One message a test peer received, with its arrival time (performance.now()). */
export interface PeerMessage { at: number; binary: boolean; data: Buffer; text: string }

export interface PeerConnection {
  ws: WebSocket;
  req: IncomingMessage;
  messages: PeerMessage[];
  /** Resolves when the socket has closed. */
  closed: Promise<{ code: number }>;
}

export interface TestPeer {
  url: string;
  connections: PeerConnection[];
  /** Resolves with the n-th connection (0-based) once it exists. */
  connection(n: number): Promise<PeerConnection>;
  close(): Promise<void>;
}

/**
 * A tiny local WebSocket server for the simulator's own tests (the real tap endpoints live in services/tap):
 * `reject` can refuse an upgrade with a status and JSON error; `onConnection` plays the server side of a protocol.
 */
export async function startTestPeer(opts: {
  onConnection?: (conn: PeerConnection, onMessage: (handler: (m: PeerMessage) => void) => void) => void;
  reject?: (req: IncomingMessage) => { status: number; error: string } | undefined;
} = {}): Promise<TestPeer> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  const connections: PeerConnection[] = [];
  const waiters: (() => void)[] = [];
  http.on('upgrade', (req, socket, head) => {
    const refusal = opts.reject?.(req);
    if (refusal) {
      const body = JSON.stringify({ error: refusal.error });
      socket.end(`HTTP/1.1 ${refusal.status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let handler: (m: PeerMessage) => void = () => {};
      const conn: PeerConnection = {
        ws, req, messages: [],
        closed: new Promise((resolve) => ws.once('close', (code) => resolve({ code }))),
      };
      ws.on('message', (data, binary) => {
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        const m: PeerMessage = { at: performance.now(), binary, data: buf, text: binary ? '' : buf.toString('utf8') };
        conn.messages.push(m);
        handler(m);
      });
      ws.on('error', () => {});
      connections.push(conn);
      opts.onConnection?.(conn, (h) => { handler = h; });
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    async connection(n) {
      while (!connections[n]) await new Promise<void>((resolve) => waiters.push(resolve));
      return connections[n];
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** JSON text messages of a connection, parsed. */
export function jsonMessages(conn: PeerConnection): Record<string, unknown>[] {
  return conn.messages.filter((m) => !m.binary).map((m) => JSON.parse(m.text) as Record<string, unknown>);
}

/** A test tone: `seconds` of a sine at `hz`. */
export function tone(hz: number, seconds: number, rate: number, amplitude = 8000): Int16Array {
  const out = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate));
  return out;
}
