import { describe, expect, it } from 'vitest';
import { decideRange } from './http-range.js';

describe('decideRange', () => {
  it('serves the whole file without a usable Range header', () => {
    expect(decideRange(undefined, 100)).toEqual({ kind: 'full' });
    expect(decideRange('items=0-1', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=0-1,5-6', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=5-2', 100)).toEqual({ kind: 'full' });
    expect(decideRange('bytes=-', 100)).toEqual({ kind: 'full' });
  });

  it('honours closed, open and suffix ranges, clamped to the file', () => {
    expect(decideRange('bytes=0-9', 100)).toEqual({ kind: 'partial', start: 0, end: 9 });
    expect(decideRange('bytes=90-', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(decideRange('bytes=90-500', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(decideRange('bytes=-10', 100)).toEqual({ kind: 'partial', start: 90, end: 99 });
    expect(decideRange('bytes=-500', 100)).toEqual({ kind: 'partial', start: 0, end: 99 });
    expect(decideRange('Bytes = 1 - 1', 100)).toEqual({ kind: 'partial', start: 1, end: 1 });
  });

  it('refuses ranges that start past the end', () => {
    expect(decideRange('bytes=100-', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=100-200', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=-0', 100)).toEqual({ kind: 'unsatisfiable' });
    expect(decideRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' });
  });
});
