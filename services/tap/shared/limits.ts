import type { Config } from '../../config/index.js';

/**
 * How far a timestamped frame may land beyond its channel's end. Longer gaps than a stalled connection plus the
 * resume grace period cannot happen on a healthy tap, and honouring them would record that much silence per frame.
 */
export function maxJumpMs(config: Config): number {
  return Math.max(60_000, config.tap.idleTimeoutMs + config.tap.interruptGraceMs + 10_000);
}
