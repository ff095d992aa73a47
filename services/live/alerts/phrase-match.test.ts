import { describe, expect, it } from 'vitest';
import { createPhraseMatcher, normalizeForMatch } from './phrase-match.js';

describe('phrase matching for alert rules', () => {
  it('normalises case, punctuation, apostrophes and Persian spelling variants', () => {
    expect(normalizeForMatch('Tomorrow?  That’s NOT good enough!')).toBe("tomorrow that's not good enough");
    expect(normalizeForMatch('می‌خواهم با مدیر صحبت کنم.')).toBe('میخواهم با مدیر صحبت کنم');
    expect(normalizeForMatch('مي خواهم با مدير صحبت كنم، لطفاً')).toBe('میخواهم با مدیر صحبت کنم لطفا');
    expect(normalizeForMatch("'quoted' words")).toBe('quoted words');
  });

  it('matches English phrases as whole words only', () => {
    const find = createPhraseMatcher(['speak to a manager', 'lawyer', "i'll cancel"]);
    expect(find('Tomorrow? That is not good enough. I want to SPEAK to a manager!')?.phrase).toBe('speak to a manager');
    expect(find('i want to speak to a managerial person')).toBeUndefined();
    expect(find('my lawyer will call you')?.phrase).toBe('lawyer');
    expect(find('the lawyers')).toBeUndefined();
    expect(find('I’ll cancel tomorrow')?.phrase).toBe("i'll cancel");
    expect(find('nothing to see here')).toBeUndefined();
  });

  it('matches Persian phrases whatever the spelling, with suffixes on the last word', () => {
    const find = createPhraseMatcher(['با مدیر صحبت کنم', 'لغو', 'شکایت', 'وکیل']);
    expect(find('می‌خواهم با مدیر صحبت کنم')?.phrase).toBe('با مدیر صحبت کنم');
    expect(find('ميخواهم با مدير صحبت كنم')?.phrase).toBe('با مدیر صحبت کنم');
    expect(find('اشتراکم را لغو کنید')?.phrase).toBe('لغو');
    expect(find('لغوش کنید')?.phrase).toBe('لغو');
    expect(find('از شما شکایت می‌کنم')?.phrase).toBe('شکایت');
    expect(find('با وکیلم صحبت می‌کنم')?.phrase).toBe('وکیل');
    expect(find('مشکلی نیست، ممنون')).toBeUndefined();
  });

  it('prefers the longer phrase and ignores empty ones', () => {
    const find = createPhraseMatcher(['cancel', 'cancel my account', '  ', '!!']);
    expect(find('please cancel my account now')?.phrase).toBe('cancel my account');
    expect(createPhraseMatcher(['', '  '])('anything')).toBeUndefined();
  });
});
