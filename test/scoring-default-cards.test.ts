import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { evaluateApplicable, evaluateCall, loadScorecardDir, type EvaluationInput, type Scorecard } from '../services/scoring/index.js';
import { computeConversationMetrics, createPersianLexiconEngine, summarizeCallSentiment } from '../services/speech/index.js';

const DIR = fileURLToPath(new URL('../scorecards/', import.meta.url));
const loaded = await loadScorecardDir(DIR);
const cards = new Map(loaded.map((l) => [l.card.id, l.card]));
const card = (id: string) => cards.get(id) as Scorecard;

describe('default scorecards', () => {
  it('ship inbound support in English and Persian and outbound sales, all valid', () => {
    expect([...cards.keys()]).toEqual(['inbound-support-en', 'inbound-support-fa', 'outbound-sales']);
    expect(card('inbound-support-en').appliesTo).toEqual({ directions: ['inbound'], languages: ['en'] });
    expect(card('inbound-support-fa').appliesTo).toEqual({ directions: ['inbound'], languages: ['fa'] });
    expect(card('outbound-sales').appliesTo).toMatchObject({ directions: ['outbound'], languages: ['en', 'fa'] });
  });

  it('cover what the call-center practice asks for', () => {
    const ids = (id: string) => card(id).sections.flatMap((s) => s.questions.map((q) => q.id));
    for (const id of ['inbound-support-en', 'inbound-support-fa']) {
      expect(ids(id)).toEqual([
        'greeting', 'verification', 'active-listening', 'empathy', 'understanding', 'resolved', 'hold', 'transfer',
        'clarity', 'pace', 'prohibited-language', 'closing', 'customer-sentiment',
      ]);
    }
    expect(ids('outbound-sales')).toEqual([
      'introduction', 'right-person', 'permission', 'recording-disclosure', 'prohibited-language', 'needs-offer', 'objections',
      'active-listening', 'talk-balance', 'next-steps', 'courteous-close',
    ]);
    for (const c of cards.values()) {
      const critical = c.sections.flatMap((s) => s.questions.filter((q) => q.critical).map((q) => q.id));
      expect(critical).toContain('prohibited-language');
    }
  });

  it('the English and Persian support cards have the same structure and weights', () => {
    const shape = (c: Scorecard) => c.sections.map((s) => [s.id, s.weight, s.questions.map((q) => [q.id, q.type, q.weight, q.na, q.critical, q.auto?.type ?? null])]);
    expect(shape(card('inbound-support-fa'))).toEqual(shape(card('inbound-support-en')));
  });
});

/** A scripted Persian support call with mixed spellings (Arabic ي/ك, ZWNJ or spaces, Persian digits). */
const PERSIAN: Array<['agent' | 'customer', number, number, string]> = [
  ['agent', 0.6, 5, 'سلام، وقت بخير، شركت آكمه، بنده سارا هستم. در خدمتم.'],
  ['customer', 5.6, 10, 'سلام. اينترنت من از ديروز قطع شده و خيلي كلافه‌ام.'],
  ['agent', 10.5, 16, 'متأسفم، كاملاً درك مي‌كنم. لطفاً شماره اشتراك و كد ملي خود را بفرماييد.'],
  ['customer', 16.5, 20, 'شماره اشتراک ۴۵۷۲۱۹۸ است.'],
  ['agent', 20.5, 25, 'ممنون. اجازه مي دهيد چند لحظه منتظر بمانيد تا خط را بررسي كنم؟'],
  ['customer', 25.5, 27, 'بله، حتماً.'],
  ['agent', 35, 42, 'ممنون از صبر شما. مشکل خط برطرف شد و مودم را از اینجا راه‌اندازی مجدد کردم.'],
  ['customer', 42.5, 45, 'عالی، خیلی ممنون، الان وصل شد.'],
  ['agent', 45.5, 50, 'خواهش می‌کنم. امر ديگري هست كه بتوانم كمكتان كنم؟'],
  ['customer', 50.5, 52, 'نه، ممنونم. خیلی خوب بود.'],
  ['agent', 52.5, 55, 'از تماس شما سپاسگزاريم، روز خوبي داشته باشيد.'],
];

function persianInput(lines: typeof PERSIAN): EvaluationInput {
  const engine = createPersianLexiconEngine();
  const segments = lines.map(([speaker, a, b, text], i) => ({
    id: `fa-s${i}`, callId: 'fa', utteranceId: `fa-u${i}`, speaker, text, startMs: a * 1000, endMs: b * 1000,
    words: [], final: true, engine: 'script', language: 'fa-IR',
  }));
  const durationMs = Math.max(...lines.map((l) => l[2])) * 1000 + 800;
  return {
    call: { id: 'fa', direction: 'inbound', queue: 'support', language: 'fa-IR', durationMs },
    segments,
    metrics: computeConversationMetrics({ spans: segments, segments, endMs: durationMs }),
    sentiment: summarizeCallSentiment(segments.map((s) => ({ ...s, sentiment: engine.score(s.text) }))),
  };
}

const failed = (input: EvaluationInput) => evaluateCall(card('inbound-support-fa'), input).answers.filter((a) => a.outcome === 'fail').map((a) => a.questionId);

describe('Persian support card on a scripted Persian call', () => {
  it('passes a good call written with mixed spellings', () => {
    const [e] = evaluateApplicable([...cards.values()], persianInput(PERSIAN));
    expect(e.scorecardId).toBe('inbound-support-fa');
    expect(e.answers.filter((a) => a.outcome !== null).map((a) => [a.questionId, a.outcome])).toEqual([
      ['greeting', 'pass'], ['verification', 'pass'], ['active-listening', 'pass'], ['hold', 'pass'], ['pace', 'pass'],
      ['prohibited-language', 'pass'], ['closing', 'pass'], ['customer-sentiment', 'pass'],
    ]);
    expect(e.score).toMatchObject({ overall: 100, passed: true });
  });

  it('fails exactly the greeting, hold, prohibited language and closing when they go wrong', () => {
    const bad = PERSIAN.map((l): typeof l => [...l]);
    bad[0][3] = 'بله؟ بفرمایید، مشکلتان چیست؟ زود بگویید.';
    bad[4][3] = 'باشه، الان خط را بررسی می‌کنم، یک لحظه.';
    bad[8][3] = 'به من ربطي نداره، مشكل خودتونه، من فقط خط را درست می‌کنم.';
    bad[10][3] = 'باشه، فعلاً همین است که گفتم، تمام.';
    expect(failed(persianInput(bad))).toEqual(['greeting', 'hold', 'prohibited-language', 'closing']);
    expect(evaluateCall(card('inbound-support-fa'), persianInput(bad)).score).toMatchObject({ overall: 0, autoFailed: true });
  });
});
