import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../../services/auth/index.js';
import { seedDemo } from '../../services/server/demo-seed.js';
import { login, type ApiSession } from '../helpers/api-session.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startToneCall } from '../live-helpers.js';
import { chromiumInstalled, ensureWebBuild, launchChromium, openPage, screenshot, signIn, signedInPage } from './browser.js';

interface NoteJson { id: string; atMs: number; text: string; author: { username: string } | null }

/** Text without the Unicode isolates that keep durations left to right in Persian. */
const isolatesOff = (s: string) => s.replace(/[\u2066-\u2069]/g, '');

/** m:ss of a call time, as the page shows it. */
const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

describe.skipIf(!chromiumInstalled())('coaching notes in Chromium: written on the live call, read on the review', () => {
  let server: TestServer;
  let browser: Browser;
  let apiKey: string;
  let qa: ApiSession;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer();
    await seedDemo(server.db);
    apiKey = (await createTapKey(server.db, { name: 'e2e-notes' })).apiKey;
    qa = await login(server.url, 'qa', 'qa-demo-1');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a supervisor saves a note at the live call\'s time; after the call it is on the review page with a seek link', async () => {
    const call = startToneCall({ url: server.wsUrl, protocol: 'native', credentials: { apiKey }, agentId: 'agent-1001', seconds: 60 });
    let callId: string;
    const { page: sup, errors } = await openPage(browser, server.url);
    sup.on('close', () => pageErrors.push(...errors));
    const note = 'Customer asked twice about the refund; confirm it in one sentence.';
    try {
      callId = await call.callId;
      await signIn(sup, 'supervisor', 'supervisor-demo');
      await sup.goto(`/live/${callId}`);
      await sup.getByTestId('live-agent').waitFor();
      const notes = sup.getByTestId('call-notes');
      await notes.getByTestId('notes-empty').waitFor();
      // A second watcher (an admin) has the same live call open: the note appears there without a reload.
      const watcher = await signedInPage(browser, server.url, { username: 'admin', password: 'admin-demo' }, { collected: pageErrors });
      await watcher.goto(`/live/${callId}`);
      await watcher.getByTestId('call-notes').getByTestId('notes-empty').waitFor();
      expect(await notes.getByTestId('note-save').isDisabled()).toBe(true);
      // Wait until the call is a few seconds old, then type: the note takes the time typing started.
      await expect.poll(() => notes.getByTestId('note-at').textContent(), { timeout: 10_000 }).toMatch(/At .*0:0[3-9]/);
      const box = notes.getByLabel('Coaching note');
      await box.focus();
      expect(await box.evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
      await sup.keyboard.type(note.slice(0, 20));
      const stamped = await notes.getByTestId('note-at').textContent();
      await sup.waitForTimeout(1200);
      await sup.keyboard.type(note.slice(20));
      expect(await notes.getByTestId('note-at').textContent(), 'the time stays where typing started').toBe(stamped);
      await sup.keyboard.press('Control+Enter');
      await expect.poll(() => notes.getByTestId('note-body').allTextContents()).toEqual([note]);
      expect(await notes.getByRole('status').textContent()).toMatch(/^Note saved at /);
      expect(await box.inputValue()).toBe('');
      await screenshot(sup, 'live-call-note');
      await expect.poll(() => watcher.getByTestId('call-notes').getByTestId('note-body').allTextContents(), { timeout: 10_000 }).toEqual([note]);
      await watcher.context().close();
    } finally {
      await call.stop();
    }
    await sup.getByTestId('live-ended').waitFor({ timeout: 15_000 });

    const stored = await (await qa.get(`/api/calls/${callId}/notes`)).json() as { items: NoteJson[] };
    expect(stored.items).toEqual([expect.objectContaining({ text: note, author: expect.objectContaining({ username: 'supervisor' }) })]);
    const atMs = stored.items[0].atMs;
    expect(atMs).toBeGreaterThanOrEqual(3000);
    expect(await sup.getByTestId('note-at').count()).toBe(1);

    // After the call (once its recording is stored): the review page lists the note; its time seeks the recording there.
    await expect.poll(async () => ((await (await qa.get(`/api/calls/${callId}`)).json()) as { recording: unknown }).recording, { timeout: 20_000 }).not.toBeNull();
    await sup.getByRole('link', { name: 'Open the call review' }).click();
    await sup.waitForURL(`**/calls/${callId}`);
    const item = sup.getByTestId('call-notes').locator(`li[data-at-ms="${atMs}"]`);
    await item.waitFor();
    expect(await item.getByTestId('note-body').textContent()).toBe(note);
    expect(await item.textContent()).toContain('Sam Supervisor');
    const seek = item.getByTestId('note-seek');
    expect(isolatesOff(await seek.getAttribute('aria-label') ?? '')).toBe(`Play from ${clock(atMs)}`);
    await sup.getByTestId('recording').waitFor({ state: 'attached', timeout: 15_000 });
    await seek.click();
    await expect.poll(() => sup.getByTestId('recording').evaluate((a: HTMLAudioElement) => Math.round(a.currentTime * 1000)), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(atMs - 50);
    await screenshot(sup, 'review-notes');
    await sup.context().close();

    // The call's own agent reads it; a trainer's review page has no notes box (the API refuses trainers).
    for (const [user, password, visible] of [['agent', 'agent-demo', true], ['trainer', 'trainer-demo', false]] as const) {
      const { page, errors: e } = await openPage(browser, server.url);
      page.on('close', () => pageErrors.push(...e));
      await signIn(page, user, password);
      await page.goto(`/calls/${callId}`);
      await page.getByTestId('review-page').waitFor();
      await page.getByTestId('evaluation-panel').waitFor();
      if (visible) {
        expect(await page.getByTestId('call-notes').getByTestId('note-body').textContent()).toBe(note);
        expect(await page.getByTestId('note-text').count(), 'agents do not write notes').toBe(0);
      } else {
        expect(await page.getByTestId('call-notes').count()).toBe(0);
      }
      await page.context().close();
    }
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
