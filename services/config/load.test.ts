import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

describe('config', () => {
  it('defaults to the embedded setup', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.dataDir).toBe('./data');
    expect(c.port).toBe(8080);
    expect(c.demo).toBe(false);
  });

  it('reads environment variables, including booleans written as words', () => {
    const c = loadConfig({ PORT: '9000', DEMO: 'false', SESSION_SECURE_COOKIE: 'yes', TAP_MAX_SKEW_MS: '250' });
    expect(c.port).toBe(9000);
    expect(c.demo).toBe(false);
    expect(c.session.secureCookie).toBe(true);
    expect(c.tap.maxSkewMs).toBe(250);
  });

  it('layers file < environment < overrides', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'c.yaml');
    writeFileSync(file, 'port: 7000\nlogLevel: debug\ntap:\n  interruptGraceMs: 5\n');
    const c = loadConfig({ CALLSIGHT_CONFIG: file, LOG_LEVEL: 'warn' }, { tap: { maxSkewMs: 100 } });
    expect(c.port).toBe(7000);
    expect(c.logLevel).toBe('warn');
    expect(c.tap.interruptGraceMs).toBe(5);
    expect(c.tap.maxSkewMs).toBe(100);
  });

  it('names every invalid field', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/port:.*\n.*logLevel:/s);
  });

  it('reports an unreadable or malformed config file', () => {
    expect(() => loadConfig({ CALLSIGHT_CONFIG: '/nonexistent.yaml' })).toThrow(/cannot read config file/);
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'bad.yaml');
    writeFileSync(file, 'port: [1,\n');
    expect(() => loadConfig({ CALLSIGHT_CONFIG: file })).toThrow(/not valid YAML/);
  });

  it('takes speech settings and metric thresholds from the environment and a file, refusing bad values', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cfg-')), 'speech.yaml');
    writeFileSync(file, 'speech:\n  metrics:\n    longPauseMs: 1500\n    agitation:\n      threshold: 0.7\n');
    const c = loadConfig({ CALLSIGHT_CONFIG: file, ASR_ENGINE: 'sphinx', METRICS_MIN_NON_TALK_MS: '5000', ASR_SKIP_SILENCE: 'no' });
    expect(c.speech).toMatchObject({ asrEngine: 'sphinx', skipSilence: false, defaultLanguage: 'en-US' });
    expect(c.speech.metrics).toEqual({ minNonTalkMs: 5000, longPauseMs: 1500, agitation: { threshold: 0.7 } });
    expect(() => loadConfig({ ASR_ENGINE: 'whisper' })).toThrow(/speech.asrEngine/);
    expect(() => loadConfig({ METRICS_LONG_PAUSE_MS: '-1' })).toThrow(/speech.metrics.longPauseMs/);
  });
});
