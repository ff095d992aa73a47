import type { CallDirection, Channel } from '../calls/index.js';

/** Whose speech a transcript rule looks at. */
export type Speaker = Channel | 'any';

/** A stretch of the call a transcript rule is limited to: the first or the last N seconds. */
export type TimeWindow = { first: number } | { last: number };

/** Any of `phrases` said by `speaker` (within `within`). */
export interface PhraseRule {
  type: 'phrase';
  speaker: Speaker;
  phrases: string[];
  within?: TimeWindow;
  /** Overrides the card's `matching.minSimilarity`. */
  minSimilarity?: number;
}

/** None of `phrases` said by `speaker` (prohibited language). Fails with every occurrence as evidence. */
export interface ProhibitedRule {
  type: 'prohibited';
  speaker: Speaker;
  phrases: string[];
  within?: TimeWindow;
  minSimilarity?: number;
}

/** A regular expression over the normalised text of each segment; `absent` inverts it. */
export interface RegexRule {
  type: 'regex';
  speaker: Speaker;
  pattern: string;
  flags: string;
  within?: TimeWindow;
  expect: 'present' | 'absent';
}

/** Conversation metrics a rule can bound; units in docs/scoring.md ("Metric rules"). */
export const METRIC_NAMES = [
  'longestNonTalk', 'nonTalkTotal', 'overtalk', 'overtalkShare', 'talkToListenRatio', 'agentTalkShare',
  'agentInterruptions', 'customerInterruptions', 'agentWordsPerMinute', 'customerWordsPerMinute',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** `min ≤ metric ≤ max` (either bound may be absent, not both). */
export interface MetricRule {
  type: 'metric';
  metric: MetricName;
  min?: number;
  max?: number;
}

export const SENTIMENT_MEASURES = ['start', 'end', 'mean', 'delta'] as const;
export type SentimentMeasure = (typeof SENTIMENT_MEASURES)[number];

/** `min ≤ measure ≤ max` of a speaker's sentiment arc; `delta ≥ 0` is "ended at or above the start". */
export interface SentimentRule {
  type: 'sentiment';
  speaker: Channel;
  measure: SentimentMeasure;
  min?: number;
  max?: number;
}

/**
 * Hold etiquette: every both-silent stretch of at least `minSilence` s must be preceded (within
 * `askWithin` s) by the agent asking permission and followed (within `thankWithin` s) by the agent thanking
 * the customer for waiting. Not applicable when the call has no such stretch.
 */
export interface HoldRule {
  type: 'hold';
  minSilence: number;
  askWithin: number;
  thankWithin: number;
  ask: string[];
  thank: string[];
  minSimilarity?: number;
}

export const METADATA_FIELDS = ['direction', 'queue', 'department', 'language', 'duration'] as const;
export type MetadataField = (typeof METADATA_FIELDS)[number];

/** Call metadata: a text field `in` a list (language by primary subtag), or the duration (s) in a range. */
export interface MetadataRule {
  type: 'metadata';
  field: MetadataField;
  in?: string[];
  min?: number;
  max?: number;
}

export interface AllRule { type: 'all'; rules: Rule[] }
export interface AnyRule { type: 'any'; rules: Rule[] }
export interface NotRule { type: 'not'; rule: Rule }
/** A named rule from the card's `rules`. */
export interface RefRule { type: 'ref'; name: string }

export type Rule =
  | PhraseRule | ProhibitedRule | RegexRule | MetricRule | SentimentRule | HoldRule | MetadataRule
  | AllRule | AnyRule | NotRule | RefRule;
export type RuleType = Rule['type'];

export type QuestionType = 'yes-no' | 'scale' | 'points';

interface QuestionBase {
  id: string;
  text: string;
  /** Relative weight within the section (> 0). */
  weight: number;
  /** Whether N/A is an allowed answer. */
  na: boolean;
  /** Auto-fail: a "no" makes the whole evaluation score 0 (yes/no questions only). */
  critical: boolean;
  guidance?: string;
  /** How the answer is found automatically; without it the question is answered by a reviewer. */
  auto?: Rule;
}
export interface YesNoQuestion extends QuestionBase { type: 'yes-no' }
/** Integer answers min…max (e.g. 1–5). */
export interface ScaleQuestion extends QuestionBase { type: 'scale'; min: number; max: number }
/** Answers 0…max points. */
export interface PointsQuestion extends QuestionBase { type: 'points'; max: number }
export type Question = YesNoQuestion | ScaleQuestion | PointsQuestion;

export interface Section {
  id: string;
  title: string;
  /** Share of the overall score; the sections' weights add up to 100. */
  weight: number;
  questions: Question[];
}

/** Which calls a card applies to; an absent list means "any". */
export interface Applicability {
  directions?: CallDirection[];
  queues?: string[];
  departments?: string[];
  /** BCP-47 tags; `en` matches `en-US`. */
  languages?: string[];
}

export interface Scorecard {
  id: string;
  name: string;
  description?: string;
  appliesTo: Applicability;
  /** Overall percentage needed to pass (0–100). */
  passThreshold: number;
  matching: { minSimilarity: number };
  /** Automatic answers below this confidence go to human review. */
  review: { minConfidence: number };
  /** Named rules, used through `{ type: ref, name }`. */
  rules: Record<string, Rule>;
  sections: Section[];
}
