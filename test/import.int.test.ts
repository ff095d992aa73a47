import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../services/audio/index.js';
import { probeAudio } from '../services/import/index.js';
import { seedDemo } from '../services/server/demo-seed.js';
import { sphinxInstalled } from '../services/speech/asr/index.js';
import { createCallRepo, createTranscriptRepo, openPglite, type CallRecord, type Db, type StoredSegment } from '../services/store/index.js';
import { login, type ApiSession } from './helpers/api-session.js';
import { openTestDb } from './helpers/db.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const FIXTURE = 'test/fixtures/calls/support-good.wav';
const CLIP_S = 15;
const work = mkdtempSync(join(tmpdir(), 'callsight-import-'));
const src = (name: string) => join(work, 'src', name);

/** The first seconds of a fixture call (agent left, customer right) in every format the import takes, made with the system ffmpeg. */
function makeFiles(): void {
  mkdirSync(join(work, 'src'));
  const ff = (args: string[]) => execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args]);
  ff(['-i', FIXTURE, '-t', String(CLIP_S), src('clip.wav')]);
  ff(['-i', src('clip.wav'), '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', src('clip.mp3')]);
  ff(['-i', src('clip.wav'), '-c:a', 'libvorbis', src('clip.ogg')]);
  ff(['-i', src('clip.wav'), '-c:a', 'libopus', '-b:a', '48k', src('clip.opus')]);
  ff(['-i', src('clip.wav'), '-c:a', 'aac', '-b:a', '96k', src('clip.m4a')]);
  ff(['-i', src('clip.wav'), '-ac', '1', src('mono.wav')]);
  ff(['-i', 'test/fixtures/calls/support-good.ulaw.wav', '-t', String(CLIP_S), '-c:a', 'pcm_mulaw', src('narrowband.wav')]);
  writeFileSync(src('corrupt.mp3'), noise(64 * 1024));
  writeFileSync(src('notes.txt'), 'Call notes: customer called about the internet dropping.\n');
}

/** The same "random" bytes every run (a corrupt file's exact complaint depends on its bytes). */
function noise(n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; b[i] = x & 0xff; }
  return b;
}

const words = (segments: readonly StoredSegment[], speaker: string) => segments.filter((s) => s.speaker === speaker).map((s) => s.text).join(' ');
const AGENT_WORDS = /my name is sarah/;
const CUSTOMER_WORDS = /every evening/;

