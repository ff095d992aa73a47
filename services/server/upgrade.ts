import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../core/index.js';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;

/** Routes WebSocket upgrades by path; unknown paths get HTTP 404 before any WebSocket is created. */
export function createUpgradeRouter(routes: Record<string, UpgradeHandler>, log: Logger) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = routes[path];
    socket.on('error', (err) => log.debug({ err, path }, 'upgrade socket error'));
    if (!handler) {
      rejectUpgrade(socket, 404, 'no WebSocket endpoint at this path');
      return;
    }
    Promise.resolve(handler(req, socket, head)).catch((err: unknown) => {
      log.error({ err, path }, 'upgrade handler failed');
      rejectUpgrade(socket, 500, 'internal error');
    });
  };
}

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error' }[status] ?? 'Error';
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
