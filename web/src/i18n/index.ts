import { createSignal } from 'solid-js';
import { en, type MessageKey, type Messages } from './en';
import { fa } from './fa';

export type { MessageKey } from './en';
export type Lang = 'en' | 'fa';
export type CalendarKind = 'gregorian' | 'persian';

export const LANGS: readonly { code: Lang; name: string }[] = [{ code: 'en', name: 'English' }, { code: 'fa', name: 'فارسی' }];
const CATALOGS: Record<Lang, Messages> = { en, fa };
const LOCALES: Record<Lang, string> = { en: 'en-US', fa: 'fa-IR' };
const LANG_KEY = 'callsight.lang';
const CALENDAR_KEY = 'callsight.calendar';

function stored<T extends string>(key: string, allowed: readonly T[]): T | undefined {
  try {
    const v = localStorage.getItem(key);
    return allowed.find((a) => a === v);
  } catch {
    return undefined; // storage disabled: the choice simply is not remembered
  }
}

function remember(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}

function initialLang(): Lang {
  return stored(LANG_KEY, ['en', 'fa']) ?? (navigator.language.toLowerCase().startsWith('fa') ? 'fa' : 'en');
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang());
const [calendarChoice, setCalendarChoice] = createSignal<CalendarKind | undefined>(stored(CALENDAR_KEY, ['gregorian', 'persian']));

export { lang };
export const dir = () => (lang() === 'fa' ? 'rtl' : 'ltr');
/** The calendar dates are shown in: the user's choice, else Jalali in Persian and Gregorian in English. */
export const calendar = (): CalendarKind => calendarChoice() ?? (lang() === 'fa' ? 'persian' : 'gregorian');

/** Sets `<html lang dir>` for the current language (called at start and on every change). */
export function applyDocumentLang(): void {
  document.documentElement.lang = lang();
  document.documentElement.dir = dir();
}

export function setLang(next: Lang): void {
  remember(LANG_KEY, next);
  setLangSignal(next);
  applyDocumentLang();
}

export function setCalendar(next: CalendarKind): void {
  remember(CALENDAR_KEY, next);
  setCalendarChoice(next);
}

/** A message in the current language; `{name}` placeholders are replaced, numbers formatted in the language's digits. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const message = CATALOGS[lang()][key];
  if (!params) return message;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}

export const locale = () => LOCALES[lang()];

export function formatNumber(n: number, opts?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(), opts).format(n);
}

export function formatPercent(fraction: number): string {
  return formatNumber(fraction, { style: 'percent', maximumFractionDigits: 0 });
}

function dateLocale(): string {
  return `${locale()}-u-ca-${calendar() === 'persian' ? 'persian' : 'gregory'}`;
}

/** A date and time in the current language and calendar (Jalali in `fa-IR-u-ca-persian`). */
export function formatDateTime(value: string | Date, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  const d = typeof value === 'string' ? new Date(value) : value;
  return Number.isNaN(d.getTime()) ? '' : new Intl.DateTimeFormat(dateLocale(), opts).format(d);
}

export function formatDate(value: string | Date): string {
  return formatDateTime(value, { dateStyle: 'medium' });
}

/** A duration as m:ss or h:mm:ss, in the current language's digits. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });
  const parts = h > 0 ? [formatNumber(h), two(m), two(s)] : [formatNumber(m), two(s)];
  // Digits read left to right in Persian too: isolate so the colons do not reorder.
  return `\u2066${parts.join(':')}\u2069`;
}

/** Seconds with a localised unit ("12.5 sec", "۱۲٫۵ ثانیه"). */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return formatNumber(s, { style: 'unit', unit: 'second', unitDisplay: 'short', maximumFractionDigits: s < 10 ? 1 : 0 });
}
