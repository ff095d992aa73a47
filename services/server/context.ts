import type { CallRegistry } from '../calls/index.js';
import type { Config } from '../config/index.js';
import type { Logger, Metrics } from '../core/index.js';
import type { EventBus } from '../live/index.js';
import type { Db } from '../store/index.js';

/** What the composition root hands to routes and tap handlers. */
export interface ServerContext {
  config: Config;
  log: Logger;
  db: Db;
  bus: EventBus;
  metrics: Metrics;
  registry: CallRegistry;
}
