import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../../services/auth/index.js';
import { simulateCall } from '../../services/cli/sim/index.js';
import { seedDemo } from '../../services/server/demo-seed.js';
import { sphinxInstalled } from '../../services/speech/asr/index.js';
import { login, type ApiSession } from '../helpers/api-session.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chromiumInstalled, ensureWebBuild, launchChromium, navLabels, openPage, PHONE, screenshot, signedInPage } from './browser.js';

const DIR = 'test/fixtures/calls';
const PASSWORDS = { admin: 'admin-demo', trainer: 'trainer-demo', qa: 'qa-demo-1', supervisor: 'supervisor-demo', agent: 'agent-demo' } as const;
type RoleName = keyof typeof PASSWORDS;

async function settled(api: ApiSession, callId: string): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const res = await api.get(`/api/calls/${callId}/transcript`);
    if (res.status === 200) {
      const status = (await res.json() as { transcription: { status: string } }).transcription.status;
      if (['done', 'not-transcribed', 'failed'].includes(status)) return status;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`transcription of ${callId} never settled`);
}

/** Text with Persian digits turned into ASCII ones, to read numbers back. */
const asciiDigits = (s: string) => s.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0));

describe.skipIf(!chromiumInstalled() || !sphinxInstalled())('web app in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let goodCall: string;
  let salesCall: string;
  const pageErrors: string[] = [];

  const as = (role: RoleName, viewport?: { width: number; height: number }) =>
    signedInPage(browser, server.url, { username: role, password: PASSWORDS[role] }, { collected: pageErrors, viewport });

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer({ speech: { enabled: true, asrEngine: 'auto', modelsDir: 'test/fixtures/no-models' } });
    await seedDemo(server.db);
    const apiKey = (await createTapKey(server.db, { name: 'e2e' })).apiKey;
    const [good, sales] = await Promise.all([
      simulateCall({
        url: server.wsUrl, file: `${DIR}/support-good.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 0,
        metadata: { agentId: 'agent-1001', queue: 'support', language: 'en-US', customerNumber: '+15555550142' }, credentials: { apiKey },
      }),
      simulateCall({
        url: server.wsUrl, file: `${DIR}/sales-outbound-good.wav`, protocol: 'native', codec: 'L16', rate: 16000, speed: 0, maxDurationMs: 15_000,
        metadata: { agentId: 'agent-2001', queue: 'sales', direction: 'outbound', language: 'en-US' }, credentials: { apiKey },
      }),
    ]);
    goodCall = good.serverCallId!;
    salesCall = sales.serverCallId!;
    const qa = await login(server.url, 'qa', PASSWORDS.qa);
    expect(await settled(qa, goodCall)).toBe('done');
    await settled(qa, salesCall);
    browser = await launchChromium();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in, refuses a wrong password, and shows each role only what it may use', async () => {
    const { page } = await openPage(browser, server.url);
    await page.goto('/calls');
    await page.waitForURL(/\/login\?next=%2Fcalls/);
    await screenshot(page, 'login');
    await page.getByLabel('Username').fill('qa');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong username or password.');
    await page.context().close();

    for (const role of Object.keys(PASSWORDS) as RoleName[]) {
      const p = await as(role);
      const extra = { admin: ['Wallboard', 'Scorecards', 'Analytics', 'Users', 'Tap keys', 'Teams', 'Alert rules', 'Audit log'], supervisor: ['Wallboard', 'Scorecards', 'Analytics'], agent: ['My feedback'], qa: ['Scorecards', 'Analytics'], trainer: ['Scorecards', 'Analytics'] }[role];
      expect(await navLabels(p), role).toEqual(['Calls', 'Search', ...extra]);
      expect(await p.getByTestId('who').textContent()).toContain({ admin: 'Admin', trainer: 'Trainer', qa: 'QA reviewer', supervisor: 'Supervisor', agent: 'Agent' }[role]);
      if (role !== 'admin') {
        await p.goto('/admin/users');
        await expect.poll(() => p.getByTestId('forbidden').textContent()).toMatch(/does not give access/);
        expect((await p.request.get('/api/admin/users')).status()).toBe(403);
      }
      if (role === 'agent') {
        await p.getByTestId('logout').click();
        await p.waitForURL(/\/login/);
        await p.goto('/calls');
        await p.waitForURL(/\/login\?next=/);
        expect((await p.request.get('/api/calls')).status()).toBe(401);
      }
      await p.context().close();
    }
  }, 120_000);

  it('lists the calls within each role\'s scope, with filters and pagination', async () => {
    const rows = async (p: Page) => {
      await p.getByTestId('calls-page').waitFor();
      await p.locator('[data-testid=calls-table], [data-testid=calls-empty]').first().waitFor();
      return p.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call-id')));
    };
    const qa = await as('qa');
    expect((await rows(qa)).sort()).toEqual([goodCall, salesCall].sort());
    expect(await qa.getByTestId('pager-range').textContent()).toBe('1–2 of 2');
    await screenshot(qa, 'calls');
    await qa.getByLabel('Agent').fill('agent-2001');
    await qa.getByRole('button', { name: 'Apply' }).click();
    await qa.waitForURL(/agent=agent-2001/);
    await expect.poll(() => rows(qa)).toEqual([salesCall]);
    await qa.getByRole('button', { name: 'Clear' }).click();
    await qa.getByLabel('Queue').fill('support');
    await qa.getByLabel('Status').selectOption('ended');
    await qa.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rows(qa)).toEqual([goodCall]);
    await qa.goto('/calls?status=live');
    await qa.getByTestId('calls-empty').waitFor();
    await qa.context().close();

    const supervisor = await as('supervisor');
    expect(await rows(supervisor)).toEqual([goodCall]);
    await supervisor.context().close();

    const agent = await as('agent');
    expect(await rows(agent)).toEqual([goodCall]);
    await agent.goto(`/calls/${salesCall}`);
    await expect.poll(() => agent.getByRole('alert').textContent()).toMatch(/not found/i);
    await agent.context().close();
  }, 120_000);

  it('filters the calls by a transcript word and a score range, and shows each call\'s score', async () => {
    // The automatic evaluation comes at the call's end: wait for the support call's score through the API.
    const api = await login(server.url, 'qa', PASSWORDS.qa);
    let score: number | null = null;
    for (let i = 0; i < 480 && score === null; i++) {
      const page = await (await api.get('/api/calls?limit=10')).json() as { items: { id: string; score: number | null }[] };
      score = page.items.find((c) => c.id === goodCall)?.score ?? null;
      if (score === null) await new Promise((r) => setTimeout(r, 250));
    }
    if (score === null) throw new Error('the support call was never scored');
    const p = await as('qa');
    const rows = async () => {
      await p.locator('[data-testid=calls-table], [data-testid=calls-empty]').first().waitFor();
      return p.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-call-id')));
    };
    await p.getByTestId('calls-table').waitFor();
    expect(await p.locator(`tr[data-call-id="${goodCall}"] [data-testid=call-score]`).textContent())
      .toBe(new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(score));

    await p.getByLabel('Search transcripts').fill('birth');
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.waitForURL(/q=birth/);
    await expect.poll(rows).toEqual([goodCall]);

    await p.getByLabel('Score from').fill(String(Math.floor(score)));
    await p.getByLabel('Score to').fill(String(Math.ceil(score)));
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.waitForURL(/scoreMin=.*scoreMax=/);
    await expect.poll(rows).toEqual([goodCall]);
    // A range just beside the call's score leaves it out.
    await p.getByLabel(score > 0 ? 'Score from' : 'Score to').fill('');
    await p.getByLabel(score > 0 ? 'Score to' : 'Score from').fill(String(score > 0 ? score - 0.01 : 0.01));
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.getByTestId('calls-empty').waitFor();
    await screenshot(p, 'calls-filtered');
    await p.context().close();
  }, 180_000);

  it('searches the transcripts and highlights the matches; a hit opens the call at that moment', async () => {
    const p = await as('qa');
    await p.getByRole('link', { name: 'Search' }).click();
    await p.getByLabel('Words or "a phrase"').fill('"date of birth"');
    await p.getByRole('button', { name: 'Search' }).click();
    const hits = p.getByTestId('search-hits').locator('li');
    await hits.first().waitFor();
    const marks = await p.getByTestId('search-hits').locator('mark').allTextContents();
    expect(marks.join(' ').toLowerCase()).toMatch(/date|birth/);
    expect(await p.getByTestId('search-hits').locator('mark').first().evaluate((m) => getComputedStyle(m).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    await screenshot(p, 'search');
    await hits.first().getByRole('link').click();
    await p.waitForURL(new RegExp(`/calls/${goodCall}\\?t=\\d+`));
    const t = Number(new URL(p.url()).searchParams.get('t'));
    await expect.poll(() => p.getByTestId('recording').evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 15_000 }).toBeCloseTo(t / 1000, 1);
    await p.goto('/search?q=zzzqqqxxy');
    await p.getByTestId('search-empty').waitFor();
    await p.context().close();
  }, 120_000);

  it('reviews a call: two-lane waveform, transcript synced to the player, sentiment, metrics, keyboard player', async () => {
    const p = await as('qa');
    await p.goto('/calls');
    await p.locator(`tr[data-call-id="${goodCall}"] a`).click();
    await p.waitForURL(`**/calls/${goodCall}`);
    const words = p.getByTestId('transcript').locator('.word');
    await words.first().waitFor();
    expect(await p.getByTestId('transcript').textContent()).toMatch(/date of birth/);
    // wavesurfer draws into a shadow root: one canvas (plus its progress copy) per lane.
    const canvases = () => p.getByTestId('waveform').evaluate((el) => [...el.querySelectorAll('*')]
      .reduce((n, e) => n + (e.shadowRoot?.querySelectorAll('canvas').length ?? 0), 0));
    await expect.poll(canvases, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await p.getByTestId('metrics').textContent()).toMatch(/Talk share.*Agent \d+%.*Customer \d+%/s);
    expect(await p.getByTestId('sentiment-summary').textContent()).toMatch(/Customer sentiment: mean/);

    // Clicking a word seeks the player there, and that word becomes the highlighted one.
    const word = words.nth(40);
    const start = Number(await word.getAttribute('data-start'));
    const text = (await word.textContent())?.trim();
    await word.click();
    const audioTime = () => p.getByTestId('recording').evaluate((a: HTMLAudioElement) => a.currentTime);
    await expect.poll(audioTime).toBeCloseTo(start / 1000, 2);
    await expect.poll(() => p.getByTestId('transcript').locator('.word.current').textContent()).toBe(text);
    expect(await p.getByTestId('transcript').locator('li[aria-current=true]').count()).toBe(1);
    await screenshot(p, 'review');

    // The keyboard drives the player: focus is visible, arrows seek, Space plays and pauses.
    await p.getByRole('link', { name: 'Back to calls' }).focus();
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('player');
    expect(await p.getByTestId('player').evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
    await p.keyboard.press('ArrowRight');
    await expect.poll(audioTime).toBeCloseTo(start / 1000 + 5, 1);
    await p.keyboard.press('Shift+ArrowLeft');
    await expect.poll(audioTime).toBeCloseTo(Math.max(0, start / 1000 + 5 - 30), 1);
    const before = await audioTime();
    await p.keyboard.press(' ');
    await expect.poll(() => p.getByTestId('play').getAttribute('aria-label')).toBe('Pause');
    await expect.poll(audioTime, { timeout: 10_000 }).toBeGreaterThan(before + 0.3);
    await p.keyboard.press(' ');
    await expect.poll(() => p.getByTestId('recording').evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    // Every control is labelled.
    const unlabelled = await p.locator('button, input, select').evaluateAll((els) => els.filter((el) => {
      const e = el as HTMLInputElement;
      return !(e.getAttribute('aria-label') || e.labels?.length || (el.tagName === 'BUTTON' && el.textContent?.trim()));
    }).map((el) => el.outerHTML.slice(0, 80)));
    expect(unlabelled).toEqual([]);
    await p.context().close();
  }, 120_000);

  it('switches to Persian: right-to-left layout, translated labels, Persian digits and Jalali dates, remembered', async () => {
    const p = await as('qa');
    await p.getByTestId('calls-table').waitFor();
    await p.getByTestId('language').selectOption('fa');
    expect(await p.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'fa']);
    expect(await navLabels(p)).toEqual(['تماس‌ها', 'جستجو', 'کارت‌های امتیاز', 'تحلیل‌ها']);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('تماس‌ها');
    expect(await p.getByTestId('pager-range').textContent()).toBe('۱–۲ از ۲');
    const started = await p.locator(`tr[data-call-id="${goodCall}"] td`).first().textContent() ?? '';
    expect(started).toMatch(/[۰-۹]/);
    const year = new Date().getUTCFullYear();
    expect(asciiDigits(started)).toContain(String(year - 621).slice(0, 3)); // Jalali year 14xx
    expect(asciiDigits(started)).not.toContain(String(year));
    // The layout mirrors: the brand sits at the right, the navigation to its left.
    const brand = await p.locator('.brand').boundingBox();
    const nav = await p.getByTestId('mainnav').boundingBox();
    expect(brand!.x).toBeGreaterThan(640);
    expect(nav!.x).toBeLessThan(brand!.x);
    await screenshot(p, 'calls-fa');

    // Dates are typed in the Jalali calendar too: a day that does not exist is explained, a real one filters.
    const from = p.getByTestId('date-from');
    await from.fill('۱۴۰۰/۰۷/۳۱');
    await from.blur();
    expect(await p.locator('#date-hint-from[role=alert]').textContent()).toContain('خورشیدی معتبر نیست');
    await from.fill('۱۴۰۰/۰۱/۰۱');
    await from.press('Enter');
    await expect.poll(() => new URL(p.url()).searchParams.get('from')).toBe('2021-03-21');
    await expect.poll(() => p.getByTestId('pager-range').textContent()).toBe('۱–۲ از ۲');

    await p.reload();
    await p.getByTestId('calls-table').waitFor();
    expect(await p.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await p.getByTestId('date-from').inputValue()).toBe('۱۴۰۰/۰۱/۰۱');
    await p.getByTestId('calendar').selectOption('gregorian');
    expect(asciiDigits(await p.locator(`tr[data-call-id="${goodCall}"] td`).first().textContent() ?? '')).toContain(String(year));
    await p.goto(`/calls/${goodCall}`);
    await p.getByTestId('transcript').waitFor();
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('بازبینی تماس');
    expect(await p.getByTestId('play').getAttribute('aria-label')).toBe('پخش');
    await screenshot(p, 'review-fa');
    await p.context().close();
  }, 120_000);

  it('lets an admin create a user and a tap key (its secret shown once) and revoke the key', async () => {
    const p = await as('admin');
    await p.getByRole('link', { name: 'Users' }).click();
    await p.getByTestId('users-table').waitFor();
    expect(await p.locator('tbody tr').count()).toBe(5);
    await p.getByLabel('Username').fill('newqa');
    await p.getByLabel('Display name').fill('New Reviewer');
    await p.getByLabel('Role').selectOption('qa');
    await p.getByLabel('Initial password').fill('new-reviewer-1');
    await p.getByRole('button', { name: 'Create' }).click();
    await p.locator('tr[data-username="newqa"]').waitFor();
    expect(await p.locator('tr[data-username="newqa"]').textContent()).toContain('QA reviewer');
    await screenshot(p, 'admin-users');
    await p.locator('tr[data-username="newqa"]').getByRole('button', { name: 'Disable' }).click();
    await expect.poll(() => p.locator('tr[data-username="newqa"] .badge').textContent()).toBe('Disabled');

    await p.getByRole('link', { name: 'Tap keys' }).click();
    await p.getByTestId('tap-keys-table').waitFor();
    await p.getByLabel('Name', { exact: true }).fill('pbx-east');
    await p.getByRole('button', { name: 'Create' }).click();
    const secret = await p.getByTestId('tap-key-api-key').inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const row = p.locator('tr[data-key-name="pbx-east"]');
    await row.waitFor();
    expect(secret.startsWith((await row.locator('td').nth(1).textContent())!.replace('…', ''))).toBe(true);
    expect(await row.textContent()).not.toContain(secret);
    await screenshot(p, 'admin-tap-keys');
    await p.getByRole('button', { name: 'I have copied them' }).click();
    expect(await p.getByTestId('tap-key-secret').count()).toBe(0);
    p.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => row.locator('.badge').textContent()).toBe('Revoked');
    await p.context().close();
  }, 120_000);

  it('is usable on a 390-px-wide phone: nothing scrolls sideways', async () => {
    const p = await as('qa', PHONE);
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await p.getByTestId('calls-table').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(p, 'calls-phone');
    await p.goto(`/calls/${goodCall}`);
    await p.getByTestId('transcript').locator('.word').first().waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(p, 'review-phone');
    await p.goto('/search?q=birth');
    await p.getByTestId('search-hits').waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await p.getByTestId('language').selectOption('fa');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(p, 'search-phone-fa');
    await p.context().close();
  }, 120_000);

  it('loads fast and small: first-load timing and the production build size', async () => {
    const dist = 'web/dist';
    const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
    const all = files(dist);
    const sum = (list: string[]) => list.reduce((n, f) => n + statSync(f).size, 0);
    const raw = sum(all.filter((f) => /\.(js|css|html)$/.test(f)));
    const gzip = sum(all.filter((f) => /\.(js|css|html)\.gz$/.test(f)));

    const { page, context } = await openPage(browser, server.url);
    const t0 = Date.now();
    const responses: { url: string; bytes: number }[] = [];
    page.on('response', (r) => void r.body().then((b) => responses.push({ url: r.url(), bytes: Number(r.headers()['content-length'] ?? b.length) })).catch(() => undefined));
    await page.goto('/login');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const interactiveMs = Date.now() - t0;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), firstContentfulPaint: fcp ? Math.round(fcp.startTime) : null };
    });
    const firstLoadBytes = responses.reduce((n, r) => n + r.bytes, 0);
    const encoding = (await page.request.get('/', { headers: { 'accept-encoding': 'gzip' } })).headers()['content-encoding'];
    console.log(`web app build: ${(raw / 1024).toFixed(1)} KiB js+css+html, ${(gzip / 1024).toFixed(1)} KiB gzipped (all chunks); `
      + `first load of /login: ${(firstLoadBytes / 1024).toFixed(1)} KiB over the wire, DOMContentLoaded ${timing.domContentLoaded} ms, `
      + `load ${timing.load} ms, first contentful paint ${timing.firstContentfulPaint} ms, form usable after ${interactiveMs} ms`);
    expect(encoding).toBe('gzip');
    expect(gzip).toBeLessThan(200 * 1024);
    expect(timing.load).toBeLessThan(3000);
    await context.close();
  }, 60_000);

  it('raised no errors in the pages', () => {
    expect(pageErrors).toEqual([]);
  });
});
