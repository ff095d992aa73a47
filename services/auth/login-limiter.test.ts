import { describe, expect, it } from 'vitest';
import { createLoginLimiter } from './login-limiter.js';

describe('login limiter', () => {
  it('blocks after maxFailures within the window and says for how long', () => {
    let t = 0;
    const l = createLoginLimiter({ maxFailures: 3, windowSeconds: 60, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(l.blockedFor('alice|1.2.3.4')).toBeUndefined();
      l.failed('alice|1.2.3.4');
      t += 1000;
    }
    expect(l.blockedFor('alice|1.2.3.4')).toBe(57);
    expect(l.blockedFor('alice|5.6.7.8')).toBeUndefined();
    t = 60_001;
    expect(l.blockedFor('alice|1.2.3.4')).toBeUndefined();
  });

  it('forgets failures after a success', () => {
    const l = createLoginLimiter({ maxFailures: 2, windowSeconds: 60 });
    l.failed('k');
    l.succeeded('k');
    l.failed('k');
    expect(l.blockedFor('k')).toBeUndefined();
  });

  it('stays bounded in memory', () => {
    const l = createLoginLimiter({ maxFailures: 2, windowSeconds: 60, maxKeys: 10 });
    for (let i = 0; i < 100; i++) l.failed(`k${i}`);
    l.failed('last');
    l.failed('last');
    expect(l.blockedFor('last')).toBeGreaterThan(0);
    expect(l.blockedFor('k0')).toBeUndefined();
  });
});
