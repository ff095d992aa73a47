import { describe, expect, it } from 'vitest';
import { EngineError } from '../core/index.js';
import { findFfmpeg, resolveFfmpeg } from './ffmpeg.js';

describe('resolveFfmpeg', () => {
  it('finds a working ffmpeg and caches the answer', () => {
    const found = resolveFfmpeg();
    expect(['system', 'npm']).toContain(found.source);
    expect(found.version).toMatch(/^ffmpeg version/);
    expect(resolveFfmpeg()).toBe(found);
  });

  it('prefers a configured path that works', () => {
    const system = resolveFfmpeg();
    expect(resolveFfmpeg(system.path)).toMatchObject({ path: system.path, source: 'config' });
  });

  it('falls back to PATH, then to the npm binary', () => {
    expect(findFfmpeg('/nonexistent/ffmpeg').source).toBe('system');
    const npm = findFfmpeg('/nonexistent/ffmpeg', { pathEnv: '/nonexistent' });
    expect(npm.source).toBe('npm');
    expect(npm.path).toContain('@ffmpeg-installer');
  });

  it('does not accept a binary that is not ffmpeg', () => {
    expect(findFfmpeg('/bin/true').source).not.toBe('config');
  });

  it('throws an EngineError naming all three candidates when none runs', () => {
    const none = () => findFfmpeg('/missing/ffmpeg', {
      pathEnv: '/nonexistent',
      npmBinary: () => { throw new Error('Cannot find module \'@ffmpeg-installer/ffmpeg\''); },
    });
    expect(none).toThrow(EngineError);
    expect(none).toThrow(
      /configured path "\/missing\/ffmpeg": .*ENOENT.*; system "ffmpeg" on PATH: not found; npm package @ffmpeg-installer\/ffmpeg: Cannot find module/,
    );
  });
});
