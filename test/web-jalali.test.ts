import { describe, expect, it } from 'vitest';
import { isoToJalali, jalaliToIso, parseJalali } from '../web/src/lib/jalali.js';

describe('Jalali dates for the web app\'s date inputs', () => {
  it('converts known dates both ways (Nowruz, leap Esfand 30, today)', () => {
    expect(isoToJalali('2025-03-21')).toEqual({ year: 1404, month: 1, day: 1 });
    expect(jalaliToIso({ year: 1403, month: 12, day: 30 })).toBe('2025-03-20'); // 1403 is a leap year
    expect(jalaliToIso({ year: 1405, month: 9, day: 3 })).toBe('2026-11-24');
    expect(jalaliToIso({ year: 1379, month: 10, day: 11 })).toBe('2000-12-31');
  });

  it('round-trips every day from 1990 to 2060', () => {
    const wrong: string[] = [];
    for (let ms = Date.UTC(1990, 0, 1); ms < Date.UTC(2060, 0, 1); ms += 86_400_000) {
      const iso = new Date(ms).toISOString().slice(0, 10);
      if (jalaliToIso(isoToJalali(iso)!) !== iso) wrong.push(iso);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses days that do not exist and text that is not a date', () => {
    expect(jalaliToIso({ year: 1403, month: 7, day: 31 })).toBeUndefined(); // months 7–11 have 30 days
    expect(jalaliToIso({ year: 1404, month: 12, day: 30 })).toBeUndefined(); // 1404 is not leap
    expect(jalaliToIso({ year: 1404, month: 13, day: 1 })).toBeUndefined();
    expect(isoToJalali('2025-3-1')).toBeUndefined();
    expect(parseJalali('۱۴۰۵/۰۹/۰۳')).toEqual({ year: 1405, month: 9, day: 3 });
    expect(parseJalali('1405-9-3')).toEqual({ year: 1405, month: 9, day: 3 });
    expect(parseJalali('٣/٩/١٤٠٥')).toBeUndefined();
    expect(parseJalali('yesterday')).toBeUndefined();
  });
});