describe.skipIf(!sphinxInstalled())('batch import of recorded calls', () => {
  beforeAll(() => makeFiles());
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('probes every format alike with ffprobe and, without it, with ffmpeg alone', async () => {
    const ffmpegPath = resolveFfmpeg().path;
    for (const name of ['clip.wav', 'clip.mp3', 'clip.ogg', 'clip.opus', 'clip.m4a', 'mono.wav', 'narrowband.wav']) {
      const withProbe = await probeAudio(src(name), { ffmpegPath, ffprobePath: execFileSync('which', ['ffprobe']).toString().trim() });
      const alone = await probeAudio(src(name), { ffmpegPath });
      expect(alone).toMatchObject({ rate: withProbe.rate, channels: withProbe.channels, codec: withProbe.codec });
      expect(Math.abs((alone.durationMs ?? 0) - (withProbe.durationMs ?? 0))).toBeLessThan(100);
    }
    for (const opts of [{ ffmpegPath }, { ffmpegPath, ffprobePath: 'ffprobe' }]) {
      await expect(probeAudio(src('notes.txt'), opts)).rejects.toThrow(/notes.txt: not a readable audio file \(Invalid data found when processing input\)/);
    }
  });

  describe('npm run import (the command line, as a process)', () => {
    const dataDir = join(work, 'cli-data');
    let testDb: (Db & { url?: string }) | undefined;
    afterAll(async () => { await testDb?.close(); });

    it('imports mp3, wav, ogg, opus and m4a faster than real time with CSV metadata; bad files fail alone', async () => {
      if (process.env.TEST_DATABASE_URL) testDb = await openTestDb();
      writeFileSync(src('meta.csv'), [
        'file,agent,queue,direction,customerNumber,startedAt,left',
        'clip.opus,agent-2001,sales,outbound,+15555550199,2026-11-20T09:30:00Z,',
        'clip.ogg,,,,,,customer',
      ].join('\n'));
      const files = ['clip.wav', 'clip.mp3', 'clip.ogg', 'clip.opus', 'clip.m4a', 'corrupt.mp3', 'notes.txt', 'narrowband.wav'].map(src);
      const started = performance.now();
      const result = await run(process.execPath, [
        '--import', 'tsx', 'services/cli/import.ts', '--json', '--agent', 'agent-1001', '--queue', 'support', '--csv', src('meta.csv'), ...files,
      ], {
        timeout: 300_000, maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent', MODELS_DIR: join(work, 'no-models'),
          ...(testDb?.url ? { DATABASE_URL: testDb.url } : {}),
        },
      }).then(() => ({ code: 0, stdout: '' }), (err: { code: number; stdout: string; stderr: string }) => err);
      const wallS = (performance.now() - started) / 1000;
      expect(result.code, `exit ${result.code} ${(result as { signal?: string }).signal ?? ''}: ${(result as { stderr?: string }).stderr?.slice(-2000) ?? ''}`).toBe(1);
      const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const byFile = new Map(lines.filter((l) => 'file' in l).map((l) => [String(l.file).replace(/^.*\//, ''), l]));
      expect(byFile.get('corrupt.mp3')).toMatchObject({ ok: false, error: expect.stringMatching(/^corrupt.mp3: not a readable audio file \(.+\)$/) as string });
      expect(byFile.get('notes.txt')).toMatchObject({ ok: false, error: 'notes.txt: not a readable audio file (Invalid data found when processing input)' });
      const imported = ['clip.wav', 'clip.mp3', 'clip.ogg', 'clip.opus', 'clip.m4a', 'narrowband.wav'];
      for (const name of imported) expect(byFile.get(name), name).toMatchObject({ ok: true, callId: expect.any(String) as string });
      const summary = lines.find((l) => 'summary' in l)?.summary as { imported: number; failed: number; audioMs: number; wallMs: number; speed: number };
      expect(summary).toMatchObject({ imported: 6, failed: 2 });
      console.log(`npm run import: ${summary.imported} files, ${(summary.audioMs / 1000).toFixed(1)} s of audio processed in ${(summary.wallMs / 1000).toFixed(1)} s `
        + `= ${summary.speed.toFixed(1)}x real time (${wallS.toFixed(1)} s with start-up)`);
      expect(summary.speed).toBeGreaterThan(1);

      const db = testDb ?? await openPglite(join(dataDir, 'db'));
      try {
        const calls = createCallRepo(db);
        const transcripts = createTranscriptRepo(db);
        const call = async (name: string) => (await calls.get(byFile.get(name)!.callId as string, { kind: 'all' }))!;
        for (const name of imported) {
          const c = await call(name);
          expect(c, name).toMatchObject({ protocol: 'import', status: 'ended', externalId: name, recording: { format: 'ogg' } });
          expect(Math.abs(c.durationMs! - CLIP_S * 1000), name).toBeLessThan(100);
          expect(existsSync(join(dataDir, c.recording!.path)), name).toBe(true);
          expect(c.stats.import).toMatchObject({ state: 'done', progress: 1 });
        }
        for (const name of ['clip.wav', 'clip.mp3', 'clip.opus', 'clip.m4a']) {
          const c = await call(name);
          expect(c.sampleRate).toBe(16000);
          expect(c.transcription, name).toMatchObject({ status: 'done', engine: 'sphinx' });
          const segments = await transcripts.listSegments(c.id);
          expect(words(segments, 'agent'), name).toMatch(AGENT_WORDS);
          expect(words(segments, 'customer'), name).toMatch(CUSTOMER_WORDS);
        }
        // The CSV row: metadata per file, over the options.
        const opus = await call('clip.opus');
        expect(opus).toMatchObject({ direction: 'outbound', customerNumber: '+15555550199', agent: { externalId: 'agent-2001' }, queue: { name: 'sales' } });
        expect(opus.startedAt.toISOString()).toBe('2026-11-20T09:30:00.000Z');
        expect(opus.endedAt!.getTime() - opus.startedAt.getTime()).toBe(opus.durationMs);
        const wav = await call('clip.wav');
        expect(wav).toMatchObject({ direction: 'inbound', agent: { externalId: 'agent-1001' }, queue: { name: 'support' }, metadata: { import: { channels: 'stereo', left: 'agent' } } });
        // left=customer in the CSV: the agent's words land on the customer.
        const swapped = await transcripts.listSegments((await call('clip.ogg')).id);
        expect(words(swapped, 'customer')).toMatch(AGENT_WORDS);
        expect(words(swapped, 'agent')).toMatch(CUSTOMER_WORDS);
        // 8 kHz stays 8 kHz; PocketSphinx is wideband only, and the call says so.
        const narrow = await call('narrowband.wav');
        expect(narrow).toMatchObject({ sampleRate: 8000, transcription: { status: 'not-transcribed' } });
        const [{ n }] = await db.query<{ n: number | string }>("select count(*) as n from calls where protocol = 'import'");
        expect(Number(n)).toBe(6);
      } finally {
        if (!testDb) await db.close();
      }
    }, 400_000);

    it('explains usage errors with exit code 2', async () => {
      const r = await run(process.execPath, ['--import', 'tsx', 'services/cli/import.ts', '--direction', 'sideways', src('clip.wav')], {
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => err);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/option: direction must be inbound or outbound/);
    }, 60_000);
  });

  describe('POST /api/calls/import', () => {
    let server: TestServer;
    let admin: ApiSession;
    let agent: ApiSession;

    beforeAll(async () => {
      server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: join(work, 'no-models') } });
      await seedDemo(server.db);
      admin = await login(server.url, 'admin', 'admin-demo');
      agent = await login(server.url, 'agent', 'agent-demo');
    });
    afterAll(async () => { await server?.close(); });

    const upload = (session: ApiSession | null, files: [string, string?][], fields: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      for (const [file, as] of files) form.append('file', new Blob([readFileSync(src(file))]), as ?? file);
      return fetch(`${server.url}/api/calls/import`, {
        method: 'POST', body: form, headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : {},
      });
    };

    async function settled(callId: string): Promise<CallRecord & { recording: { url: string } | null }> {
      for (let i = 0; i < 1200; i++) {
        const call = await (await admin.get(`/api/calls/${callId}`)).json() as CallRecord & { recording: { url: string } | null };
        if (call.status !== 'live' && ['done', 'not-transcribed', 'failed'].includes(call.transcription.status)) return call;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`import of ${callId} never finished`);
    }

    it('imports uploads in the background: swapped channels, mono; a text file is refused by name', async () => {
      const res = await upload(admin, [['clip.wav', 'swapped.wav'], ['mono.wav'], ['notes.txt']], { agent: 'agent-1001', queue: 'support', left: 'customer', language: 'en-US' });
      expect(res.status).toBe(202);
      const body = await res.json() as { calls: { file: string; callId: string; channels: string }[]; errors: { file: string; error: string }[] };
      expect(body.calls.map((c) => [c.file, c.channels])).toEqual([['swapped.wav', 'stereo'], ['mono.wav', 'mono']]);
      expect(body.errors).toEqual([{ file: 'notes.txt', error: 'notes.txt: not a readable audio file (Invalid data found when processing input)' }]);

      const [swapped, mono] = await Promise.all(body.calls.map((c) => settled(c.callId)));
      expect(swapped).toMatchObject({ protocol: 'import', status: 'ended', transcription: { status: 'done' }, agent: { externalId: 'agent-1001' }, stats: { import: { state: 'done' } } });
      const speed = (swapped.stats.import as { speed: number }).speed;
      console.log(`POST /api/calls/import: ${CLIP_S} s stereo call imported at ${speed}x real time`);
      const t = async (id: string) => (await (await admin.get(`/api/calls/${id}/transcript`)).json() as { segments: StoredSegment[] }).segments;
      const swappedText = await t(swapped.id);
      expect(words(swappedText, 'customer')).toMatch(AGENT_WORDS);
      expect(words(swappedText, 'agent')).toMatch(CUSTOMER_WORDS);
      const monoText = await t(mono.id);
      expect(words(monoText, 'agent')).toMatch(AGENT_WORDS);
      expect(words(monoText, 'agent')).toMatch(CUSTOMER_WORDS);
      expect(words(monoText, 'customer')).toBe('');

      const rec = await admin.get(swapped.recording!.url);
      expect(rec.status).toBe(200);
      expect(rec.headers.get('content-type')).toMatch(/ogg/);
      expect((await rec.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
      await expect.poll(() => readdirSync(join(server.dataDir, 'imports')), { timeout: 5000 }).toEqual([]);
    }, 300_000);

    it('422 when no file is audio, 400 without files or with bad metadata', async () => {
      const res = await upload(admin, [['notes.txt'], ['corrupt.mp3']]);
      expect(res.status).toBe(422);
      const body = await res.json() as { errors: { file: string; error: string }[] };
      expect(body.errors.map((e) => e.file)).toEqual(['notes.txt', 'corrupt.mp3']);
      expect(body.errors[1].error).toMatch(/corrupt.mp3: not a readable audio file/);
      expect((await upload(admin, [], { agent: 'agent-1001' })).status).toBe(400);
      const bad = await upload(admin, [['mono.wav']], { direction: 'sideways' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: 'direction must be inbound or outbound' });
    });

    it('401 without a session, 403 for the agent role, 413 over the size limit', async () => {
      expect((await upload(null, [['mono.wav']])).status).toBe(401);
      expect((await upload(agent, [['mono.wav']])).status).toBe(403);
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(`${server.url}/api/calls/import`, {
          method: 'POST',
          headers: {
            cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'content-type': 'multipart/form-data; boundary=b',
            'content-length': String(1024 * 1024 * 1024),
          },
        }, (res) => { res.resume(); resolve(res.statusCode ?? 0); req.destroy(); });
        req.on('error', reject);
        req.write('--b\r\n');
      });
      expect(status).toBe(413);
    });
  });
});
