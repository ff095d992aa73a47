import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sine } from '../../services/audio/index.js';

/** Debian's Chromium (scripts/ensure-system.sh installs it); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'test-results/screenshots';

export function chromiumInstalled(): boolean {
  return existsSync(CHROMIUM);
}

/** Builds web/dist when it is missing or older than its sources (scripts/test.sh has built it already). */
export function ensureWebBuild(): void {
  const r = spawnSync(process.execPath, ['scripts/web-build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`web build failed (exit ${r.status})`);
}

export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--autoplay-policy=no-user-gesture-required', ...extraArgs],
  });
}

/** Chromium flags for a fake microphone that plays `wav` (looped) and grants the permission without a prompt. */
export function fakeMicrophoneArgs(wav: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`];
}

/** A 48 kHz mono 16-bit WAV of a steady tone: Chromium's fake microphone plays it in a loop. */
export function toneWav(path: string, hz: number, seconds: number): void {
  const rate = 48000;
  const pcm = sine(rate, hz, rate * seconds, 12000);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.byteLength, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.byteLength, 40);
  writeFileSync(path, Buffer.concat([header, Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)]));
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A fresh browser profile (own cookies and localStorage) whose page errors fail the test that reads `errors`. */
export async function openPage(browser: Browser, baseURL: string, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 40[134]/.test(msg.text())) errors.push(`console: ${msg.text()}`);
  });
  return { context, page, errors };
}

/** Signs in through the login form and waits for the shell. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('mainnav').waitFor();
}

/**
 * A signed-in page in a fresh profile; when it closes, its page errors are added to `collected` (the suite checks
 * them at its end), except those `ignore` matches (e.g. a 400 a test provokes on purpose).
 */
export async function signedInPage(
  browser: Browser, baseURL: string, user: { username: string; password: string },
  o: { collected: string[]; viewport?: { width: number; height: number }; ignore?: RegExp },
): Promise<Page> {
  const { page, errors } = await openPage(browser, baseURL, o.viewport);
  page.on('close', () => o.collected.push(...errors.filter((e) => !o.ignore?.test(e))));
  await signIn(page, user.username, user.password);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The labels of the main navigation, in order. */
export async function navLabels(page: Page): Promise<string[]> {
  return (await page.getByTestId('mainnav').getByRole('link').allTextContents()).map((s) => s.trim());
}
