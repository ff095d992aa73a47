import { hostname } from 'node:os';
import { z } from 'zod';

/** Every default is the embedded one: PGlite under ./data, local disk, in-process bus. */
export const configSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Public base URL (used for Twilio signature checks and printed links). */
  publicUrl: z.string().url().optional(),
  dataDir: z.string().default('./data'),
  /** This server's name among several sharing one database (stable across restarts: stale live calls are its own). */
  nodeId: z.string().min(1).default(hostname()),
  /** PostgreSQL connection string; unset means embedded PGlite in `${dataDir}/db`. */
  databaseUrl: z.string().optional(),
  /** Redis for multi-node event routing; unset means the in-process bus. */
  redisUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Demo mode creates one user per role and streams a simulated call. */
  demo: z.coerce.boolean().default(false),
  /** Explicit ffmpeg binary; otherwise the system's, else the one shipped by @ffmpeg-installer. */
  ffmpegPath: z.string().optional(),
  session: z.object({
    ttlHours: z.coerce.number().positive().default(12),
    secureCookie: z.coerce.boolean().default(false),
  }).default({ ttlHours: 12, secureCookie: false }),
  login: z.object({
    maxFailures: z.coerce.number().int().positive().default(5),
    windowSeconds: z.coerce.number().int().positive().default(300),
  }).default({ maxFailures: 5, windowSeconds: 300 }),
  tap: z.object({
    /** Largest WebSocket message accepted from a tap, in bytes. */
    maxMessageBytes: z.coerce.number().int().positive().default(65_536),
    /** How long a disconnected call waits for its tap to resume before it is marked interrupted. */
    interruptGraceMs: z.coerce.number().int().nonnegative().default(10_000),
    /** How far one channel may lag the other before its missing audio is filled with silence. */
    maxSkewMs: z.coerce.number().int().positive().default(500),
    /** Seconds a tap may send nothing before it is considered stalled. */
    idleTimeoutMs: z.coerce.number().int().positive().default(30_000),
    /** Twilio account auth token: when set, X-Twilio-Signature is required and verified. */
    twilioAuthToken: z.string().optional(),
  }).default({ maxMessageBytes: 65_536, interruptGraceMs: 10_000, maxSkewMs: 500, idleTimeoutMs: 30_000 }),
  speech: z.object({
    /** Transcription, voice activity, sentiment and metrics for every call. */
    enabled: z.coerce.boolean().default(true),
    /** `auto` picks an installed Vosk model for the call's language, else PocketSphinx (English, 16 kHz). */
    asrEngine: z.enum(['auto', 'vosk', 'sphinx']).default('auto'),
    /** Language of calls whose tap does not say (BCP 47). */
    defaultLanguage: z.string().min(2).default('en-US'),
    /** ASR worker threads; 0 means one per core. */
    asrWorkers: z.coerce.number().int().min(0).max(64).default(0),
    /** Recognise only what voice activity detection calls speech (saves CPU on silence). */
    skipSilence: z.coerce.boolean().default(true),
    /** Installed models (npm run models). */
    modelsDir: z.string().default('models'),
    /** Conversation-metric thresholds (docs/metrics.md); unset ones keep their documented defaults. */
    metrics: z.object({
      minNonTalkMs: z.coerce.number().nonnegative().optional(),
      minInterruptionOverlapMs: z.coerce.number().nonnegative().optional(),
      longPauseMs: z.coerce.number().nonnegative().optional(),
      minTalkMsForRate: z.coerce.number().nonnegative().optional(),
      agitation: z.record(z.string(), z.coerce.number()).optional(),
    }).default({}),
  }).default({ enabled: true, asrEngine: 'auto', defaultLanguage: 'en-US', asrWorkers: 0, skipSilence: true, modelsDir: 'models', metrics: {} }),
  live: z.object({
    /** Two short beeps to the agent when a supervisor starts whispering or barging (off: supervisors coach silently). */
    notifyTone: z.coerce.boolean().default(false),
    /** Browser origins besides the server's own (Host, PUBLIC_URL) that may open the supervisor WebSocket. */
    allowedOrigins: z.preprocess(
      (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
      z.array(z.string().url()),
    ).default([]),
    /** Listen frames (20 ms each) held for a supervisor who is behind before the oldest are dropped. */
    listenerQueueFrames: z.coerce.number().int().positive().default(25),
    /** Bytes queued on a supervisor socket above which its audio waits (and then drops) instead. */
    listenerMaxBufferedBytes: z.coerce.number().int().positive().default(65_536),
    /** A supervisor socket that has not answered a ping for this long is behind: its audio waits, then drops. */
    listenerMaxLagMs: z.coerce.number().int().positive().default(1000),
    /** Threads encoding listen audio (Opus); unset: one per four cores (none below four cores); 0: on the event loop. */
    encoderWorkers: z.coerce.number().int().min(0).max(64).optional(),
  }).default({ notifyTone: false, allowedOrigins: [], listenerQueueFrames: 25, listenerMaxBufferedBytes: 65_536, listenerMaxLagMs: 1000 }),
  recording: z.object({
    /** Transcode to Ogg/Opus at call end (the WAV is kept until the transcode is verified). */
    transcode: z.coerce.boolean().default(true),
    /** 64 kbps keeps the two parties apart in coupled stereo (crosstalk about -66 dB; at 24 kbps about -9 dB). */
    opusBitrateKbps: z.coerce.number().int().min(32).max(256).default(64),
  }).default({ transcode: true, opusBitrateKbps: 64 }),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
