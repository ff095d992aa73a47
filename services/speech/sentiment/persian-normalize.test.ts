import { describe, expect, it } from 'vitest';
import { normalizePersian } from './persian-normalize.js';

const ZWNJ = '\u200c';

describe('normalizePersian', () => {
  it('maps Arabic letter variants to Persian', () => {
    expect(normalizePersian('شكايت مي‌كنم')).toBe(normalizePersian('شکایت می‌کنم'));
    expect(normalizePersian('علي')).toBe('علی');
    expect(normalizePersian('مصطفى')).toBe('مصطفی');
    expect(normalizePersian('مدرسة')).toBe('مدرسه');
    expect(normalizePersian('مؤدب و متأسفانه')).toBe('مودب و متاسفانه');
    expect(normalizePersian('ﻛﺘﺎﺏ')).toBe('کتاب'); // presentation forms
    expect(normalizePersian('آرام')).toBe('آرام'); // alef madda stays
  });

  it('treats ZWNJ, joined and spaced verbal prefixes alike', () => {
    const forms = [`می${ZWNJ}خواهم`, 'میخواهم', 'می خواهم', 'مي‌خواهم'];
    expect(new Set(forms.map(normalizePersian))).toEqual(new Set(['میخواهم']));
    const negated = [`نمی${ZWNJ}خواهم`, 'نمیخواهم', 'نمی خواهم'];
    expect(new Set(negated.map(normalizePersian))).toEqual(new Set(['نمیخواهم']));
    expect(normalizePersian('ما می  گوییم')).toBe('ما میگوییم');
  });

  it('joins plural and comparative suffixes however they are written', () => {
    expect(normalizePersian(`کتاب${ZWNJ}ها`)).toBe('کتابها');
    expect(normalizePersian('کتاب ها')).toBe('کتابها');
    expect(normalizePersian('بزرگ تر')).toBe(normalizePersian(`بزرگ${ZWNJ}تر`));
    expect(normalizePersian('بهترین')).toBe('بهترین');
  });

  it('converts Persian and Arabic-Indic digits to ASCII', () => {
    expect(normalizePersian('۰۹۱۲ ۳۴۵ ٦٧٨٩')).toBe('0912 345 6789');
    expect(normalizePersian('۲٫۵ و ۱٬۰۰۰')).toBe('2.5 و 1,000');
  });

  it('removes diacritics, tatweel and invisible marks, and collapses whitespace', () => {
    expect(normalizePersian('سَلامٌ عَلَیکُم')).toBe('سلام علیکم');
    expect(normalizePersian('خــــوب')).toBe('خوب');
    expect(normalizePersian('\u200fخوب\u200e  \u00a0 است ')).toBe('خوب است');
    expect(normalizePersian('خانهٔ من')).toBe('خانه من');
  });

  it('is idempotent and leaves Latin text alone', () => {
    const samples = ['من شكايت مي‌كنم، اين رفتار قابل قبول نيست.', 'Order #123 — OK', 'كتاب‌هاي ۱۲ تا'];
    for (const s of samples) expect(normalizePersian(normalizePersian(s))).toBe(normalizePersian(s));
    expect(normalizePersian('Order #123 — OK')).toBe('Order #123 — OK');
  });
});
