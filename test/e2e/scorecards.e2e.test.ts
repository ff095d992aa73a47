import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { seedDemo } from '../../services/server/demo-seed.js';
import { login } from '../helpers/api-session.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { GOOD_CALL, storeEndedCall, type Line } from '../scoring-helpers.js';
import { chromiumInstalled, ensureWebBuild, launchChromium, screenshot, signedInPage } from './browser.js';

const POOR_CALL: Line[] = [
  ['agent', 'yeah what do you want', 500, 2500],
  ['customer', 'my bill is wrong', 3000, 4500],
  ['agent', 'not my problem call someone else', 5000, 8000],
];
const CARD = 'inbound-support-en';

interface Card { passThreshold: number; sections: { id: string; questions: { id: string; weight?: number }[] }[] }

describe.skipIf(!chromiumInstalled())('scorecards screen in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  // The editor's validation answers 400 for a broken card on purpose; the browser logs that as a console error.
  const as = (username: string, password: string) =>
    signedInPage(browser, server.url, { username, password }, { collected: pageErrors, ignore: /status of 400/ });

  beforeAll(async () => {
    ensureWebBuild();
    server = await startTestServer();
    await seedDemo(server.db);
    const t0 = Date.now() - 3_600_000;
    await storeEndedCall(server.db, 'agent-1001', GOOD_CALL, { startedAt: new Date(t0) });
    await storeEndedCall(server.db, 'agent-1001', POOR_CALL, { startedAt: new Date(t0 + 60_000) });
    await storeEndedCall(server.db, 'agent-1002', POOR_CALL, { startedAt: new Date(t0 + 120_000) });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a trainer edits a scorecard, sees a broken edit with its line, previews, saves a draft and publishes it', async () => {
    const p = await as('trainer', 'trainer-demo');
    await p.getByTestId('mainnav').getByRole('link', { name: 'Scorecards' }).click();
    await p.getByTestId('scorecards-table').waitFor();
    await screenshot(p, 'scorecards-list');
    await p.getByRole('button', { name: 'Open Inbound customer support' }).click();
    const yaml = p.getByLabel('Scorecard YAML');
    await yaml.waitFor();
    const validation = p.getByTestId('scorecard-validation');
    const original = await yaml.inputValue();
    expect(original).toContain(`id: ${CARD}`);

    // A broken edit: the problem is listed with its line and field, and its line is marked in the gutter.
    await yaml.fill(original.replace('passThreshold: 80', 'passThreshold: 180'));
    await p.locator('[data-testid="scorecard-validation"][data-state="invalid"]').waitFor();
    const line = original.split('\n').findIndex((l) => l.startsWith('passThreshold')) + 1;
    const issue = p.getByTestId('scorecard-issues').locator('li[data-field="passThreshold"]');
    expect(await issue.getAttribute('data-line')).toBe(String(line));
    expect(await issue.textContent()).toContain(`Line ${line}`);
    expect(await p.locator('.yaml-gutter .bad').allTextContents()).toContain(String(line));
    expect(await p.getByRole('button', { name: 'Save draft' }).isDisabled()).toBe(true);
    await issue.getByRole('button').click();
    expect(await yaml.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('passThreshold: 180');
    await screenshot(p, 'scorecards-validation-error');

    // Fixed, with a lower threshold; then a question's weight changed in the form view.
    await yaml.fill(original.replace('passThreshold: 80', 'passThreshold: 1'));
    await p.locator('[data-testid="scorecard-validation"][data-state="valid"]').waitFor();
    await p.getByRole('tab', { name: 'Form' }).click();
    const weight = p.locator('[data-question="greeting"]').getByLabel('Weight');
    expect(await weight.inputValue()).toBe('2');
    await weight.fill('3');
    await weight.press('Tab');
    await screenshot(p, 'scorecards-form');
    await p.getByRole('tab', { name: 'YAML' }).click();
    const edited = await yaml.inputValue();
    expect(edited).toContain('# Inbound customer support (English).'); // comments survive the form
    const card = parse(edited) as Card;
    expect(card.passThreshold).toBe(1);
    expect(card.sections[0].questions.find((q) => q.id === 'greeting')?.weight).toBe(3);
    await p.locator('[data-testid="scorecard-validation"][data-state="valid"]').waitFor();
    expect(await validation.textContent()).toContain('Valid');

    // Preview: both distributions, and the calls that now pass.
    await p.getByRole('button', { name: 'Preview' }).click();
    await p.getByTestId('scorecard-preview').waitFor();
    expect(await p.getByTestId('scorecard-preview').getByRole('heading', { level: 2 }).textContent()).toBe('Preview on 3 recent calls');
    await p.getByTestId('preview-published').waitFor();
    expect(await p.getByTestId('preview-draft-pass-rate').textContent()).not.toBe(await p.getByTestId('preview-published-pass-rate').textContent());
    const changed = p.getByTestId('preview-changes').locator('tbody tr');
    expect(await changed.count()).toBeGreaterThan(0);
    expect(await changed.first().textContent()).toMatch(/fail.*pass/);
    await screenshot(p, 'scorecards-preview');

    // Save the draft (version 2), then publish it.
    await p.getByRole('button', { name: 'Save draft' }).click();
    expect(await p.getByTestId('scorecard-notice').textContent()).toBe('Draft version 2 saved.');
    await p.locator('[data-testid="scorecard-versions"] li[data-version="2"][data-status="draft"]').waitFor();
    p.once('dialog', (d) => void d.accept());
    await p.getByRole('button', { name: 'Publish version 2' }).click();
    await p.getByText('Version 2 published.').waitFor();
    await p.locator('[data-testid="scorecard-versions"] li[data-version="2"][data-status="published"]').waitFor();
    await screenshot(p, 'scorecards-published');
    await p.context().close();

    const trainer = await login(server.url, 'trainer', 'trainer-demo');
    const list = await (await trainer.get('/api/scorecards')).json() as { items: { id: string; latest: { version: number }; published: { version: number } }[] };
    expect(list.items.find((c) => c.id === CARD)).toMatchObject({ latest: { version: 2 }, published: { version: 2 } });
    const v2 = await (await trainer.get(`/api/scorecards/${CARD}/versions/2`)).json() as { status: string; definition: Card };
    expect(v2.status).toBe('published');
    expect(v2.definition.passThreshold).toBe(1);
    expect(v2.definition.sections[0].questions.find((q) => q.id === 'greeting')?.weight).toBe(3);
  }, 120_000);

  it('opens a card whose newest version is a draft with Publish for it', async () => {
    const trainer = await login(server.url, 'trainer', 'trainer-demo');
    const v1 = await (await trainer.get(`/api/scorecards/${CARD}/versions/1`)).json() as { source: string };
    const created = await trainer.request('POST', `/api/scorecards/${CARD}/versions`, { source: v1.source.replace('passThreshold: 80', 'passThreshold: 70') });
    const { version } = await created.json() as { version: number };
    const p = await as('trainer', 'trainer-demo');
    await p.goto(`/scorecards?card=${CARD}`);
    await p.getByLabel('Scorecard YAML').waitFor();
    expect(await p.getByTestId('scorecard-editor').getByRole('heading', { level: 2 }).first().textContent()).toContain(`version ${version}`);
    await p.getByRole('button', { name: `Publish version ${version}` }).waitFor();
    await p.context().close();
  }, 60_000);

  it('QA reviewers read scorecards without editing them; agents are refused', async () => {
    const p = await as('qa', 'qa-demo-1');
    await p.goto('/scorecards');
    await p.getByRole('button', { name: 'Open Inbound customer support' }).click();
    const yaml = p.getByLabel('Scorecard YAML');
    await yaml.waitFor();
    expect(await yaml.getAttribute('readonly')).not.toBeNull();
    expect(await p.getByRole('button', { name: 'Save draft' }).count()).toBe(0);
    // Persian: translated, right to left; the YAML stays left to right.
    await p.getByTestId('language').selectOption('fa');
    expect(await p.getByRole('heading', { level: 1 }).textContent()).toBe('کارت‌های امتیاز');
    expect(await p.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await p.locator('.yaml-editor').getAttribute('dir')).toBe('ltr');
    await screenshot(p, 'scorecards-fa');
    await p.context().close();

    const agent = await as('agent', 'agent-demo');
    await agent.goto('/scorecards');
    await agent.getByText('does not give access').waitFor();
    await agent.context().close();
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
