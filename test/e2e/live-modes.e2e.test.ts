import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toneDb } from '../../services/audio/index.js';
import { createTapKey } from '../../services/auth/index.js';
import { seedDemo } from '../../services/server/demo-seed.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { injectedPcm, startToneCall, type RunningCall } from '../live-helpers.js';
import { chromiumInstalled, ensureWebBuild, fakeMicrophoneArgs, launchChromium, screenshot, signedInPage, toneWav } from './browser.js';

const MIC_HZ = 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The live call screen's other modes: barge with push-to-talk (the fake microphone's tone reaches both parties), and
 * a receive-only tap (AudioHook) where whisper and barge are disabled with the call's reason — in English and
 * Persian — while listening still works.
 */
describe.skipIf(!chromiumInstalled())('live call screen: barge, and whisper/barge refused on a receive-only tap', () => {
  let server: TestServer;
  let browser: Browser;
  let apiKey: string;
  let tmp: string;
  const calls: RunningCall[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    tmp = mkdtempSync(join(tmpdir(), 'callsight-e2e-modes-'));
    const wav = join(tmp, 'mic.wav');
    toneWav(wav, MIC_HZ, 10);
    server = await startTestServer();
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'e2e-modes' })).apiKey;
    browser = await launchChromium(fakeMicrophoneArgs(wav));
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(calls.map((c) => c.stop()));
    await browser?.close();
    await server?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  function call(protocol: 'native' | 'audiohook'): RunningCall {
    const c = startToneCall({
      url: server.wsUrl, protocol, credentials: { apiKey }, agentId: 'agent-1001', seconds: 60,
      lookup: (ext) => server.registry.live().find((s) => s.meta.externalId === ext)?.id,
    });
    calls.push(c);
    return c;
  }

  async function liveCallPage(callId: string): Promise<Page> {
    const page = await signedInPage(browser, server.url, { username: 'supervisor', password: 'supervisor-demo' }, { collected: pageErrors });
    await page.goto(`/live/${callId}`);
    await page.getByTestId('live-call-page').waitFor(); // a direct load: the server serves the app for /live/:id
    return page;
  }

  it('barges with push-to-talk: the microphone reaches both parties, nothing goes to one party alone', async () => {
    const c = call('native');
    const page = await liveCallPage(await c.callId);
    await page.getByTestId('mode-barge').click();
    await expect.poll(() => page.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('barge');
    await sleep(300);
    expect(c.injected, 'nothing is sent before push-to-talk').toHaveLength(0);
    await page.getByTestId('ptt').focus();
    await page.keyboard.down(' ');
    await sleep(1500);
    await page.keyboard.up(' ');
    await expect.poll(() => injectedPcm(c, 'both').length, { timeout: 5000 }).toBeGreaterThan(8000);
    const both = injectedPcm(c, 'both').subarray(2400);
    expect(toneDb(both, 8000, MIC_HZ)).toBeGreaterThan(-35);
    expect(injectedPcm(c, 'agent')).toHaveLength(0);
    expect(injectedPcm(c, 'customer')).toHaveLength(0);
    await screenshot(page, 'live-call-barge');
    await page.getByTestId('mode-stop').click();
    await expect.poll(() => page.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('off');
    await page.context().close();
  }, 60_000);

  it('on an AudioHook call disables whisper and barge with the reason (English and Persian); listening works', async () => {
    const c = call('audiohook');
    const page = await liveCallPage(await c.callId);
    for (const mode of ['whisper', 'barge'] as const) {
      expect(await page.getByTestId(`mode-${mode}`).isDisabled()).toBe(true);
      expect(await page.getByTestId(`refusal-${mode}`).textContent()).toContain(`(no ${mode})`);
    }
    await page.getByTestId('mode-listen').click();
    await expect.poll(() => page.getByTestId('monitor-mode').getAttribute('data-mode')).toBe('listen');
    await expect.poll(async () => Number(await page.getByTestId('audio-stats').getAttribute('data-played')), { timeout: 10_000 }).toBeGreaterThan(10);

    await page.getByTestId('language').selectOption('fa');
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    const refusal = await page.getByTestId('refusal-whisper').textContent();
    expect(refusal).toMatch(/[\u0600-\u06FF]/); // the label and sentence in Persian, the tap's reason quoted
    expect(refusal).toContain('(no whisper)');
    expect(await page.getByTestId('mode-whisper').isDisabled()).toBe(true);
    await screenshot(page, 'live-call-receive-only-fa');
    await page.getByTestId('mode-stop').click();
    await page.context().close();
  }, 60_000);
});
