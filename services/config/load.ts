import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../core/index.js';
import { configSchema, type Config, type ConfigInput } from './schema.js';

/** Environment variables and the config keys they set. */
const ENV: Record<string, string> = {
  HOST: 'host', PORT: 'port', PUBLIC_URL: 'publicUrl', DATA_DIR: 'dataDir', NODE_ID: 'nodeId', DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl', LOG_LEVEL: 'logLevel', DEMO: 'demo', FFMPEG_PATH: 'ffmpegPath',
  SESSION_TTL_HOURS: 'session.ttlHours', SESSION_SECURE_COOKIE: 'session.secureCookie',
  LOGIN_MAX_FAILURES: 'login.maxFailures', LOGIN_WINDOW_SECONDS: 'login.windowSeconds',
  TAP_MAX_MESSAGE_BYTES: 'tap.maxMessageBytes', TAP_INTERRUPT_GRACE_MS: 'tap.interruptGraceMs',
  TAP_MAX_SKEW_MS: 'tap.maxSkewMs', TAP_IDLE_TIMEOUT_MS: 'tap.idleTimeoutMs',
  TWILIO_AUTH_TOKEN: 'tap.twilioAuthToken',
  SPEECH_ENABLED: 'speech.enabled', ASR_ENGINE: 'speech.asrEngine', DEFAULT_LANGUAGE: 'speech.defaultLanguage',
  ASR_WORKERS: 'speech.asrWorkers', ASR_SKIP_SILENCE: 'speech.skipSilence', MODELS_DIR: 'speech.modelsDir',
  METRICS_MIN_NON_TALK_MS: 'speech.metrics.minNonTalkMs', METRICS_MIN_INTERRUPTION_OVERLAP_MS: 'speech.metrics.minInterruptionOverlapMs',
  METRICS_LONG_PAUSE_MS: 'speech.metrics.longPauseMs',
  RECORDING_TRANSCODE: 'recording.transcode', RECORDING_OPUS_KBPS: 'recording.opusBitrateKbps',
  LIVE_NOTIFY_TONE: 'live.notifyTone', LIVE_ALLOWED_ORIGINS: 'live.allowedOrigins',
  LIVE_LISTENER_QUEUE_FRAMES: 'live.listenerQueueFrames', LIVE_LISTENER_MAX_BUFFERED_BYTES: 'live.listenerMaxBufferedBytes',
  LIVE_LISTENER_MAX_LAG_MS: 'live.listenerMaxLagMs', LIVE_ENCODER_WORKERS: 'live.encoderWorkers',
};

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Tree;
  node[keys[keys.length - 1]] = value;
}

function mergeDeep(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object'
      ? mergeDeep(prev as Tree, v as Tree) : v;
  }
  return out;
}

function envBool(v: string): unknown {
  if (/^(true|1|yes|on)$/i.test(v)) return true;
  if (/^(false|0|no|off)$/i.test(v)) return false;
  return v;
}

/** Reads the optional file named by CALLSIGHT_CONFIG (YAML or JSON), then environment variables, then overrides. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigInput = {}): Config {
  let tree: Tree = {};
  const file = env.CALLSIGHT_CONFIG;
  if (file) {
    let text: string;
    try { text = readFileSync(file, 'utf8'); } catch (cause) {
      throw new ValidationError(`cannot read config file ${file}`, 'CALLSIGHT_CONFIG', { cause });
    }
    try { tree = (parseYaml(text) ?? {}) as Tree; } catch (cause) {
      throw new ValidationError(`config file ${file} is not valid YAML/JSON: ${(cause as Error).message}`, file, { cause });
    }
  }
  const fromEnv: Tree = {};
  for (const [name, path] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(fromEnv, path, envBool(v));
  }
  tree = mergeDeep(mergeDeep(tree, fromEnv), overrides as Tree);
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ValidationError(`invalid configuration:\n${lines.join('\n')}`, parsed.error.issues[0]?.path.join('.') ?? '');
  }
  return parsed.data;
}
