import type { CallRegistry } from '../../calls/index.js';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../core/index.js';
import type { Db } from '../../store/index.js';

/** What the tap needs from the composition root (a subset of the server's context). */
export interface TapContext {
  config: Config;
  log: Logger;
  db: Db;
  registry: CallRegistry;
}
