import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTapKey } from '../../services/auth/index.js';
import type { AutoAnswer, ScoreResult } from '../../services/scoring/index.js';
import { seedDemo } from '../../services/server/demo-seed.js';
import { createEvaluationRepo, createScorecardRepo, createStore } from '../../services/store/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chromiumInstalled, ensureWebBuild, launchChromium, PHONE, screenshot, signedInPage } from './browser.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const score = (overall: number, passed: boolean): ScoreResult => ({
  overall, rawOverall: overall, passThreshold: 80, passed, autoFailed: false, criticalFailures: [], sections: [], pending: [], complete: true,
});

describe.skipIf(!chromiumInstalled())('analytics screen in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];
  // Ten days ago at 09:15 UTC, then two days later: inside the default range (the last 30 days).
  const day1 = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS - 10 * DAY_MS + (9 * 60 + 15) * 60_000);
  const day3 = new Date(day1.getTime() + 2 * DAY_MS + 25 * 60_000);

  const as = (username: string, password: string, viewport?: { width: number; height: number }) =>
    signedInPage(browser, server.url, { username, password }, { collected: pageErrors, viewport });

  let surveyedCall = '';

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer();
    await seedDemo(server.db);
    const store = createStore(server.db);
    const ids: string[] = [];
    const addCall = async (agent: string, startedAt: Date, durationS: number, customer: string | null) => {
      const id = randomUUID();
      await store.calls.insert({
        id, protocol: 'native', externalId: `ext-${id}`, direction: 'inbound', startedAt, sampleRate: 16000, language: 'en-US',
        agentId: (await store.agents.findOrCreate(agent)).id, customerNumber: customer,
      });
      await store.calls.finish(id, { status: 'ended', endedAt: new Date(startedAt.getTime() + durationS * 1000), durationMs: durationS * 1000 });
      ids.push(id);
      return id;
    };
    // Support A (the supervisor's team): three calls; the customer of the first calls again two days later.
    const c1 = await addCall('agent-1001', day1, 300, '+15550100');
    surveyedCall = c1;
    const c2 = await addCall('agent-1001', day3, 180, '+15550100');
    await addCall('agent-1002', new Date(day1.getTime() + 35 * 60_000), 240, null);
    // Sales B: not the supervisor's.
    const c4 = await addCall('agent-2001', new Date(day1.getTime() + 5 * 60_000), 900, '+15550200');

    const version = (await createScorecardRepo(server.db).listActive()).find((v) => v.scorecardId === 'inbound-support-en');
    const greeting = (value: 'yes' | 'no'): AutoAnswer => ({
      questionId: 'greeting', value, outcome: value === 'yes' ? 'pass' : 'fail', confidence: 1, evidence: [], detail: '', needsReview: false, reviewReason: null,
    });
    for (const [callId, result, said] of [[c1, score(90, true), 'yes'], [c2, score(60, false), 'no'], [c4, score(10, false), 'no']] as const) {
      await server.db.transaction((tx) => createEvaluationRepo(tx).insert({
        callId, scorecardVersionId: version!.id, kind: 'auto', status: 'auto', autoResult: result, result, needsReview: false, answers: [greeting(said)],
      }));
    }
    const { apiKey } = await createTapKey(server.db, { name: 'surveys' });
    for (const [callId, value] of [[c1, 5], [c2, 4], [c4, 1]] as const) {
      const res = await fetch(`${server.url}/api/calls/${callId}/csat`, {
        method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ score: value }),
      });
      expect(res.status).toBe(201);
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a supervisor sees their teams\' heat map and KPIs, in English and in Persian, and downloads a CSV', async () => {
    const p = await as('supervisor', 'supervisor-demo');
    await p.getByTestId('mainnav').getByRole('link', { name: 'Analytics' }).click();
    await p.getByTestId('analytics-page').waitFor();
    await p.getByTestId('heatmap').waitFor();
    const kpi = (id: string) => p.getByTestId(`kpi-${id}-value`).textContent();

    expect(await kpi('calls')).toBe('3');
    expect((await kpi('aht'))?.replace(/[\u2066\u2069]/g, '')).toBe('4:00'); // (300 + 180 + 240) / 3 s
    expect(await kpi('score')).toBe('75');
    expect(await kpi('pass-rate')).toBe('50%');
    expect(await kpi('repeat')).toBe('50%');
    expect(await kpi('csat')).toBe('4.5 / 5');

    const cell = (date: Date) => p.locator(`[data-testid=heatmap] [data-weekday="${date.getUTCDay()}"][data-hour="9"]`);
    expect(await cell(day1).textContent()).toBe('2');
    expect(await cell(day1).getAttribute('aria-label')).toBe(`${WEEKDAYS[day1.getUTCDay()]} 09:00: 2 calls`);
    expect(await cell(day3).textContent()).toBe('1');
    expect(await p.locator('[data-testid=heatmap] [role=cell]').count()).toBe(7 * 24);
    expect(await p.locator('[data-testid=heatmap] [role=cell]:not([data-count="0"])').count()).toBe(2);
    expect(await p.getByTestId('analytics-agents').locator('tbody tr').allTextContents()).toHaveLength(2);
    expect(await p.getByTestId('analytics-agents').textContent()).not.toContain('Chris Cole');
    const greetingRow = await p.getByTestId('analytics-questions').locator('tr[data-question="greeting"] > *').allTextContents();
    expect(greetingRow).toEqual(['Inbound customer support', 'Greeted the customer with the company name and their own name', '2', '1', '1', '0', '50%']);
    await screenshot(p, 'analytics');

    // The CSV export of the agents table: only the supervisor's agents, with a BOM for Excel.
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('export-agents').click()]);
    expect(download.suggestedFilename()).toMatch(/^callsight-agents-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('agent_id,agent,team,calls,aht_seconds,evaluations,avg_score,pass_rate,csat_responses,csat_average');
    expect(lines.filter(Boolean).slice(1).sort()).toEqual(['agent-1001,Alex Agent,Support A,2,240,2,75,0.5,2,4.5', 'agent-1002,Bea Baker,Support A,1,240,0,,,0,']);

    // Filters: one agent, hours in Tehran (+03:30): 09:15 and 09:40 UTC become 12:45 and 13:10.
    await p.locator('select[name="agent"]').selectOption({ label: 'Alex Agent' });
    await p.getByLabel('Time zone').fill('Asia/Tehran');
    await p.getByRole('button', { name: 'Apply' }).click();
    await p.waitForURL(/tz=Asia%2FTehran/);
    await expect.poll(() => kpi('calls')).toBe('2');
    const tehran = (date: Date, hour: number) => p.locator(`[data-testid=heatmap] [data-weekday="${date.getUTCDay()}"][data-hour="${hour}"]`);
    expect(await tehran(day1, 12).textContent()).toBe('1');
    expect(await tehran(day3, 13).textContent()).toBe('1');
    expect(await p.getByTestId('export-heatmap').getAttribute('href')).toContain('tz=Asia%2FTehran');

    // Persian: right to left, translated, Persian digits in the tiles and the heat map.
    await p.getByTestId('language').selectOption('fa');
    expect(await p.evaluate(() => [document.documentElement.dir, document.documentElement.lang])).toEqual(['rtl', 'fa']);
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('تحلیل‌ها');
    expect(await kpi('calls')).toBe('۲');
    expect((await kpi('aht'))?.replace(/[\u2066\u2069]/g, '')).toBe('۴:۰۰');
    expect(await kpi('csat')).toBe('۴٫۵ از ۵');
    expect(await tehran(day1, 12).textContent()).toBe('۱');
    expect(await tehran(day1, 12).getAttribute('aria-label')).toMatch(/ساعت ۱۲: ۱ تماس$/);
    const kpis = await p.locator('.kpis').boundingBox();
    const first = await p.getByTestId('kpi-calls').boundingBox();
    expect(first!.x + first!.width).toBeGreaterThan(kpis!.x + kpis!.width - 2); // the first tile sits at the right edge
    await screenshot(p, 'analytics-fa');
    await p.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('fits a 390-px-wide phone in both languages: only the heat map scrolls sideways, inside its card', async () => {
    const p = await as('qa', 'qa-demo-1', PHONE);
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await p.goto('/analytics');
    await p.getByTestId('heatmap').waitFor();
    expect(await p.getByTestId('kpi-calls-value').textContent()).toBe('4');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await p.getByTestId('language').selectOption('fa');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(p, 'analytics-phone-fa');
    await p.context().close();
  }, 60_000);

  it('shows the survey result on the call\'s review page', async () => {
    const p = await as('supervisor', 'supervisor-demo');
    await p.goto(`/calls/${surveyedCall}`);
    await p.getByTestId('review-csat').waitFor();
    expect(await p.getByTestId('review-csat').textContent()).toBe('Customer survey5 of 5');
    await p.getByTestId('language').selectOption('fa');
    await expect.poll(() => p.getByTestId('review-csat').textContent()).toBe('نظرسنجی مشتری۵ از ۵');
    await p.context().close();
  }, 60_000);

  it('is not in an agent\'s navigation and refuses them', async () => {
    const p = await as('agent', 'agent-demo');
    expect(await p.getByTestId('mainnav').getByRole('link', { name: 'Analytics' }).count()).toBe(0);
    await p.goto('/analytics');
    await p.getByTestId('forbidden').waitFor();
    expect((await p.request.get('/api/analytics')).status()).toBe(403);
    await p.context().close();
  }, 60_000);
});
