import { describe, expect, it } from 'vitest';
import { createStreamClock } from './clock.js';

describe('stream clock', () => {
  it('maps stream time to the call timeline across gaps', () => {
    const c = createStreamClock(8000);
    c.advance(1000, 8000); // 1.0–2.0 s
    c.advance(2000, 8000); // contiguous: no new anchor needed
    c.advance(5000, 4000); // the call jumped (a gap the tap did not fill)
    expect(c.toMs(0)).toBe(1000);
    expect(c.toMs(1.5)).toBe(2500);
    expect(c.toMs(2.25)).toBe(5250);
    expect(c.samples).toBe(20_000);
    expect(c.endMs).toBe(5500);
  });
});
