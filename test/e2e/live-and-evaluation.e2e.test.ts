import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneDb } from '../../services/audio/index.js';
import { createTapKey } from '../../services/auth/index.js';
import { simulateCall } from '../../services/cli/sim/index.js';
import type { InjectedChunk } from '../../services/cli/sim/types.js';
import { seedDemo } from '../../services/server/demo-seed.js';
import { createAlertRepo } from '../../services/store/index.js';
import { sphinxInstalled } from '../../services/speech/asr/index.js';
import { login, type ApiSession } from '../helpers/api-session.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chromiumInstalled, ensureWebBuild, fakeMicrophoneArgs, launchChromium, PHONE, screenshot, signedInPage, toneWav } from './browser.js';

const FIXTURE = 'test/fixtures/calls/support-good.wav';
const TONE_HZ = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await fn();
    if (v !== undefined) return v;
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!chromiumInstalled() || !sphinxInstalled())('live monitoring, evaluation review and feedback in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let apiKey: string;
  let qa: ApiSession;
  let reviewedCall: string;
  let tmp: string;
  const pageErrors: string[] = [];

  const as = (username: string, password: string, viewport?: { width: number; height: number }) =>
    signedInPage(browser, server.url, { username, password }, { collected: pageErrors, viewport });

  beforeAll(async () => {
    ensureWebBuild();
    tmp = mkdtempSync(join(tmpdir(), 'callsight-e2e-'));
    const wav = join(tmp, 'tone-1khz.wav');
    toneWav(wav, TONE_HZ, 10);
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'e2e-live' })).apiKey;
    qa = await login(server.url, 'qa', 'qa-demo-1');
    // A finished call for the evaluation tests: streamed as fast as the server takes it, scored at its end.
    const done = await simulateCall({
      url: server.wsUrl, file: FIXTURE, protocol: 'native', codec: 'L16', rate: 16000, speed: 0,
      metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US' }, credentials: { apiKey },
    });
    reviewedCall = done.serverCallId!;
    await until('an automatic evaluation', async () => {
      const res = await qa.get(`/api/evaluations?callId=${reviewedCall}`);
      const page = await res.json() as { items: unknown[] };
      return page.items.length > 0 ? true : undefined;
    }, 240_000);
    browser = await launchChromium(fakeMicrophoneArgs(wav));
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('shows a live call on the wallboard and its transcript live; listens; whispers a fake-microphone tone to the agent only', async () => {
    const sup = await as('supervisor', 'supervisor-demo');
    await sup.goto('/wallboard');
    await sup.getByTestId('wallboard-empty').waitFor();
    const injected: (InjectedChunk & { at: number })[] = [];
    const ctl = new AbortController();
    const running = simulateCall({
      url: server.wsUrl, file: FIXTURE, protocol: 'native', codec: 'L16', rate: 16000, speed: 1, maxDurationMs: 60_000, signal: ctl.signal,
      metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US' }, credentials: { apiKey },
      native: { inject: ['agent', 'customer', 'both'] },
      onInjected: (c) => injected.push({ ...c, at: Date.now() }),
    });
    try {
      const row = sup.locator('[data-testid=wallboard-table] tbody tr');
      await row.first().waitFor({ timeout: 15_000 });
      expect(await row.count()).toBe(1);
      expect(await row.first().textContent()).toContain('Alex Agent');
      await expect.poll(() => sup.getByTestId('live-duration').textContent(), { timeout: 5000 }).toMatch(/0:0[2-9]/);
      await screenshot(sup, 'wallboard');

      await sup.getByRole('link', { name: 'Open the live call of Alex Agent' }).click();
      await sup.getByTestId('live-call-page').waitFor();
      const segments = sup.locator('[data-testid=live-transcript] li');
      await segments.first().waitFor({ timeout: 45_000 });
      // Finals arrive while the call is still live (the simulator streams in real time).
      await expect.poll(() => sup.locator('[data-testid=live-transcript] li[data-final=true]').count(), { timeout: 45_000 }).toBeGreaterThan(0);
      expect(await sup.getByTestId('live-ended').count()).toBe(0);
      expect((await sup.getByTestId('live-transcript').textContent())?.length).toBeGreaterThan(10);

      // Listen: Opus frames decoded by WebCodecs into the jitter buffer.
      await sup.getByTestId('mode-listen').click();
      await expect.poll(() => sup.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('listen');
      await expect.poll(async () => Number(await sup.getByTestId('audio-stats').getAttribute('data-played')), { timeout: 10_000 }).toBeGreaterThan(10);

      // Whisper with push-to-talk (held Space on the focused talk button): the tone reaches the agent's leg only.
      await sup.getByTestId('mode-whisper').click();
      await expect.poll(() => sup.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('whisper');
      expect(await sup.getByTestId('talk-state').textContent()).toBe('Microphone muted');
      await sleep(500);
      expect(injected.length, 'nothing is sent before push-to-talk').toBe(0);
      await sup.getByTestId('ptt').focus();
      await sup.keyboard.down(' ');
      expect(await sup.getByTestId('talk-state').textContent()).toBe('On air');
      await screenshot(sup, 'live-call-whisper');
      await sleep(2000);
      await sup.keyboard.up(' ');
      await expect.poll(() => injected.filter((c) => c.target === 'agent').length, { timeout: 5000 }).toBeGreaterThan(40);
      const agent = injected.filter((c) => c.target === 'agent');
      const rate = agent[0].rate;
      const pcm = new Int16Array(agent.reduce((n, c) => n + c.pcm.length, 0));
      let o = 0;
      for (const c of agent) { pcm.set(c.pcm, o); o += c.pcm.length; }
      // Skip the codec's and echo canceller's start-up, then look for the 1 kHz tone.
      const body = pcm.subarray(Math.floor(rate * 0.3));
      expect(toneDb(body, rate, TONE_HZ)).toBeGreaterThan(-35);
      expect(toneDb(body, rate, TONE_HZ)).toBeGreaterThan(toneDb(body, rate, 600) + 15);
      expect(injected.filter((c) => c.target !== 'agent').length, 'nothing for the customer').toBe(0);
      expect(Number(await sup.getByTestId('audio-stats').getAttribute('data-sent'))).toBeGreaterThan(40);

      // Released: no more frames.
      await sleep(300);
      const after = injected.length;
      await sleep(800);
      expect(injected.length).toBe(after);

      await sup.getByTestId('mode-stop').click();
      await expect.poll(() => sup.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('off');
      await screenshot(sup, 'live-call');
      await sup.setViewportSize(PHONE);
      await screenshot(sup, 'live-call-phone');
    } finally {
      ctl.abort();
      await running.catch(() => undefined);
    }
    await sup.context().close();
  }, 180_000);

  it('lists open alerts on the wallboard and acknowledges one', async () => {
    const alert = await createAlertRepo(server.db).insert({
      callId: reviewedCall, ruleId: null, kind: 'negative-sentiment', severity: 'warning', message: 'Customer sentiment negative for 30 s', evidence: { atMs: 12_000 },
    });
    const sup = await as('supervisor', 'supervisor-demo');
    await sup.goto('/wallboard');
    const item = sup.locator(`[data-alert-id="${alert.id}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('Customer sentiment negative for 30 s');
    await screenshot(sup, 'wallboard-alerts');
    await item.getByRole('button', { name: 'Acknowledge the alert “Customer sentiment negative for 30 s”' }).click();
    await item.waitFor({ state: 'detached' });
    const stored = await (await qa.get(`/api/alerts/${alert.id}`)).json() as { acknowledgedBy: { username: string } | null };
    expect(stored.acknowledgedBy?.username).toBe('supervisor');
    await sup.context().close();
  }, 60_000);

  it('a QA reviewer follows evidence, overrides an answer with a timed comment and submits the review', async () => {
    const page = await as('qa', 'qa-demo-1');
    await page.goto(`/calls/${reviewedCall}`);
    const panel = page.getByTestId('evaluation-panel');
    await panel.getByTestId('evaluation').waitFor();
    expect(await panel.getByTestId('eval-status').textContent()).toBe('automatic');

    const evidence = panel.getByTestId('evidence-link');
    await evidence.first().waitFor();
    const startMs = Number(await evidence.nth(1).getAttribute('data-start') ?? await evidence.first().getAttribute('data-start'));
    await (await evidence.count() > 1 ? evidence.nth(1) : evidence.first()).click();
    await expect.poll(async () => page.getByTestId('recording').evaluate((a: HTMLAudioElement) => Math.round(a.currentTime * 1000))).toBeGreaterThanOrEqual(Math.floor(startMs / 1000) * 1000 - 1);

    // Answer what automation left open, and override the first question with a comment at the current time.
    const questions = panel.locator('li.question');
    const n = await questions.count();
    expect(n).toBeGreaterThan(2);
    for (let i = 0; i < n; i++) {
      const q = questions.nth(i);
      if ((await q.getByTestId('answer-in-force').textContent()) !== 'Answer: No answer') continue;
      const control = q.locator('[data-testid^=override-]');
      if (await control.evaluate((el) => el.tagName) === 'SELECT') await control.selectOption('yes');
      else await control.fill(await control.getAttribute('max') ?? '1');
    }
    const first = questions.first();
    const firstId = await first.getAttribute('data-question');
    const control = first.locator('[data-testid^=override-]');
    if (await control.evaluate((el) => el.tagName) === 'SELECT') await control.selectOption('no');
    else await control.fill('0');
    await first.getByTestId(`comment-${firstId}`).fill('Greeting came late; see here.');
    await screenshot(page, 'evaluation-review');
    await panel.getByTestId('submit-review').click();
    await expect.poll(() => panel.getByTestId('eval-message').textContent()).toMatch(/Review submitted/);
    expect(await panel.getByTestId('eval-status').textContent()).toBe('reviewed');

    const list = await (await qa.get(`/api/evaluations?callId=${reviewedCall}`)).json() as { items: { id: string; status: string }[] };
    const detail = await (await qa.get(`/api/evaluations/${list.items[0].id}`)).json() as { status: string; sections: { questions: { id: string; answer: { comment: string | null; commentMs: number | null } | null }[] }[] };
    expect(detail.status).toBe('reviewed');
    const answer = detail.sections.flatMap((s) => s.questions).find((q) => q.id === firstId)?.answer;
    expect(answer?.comment).toBe('Greeting came late; see here.');
    expect(answer?.commentMs).toBeGreaterThan(0);
    await page.context().close();
  }, 120_000);

  it('the agent sees the reviewed evaluation in My feedback and disputes a question with a reason', async () => {
    const page = await as('agent', 'agent-demo');
    await page.getByRole('link', { name: 'My feedback' }).click();
    await page.getByTestId('feedback-page').waitFor();
    const list = await (await qa.get(`/api/evaluations?callId=${reviewedCall}`)).json() as { items: { id: string }[] };
    const item = page.locator(`[data-testid=feedback-item][data-evaluation-id="${list.items[0].id}"]`);
    await item.getByTestId('evaluation').waitFor();
    expect(await item.getByTestId('feedback-status').textContent()).toBe('reviewed');
    await page.getByTestId('score-trend').waitFor();
    const q = item.locator('li.question').first();
    const qid = await q.getAttribute('data-question');
    await q.getByTestId(`dispute-${qid}`).click();
    await q.getByTestId('dispute-reason').fill('I greeted the customer in my first sentence.');
    await q.getByRole('button', { name: 'Send dispute' }).click();
    await expect.poll(() => item.getByTestId('eval-message').textContent()).toMatch(/Dispute sent/);
    expect(await q.getByTestId('dispute-line').textContent()).toBe('Open: I greeted the customer in my first sentence.');
    await expect.poll(() => item.getByTestId('feedback-status').textContent()).toBe('disputed');
    await screenshot(page, 'my-feedback');
    const disputes = await (await qa.get('/api/disputes')).json() as { items: { questionId: string; reason: string }[] };
    expect(disputes.items).toEqual([expect.objectContaining({ questionId: qid, reason: 'I greeted the customer in my first sentence.' })]);
    await page.setViewportSize(PHONE);
    await screenshot(page, 'my-feedback-phone');
    await page.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
