/**
 * Jalali (Solar Hijri) dates for date inputs, through the browser's own Persian calendar (Intl `ca-persian`), so no
 * conversion table of ours can drift from the dates shown elsewhere. Days are calendar days (UTC arithmetic).
 */
export interface JalaliDate { year: number; month: number; day: number }

const DAY_MS = 86_400_000;
const parts = new Intl.DateTimeFormat('en-US-u-ca-persian', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });

/** The Jalali date of a UTC day (ms at its start). */
function jalaliOf(utcMs: number): JalaliDate {
  const p = Object.fromEntries(parts.formatToParts(utcMs).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

/** A day count that grows with the date (months 1–6 have 31 days, 7–11 have 30): exact within a year. */
const ordinal = (d: JalaliDate) => d.year * 366 + (d.month <= 6 ? (d.month - 1) * 31 : 186 + (d.month - 7) * 30) + d.day;

/** `YYYY-MM-DD` (Gregorian) → the Jalali date, or undefined when it is not a date. */
export function isoToJalali(iso: string): JalaliDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? undefined : jalaliOf(ms);
}

/** The Jalali date → `YYYY-MM-DD` (Gregorian), or undefined when no such day exists (e.g. 1403/07/31). */
export function jalaliToIso(target: JalaliDate): string | undefined {
  const { year, month, day } = target;
  if (!Number.isInteger(year) || year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  // 1 Farvardin falls on 20–22 March; step by the day difference until the calendar agrees (off by one at most
  // after the first step, when it crossed the year's end).
  let ms = Date.UTC(year + 621, 2, 21);
  for (let i = 0; i < 4; i++) {
    const diff = ordinal(target) - ordinal(jalaliOf(ms));
    if (diff === 0) break;
    ms += diff * DAY_MS;
  }
  const found = jalaliOf(ms);
  if (found.year !== year || found.month !== month || found.day !== day) return undefined;
  return new Date(ms).toISOString().slice(0, 10);
}

/** Persian and Arabic-Indic digits → ASCII. */
export const asciiDigits = (s: string) => s.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));

/** "1403/7/25", "۱۴۰۳/۰۷/۲۵" or "1403-07-25" → the Jalali date; undefined when it does not read as one. */
export function parseJalali(text: string): JalaliDate | undefined {
  const m = /^\s*(\d{3,4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*$/.exec(asciiDigits(text));
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
}
