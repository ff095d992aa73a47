import { createRequire } from 'node:module';
import Sentiment from 'sentiment';
import { combineClauses, DEFAULT_LEXICON_SCORING, lexiconScore } from './scoring.js';
import type { LexiconEngine, LexiconExplanation, LexiconMatch, LexiconScoring } from './types.js';

/**
 * Contact-center adjustments to AFINN-165 (docs/sentiment.md lists the reasons). 0 removes a word:
 * requests and politeness ("I'd like…", "please", "can you help") are not sentiment.
 */
export const ENGLISH_DOMAIN_LABELS: Readonly<Record<string, number>> = Object.freeze({
  like: 0, please: 0, help: 0, want: 0, yes: 0, no: 0, kind: 0, care: 0, pretty: 0, interest: 0, pay: 0,
  charged: -1, joke: -2,
  working: 2, works: 2, fixed: 2, sorted: 1, patient: 2,
  issue: -1, issues: -1, slow: -2, waiting: -1, waited: -1, outage: -2, disconnected: -2, dropped: -1,
  escalate: -1, supervisor: -1, manager: -1, broken: -2, crashing: -2, crashes: -2, crashed: -2,
  late: -1, delayed: -2,
});

/** Formulaic openings and closings removed before scoring: courtesy, not sentiment. */
const FORMULAE = [
  /\bthank(?:s| you) for (?:calling|holding|waiting|your patience)\b/gu,
  /\bgood (?:morning|afternoon|evening)\b/gu,
];

const NEGATORS = new Set([
  'not', 'no', 'never', 'none', 'nobody', 'nothing', 'neither', 'nor', 'without', 'cannot', 'hardly',
  'dont', 'doesnt', 'didnt', 'isnt', 'wasnt', 'arent', 'werent', 'cant', 'couldnt', 'wont', 'wouldnt',
  'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint',
]);
const isNegator = (token: string) => NEGATORS.has(token) || token.endsWith("n't");
/** Resolution rule (as in Persian): with an affirmative resolution in the clause, problem nouns count 0. */
const TOPIC = new Set(['problem', 'problems', 'issue', 'issues', 'error', 'errors', 'fault']);
const RESOLVES = new Set(['resolved', 'fixed', 'sorted', 'solved', 'working', 'works']);
const CONTRAST = /\b(?:but|however|although|though)\b/u;
const CLAUSE_BREAK = /[.!?;,:…\n()"]+/u;

export interface EnglishLexiconOptions {
  /** Extra or overriding word weights (−5…5), merged over AFINN-165 and the domain labels. */
  labels?: Record<string, number>;
  scoring?: Partial<LexiconScoring>;
  /** Tokens before a word in which a negator negates it ("not very happy"). */
  negationWindow?: number;
}

let registered = 0;

/**
 * English lexicon sentiment (docs/sentiment.md, "English lexicon"): the `sentiment` package with
 * AFINN-165 plus domain labels, scored per clause; a word is negated (× negationFactor) when an odd
 * number of negators stand in the `negationWindow` tokens before it. In a clause with an affirmative
 * resolution ("resolved", "fixed"), problem nouns count 0.
 */
export function createEnglishLexiconEngine(options: EnglishLexiconOptions = {}): LexiconEngine {
  const scoring = { ...DEFAULT_LEXICON_SCORING, ...options.scoring };
  const window = options.negationWindow ?? 3;
  const afinn = createRequire(import.meta.url)('sentiment/languages/en/labels.json') as Record<string, number>;
  const labels: Record<string, number> = { ...afinn };
  for (const [word, weight] of Object.entries({ ...ENGLISH_DOMAIN_LABELS, ...options.labels })) {
    if (weight === 0) delete labels[word];
    else labels[word] = weight;
  }
  let trace: LexiconMatch[] = [];
  const code = `callsight-en-${++registered}`;
  const analyzer = new Sentiment();
  analyzer.registerLanguage(code, {
    labels,
    scoringStrategy: {
      apply(tokens, cursor, weight) {
        const negators = tokens.slice(Math.max(0, cursor - window), cursor).filter(isNegator).length;
        const negated = negators % 2 === 1;
        const value = negated ? weight * scoring.negationFactor : weight;
        trace.push({ text: tokens[cursor], weight, value, negated });
        return value;
      },
    },
  });

  function explain(text: string): LexiconExplanation {
    let clean = text.toLowerCase().replace(/[’‘`]/gu, "'");
    for (const f of FORMULAE) clean = clean.replace(f, ' ');
    const clauses: { text: string; contrast: boolean }[] = [];
    for (const part of clean.split(CLAUSE_BREAK)) {
      part.split(CONTRAST).forEach((piece, i) => {
        if (piece.trim() !== '') clauses.push({ text: piece, contrast: i > 0 });
      });
    }
    const matches: LexiconMatch[] = [];
    const sums = clauses.map((c) => {
      trace = [];
      analyzer.analyze(c.text, { language: code });
      // The package walks tokens from the end; report them in reading order.
      const found = trace.reverse();
      const resolved = found.some((m) => RESOLVES.has(m.text) && !m.negated);
      const adjusted = found.map((m) => (resolved && TOPIC.has(m.text) ? { ...m, value: 0 } : m));
      matches.push(...adjusted);
      return adjusted.reduce((sum, m) => sum + m.value, 0);
    });
    return { sum: combineClauses(sums, clauses.map((c) => c.contrast), scoring), matches };
  }

  return {
    name: 'lexicon',
    languages: ['en'],
    explain,
    score(text) {
      return lexiconScore(explain(text).sum, 'lexicon', scoring);
    },
  };
}
