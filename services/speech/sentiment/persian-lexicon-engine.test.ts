import { describe, expect, it } from 'vitest';
import { createPersianLexiconEngine } from './persian-lexicon-engine.js';
import { loadPersianLexicon, parsePersianLexicon, stemCandidates } from './persian-lexicon.js';
import { splitNegation } from './persian-tokens.js';

const fa = createPersianLexiconEngine();
const label = (text: string) => fa.score(text).label;

describe('Persian lexicon engine', () => {
  it('ships a lexicon of a few hundred entries', () => {
    expect(loadPersianLexicon().entries.size).toBeGreaterThanOrEqual(300);
  });

  it('scores plain positive, negative and neutral utterances', () => {
    expect(fa.score('خیلی ممنون')).toMatchObject({ label: 'positive', engine: 'lexicon' });
    expect(label('افتضاح است')).toBe('negative');
    expect(label('شماره اشتراکم ۱۲۳۴ است')).toBe('neutral');
  });

  it('flips polarity on negated verbs and negator words', () => {
    expect(label('راضی هستم')).toBe('positive');
    expect(label('راضی نیستم')).toBe('negative');
    expect(label('خوب بود')).toBe('positive');
    expect(label('خوب نبود')).toBe('negative');
    expect(label('مشکلم حل شد')).toBe('positive');
    expect(label('مشکلم حل نشد')).toBe('negative');
    expect(label('کار می‌کند')).toBe('positive');
    expect(label('کار نمی‌کند')).toBe('negative');
    expect(label('بد نبود')).toBe('positive'); // "not bad"
    expect(label('هیچ مشکلی نیست')).toBe('positive');
    expect(label('بدون مشکل انجام شد')).toBe('positive');
    expect(label('دیگه نمی‌خوام')).toBe('negative');
    const notSatisfied = fa.explain('اصلاً راضی نیستم').matches;
    expect(notSatisfied).toEqual([{ text: 'راضی', weight: 2, value: -1.5, negated: true }]);
  });

  it('does not count the problem noun when the clause says it was resolved', () => {
    expect(fa.explain('مشکلم برطرف شد').matches.map((m) => m.value)).toEqual([0, 2]);
    expect(fa.explain('مشکلم برطرف نشد').matches.map((m) => m.value)).toEqual([-2, -1.5]);
  });

  it('matches phrases that contain a negation as written', () => {
    expect(label('دستتون درد نکنه')).toBe('positive'); // "thank you", literally "may your hand not hurt"
    expect(label('خسته نباشید')).toBe('positive');
  });

  it('scores spelling variants identically', () => {
    const same = (a: string, b: string) => expect(fa.score(a)).toEqual(fa.score(b));
    same('من شكايت مي‌كنم', 'من شکایت می‌کنم');
    same('فوق‌العاده است', 'فوق العاده است');
    same('فوق‌العاده است', 'فوقالعاده است');
    same('راضي نيستم', 'راضی نیستم');
    same('نمی‌خواهم', 'نمی خواهم');
    same('نمی‌خواهم', 'نمیخواهم');
    same('خیـــلی بـد', 'خیلی بد');
    same('غیرقابل‌قبول', 'غیر قابل قبول');
  });

  it('finds inflected forms and keeps verb forms apart from look-alike entries', () => {
    expect(label('مشکلاتم زیاد است')).toBe('negative');
    expect(label('از همکارتان ناراضی‌ام')).toBe('negative');
    expect(stemCandidates('بدهید')).toEqual(['بدهید']); // "give", not بد "bad"
    expect(label('لطفاً پولم را پس بدهید')).toBe('neutral');
    expect(label('چند دقیقه صبر کنید')).toBe('neutral'); // دقیقه "minute" is not دقیق "precise"
  });

  it('weighs the clause after ولی / اما more', () => {
    expect(label('کمی دیر شد ولی کارشناس خیلی مودب و عالی بود')).toBe('positive');
    expect(label('کارشناس مودب بود اما مشکلم هنوز حل نشده و خیلی ناراضی‌ام')).toBe('negative');
  });

  it('splits negated verbs only where a verb stem follows', () => {
    expect(splitNegation('نیستم')).toEqual({ base: 'هستم', negated: true });
    expect(splitNegation('نمیخوام')).toEqual({ base: 'میخوام', negated: true });
    expect(splitNegation('نشد')).toEqual({ base: 'شد', negated: true });
    expect(splitNegation('نکرده‌ام'.replace('\u200c', ''))).toEqual({ base: 'کردهام', negated: true });
    for (const noun of ['نظر', 'نزدیک', 'نشانی', 'نیاز', 'نتیجه', 'نام']) expect(splitNegation(noun).negated).toBe(false);
  });

  it('accepts extra entries and rejects malformed lexicon lines', () => {
    const custom = createPersianLexiconEngine({ extraTsv: 'همراه‌پلاس\t3\n' });
    expect(custom.score('همراه پلاس').label).toBe('positive');
    expect(() => parsePersianLexicon('خوب\tعالی\n')).toThrow(/integer weight/);
    expect(() => parsePersianLexicon('خوب\t9\n')).toThrow(/integer weight/);
    expect(() => parsePersianLexicon('خوب\t2\tbogus\n')).toThrow(/topic\|resolves/);
  });
});
