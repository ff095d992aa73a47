import { readFileSync } from 'node:fs';
import { ValidationError } from '../../core/index.js';
import type { SentimentLabel } from '../types.js';
import type { SentimentEngine } from './types.js';

export interface LabelledSentence {
  text: string;
  label: SentimentLabel;
  speaker?: string;
}

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];

/** Reads a JSONL file of `{ text, label, speaker? }` lines (test/fixtures/sentiment/*.jsonl). */
export function readLabelledSet(path: string | URL): LabelledSentence[] {
  return readFileSync(path, 'utf8').split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const row = JSON.parse(line) as Partial<LabelledSentence>;
    if (typeof row.text !== 'string' || !LABELS.includes(row.label as SentimentLabel)) {
      throw new ValidationError(`line ${i + 1}: expected { text, label: negative|neutral|positive }`, `${String(path)}:${i + 1}`);
    }
    return [{ text: row.text, label: row.label as SentimentLabel, speaker: row.speaker }];
  });
}

export interface Evaluation {
  accuracy: number;
  total: number;
  /** confusion[expected][predicted] */
  confusion: Record<SentimentLabel, Record<SentimentLabel, number>>;
  errors: Array<{ text: string; expected: SentimentLabel; got: SentimentLabel; score: number }>;
}

/** Scores every sentence with the engine and compares labels. */
export async function evaluateEngine(engine: SentimentEngine, set: readonly LabelledSentence[], language: string): Promise<Evaluation> {
  const confusion = Object.fromEntries(LABELS.map((l) => [l, { negative: 0, neutral: 0, positive: 0 }])) as Evaluation['confusion'];
  const errors: Evaluation['errors'] = [];
  let right = 0;
  for (const s of set) {
    const r = await engine.score(s.text, language);
    confusion[s.label][r.label]++;
    if (r.label === s.label) right++;
    else errors.push({ text: s.text, expected: s.label, got: r.label, score: r.score });
  }
  return { accuracy: set.length ? right / set.length : 0, total: set.length, confusion, errors };
}
