import type { Metrics } from '../core/index.js';
import { createAudiohookEndpoint } from './audiohook/endpoint.js';
import { createNativeEndpoint } from './native/endpoint.js';
import type { TapContext } from './shared/context.js';
import type { TapUpgradeHandler } from './shared/endpoint.js';
import { createTapMetrics } from './shared/metrics.js';
import { createTwilioEndpoint } from './twilio/endpoint.js';

export type { TapContext } from './shared/context.js';
export type { TapUpgradeHandler } from './shared/endpoint.js';
export { createTapMetrics, type TapMetrics, type DropReason, type ConnectionResult } from './shared/metrics.js';
export { AUDIOHOOK_CAPABILITIES } from './audiohook/session.js';
export { TARGET_BYTE as NATIVE_TARGET_BYTE, INJECT_IDLE_MS as NATIVE_INJECT_IDLE_MS } from './native/injector.js';

export interface Tap {
  /** WebSocket upgrade handlers by path, for the server's upgrade router. */
  routes: Record<'/tap/audiohook' | '/tap/twilio' | '/tap/native', TapUpgradeHandler>;
  /** Closes every tap connection with 1001 (server shutdown); call before closing the HTTP server. */
  close(): Promise<void>;
}

/** The media tap: AudioHook, Twilio Media Streams and the native protocol, each at its own path. */
export function createTap(ctx: TapContext, metrics: Metrics): Tap {
  const tapMetrics = createTapMetrics(metrics);
  const endpoints = {
    '/tap/audiohook': createAudiohookEndpoint(ctx, tapMetrics),
    '/tap/twilio': createTwilioEndpoint(ctx, tapMetrics),
    '/tap/native': createNativeEndpoint(ctx, tapMetrics),
  };
  return {
    routes: {
      '/tap/audiohook': endpoints['/tap/audiohook'].handle,
      '/tap/twilio': endpoints['/tap/twilio'].handle,
      '/tap/native': endpoints['/tap/native'].handle,
    },
    async close() {
      await Promise.all(Object.values(endpoints).map((e) => e.close()));
    },
  };
}
