import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ScorecardError, type ScorecardIssue } from './scorecard-error.js';
import { scorecardSchema } from './scorecard-schema.js';
import type { Scorecard } from './types.js';
import { formatFieldPath, locate } from './yaml-locate.js';

/** A validated scorecard and where it came from. */
export interface LoadedScorecard {
  card: Scorecard;
  file: string;
  /** The YAML as written (what a version store keeps). */
  source: string;
}

/** Better words than zod's defaults for the mistakes people make in scorecards. */
function describe(issue: z.core.$ZodIssue): { message: string; path: PropertyKey[] } {
  const path = [...issue.path];
  if (issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator') {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const what = path.includes('auto') || path.includes('rules') ? 'rule type' : 'type';
    return { message: `unknown ${what}; expected one of: ${options.join(', ')}`, path };
  }
  if (issue.code === 'unrecognized_keys') {
    return { message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`, path: [...path, issue.keys[0]] };
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return { message: `missing (expected ${issue.expected})`, path };
  }
  return { message: issue.message.replace(/^Invalid input: /u, ''), path };
}

/**
 * Parses and validates one scorecard. Throws `ScorecardError` listing every YAML or schema problem with
 * file, line, column and field; a rejected card never half-loads.
 */
export function parseScorecard(source: string, file = '<scorecard>'): Scorecard {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, keepSourceTokens: true, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScorecardError(doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { file, line: pos.line, column: pos.col, field: '', message: `YAML: ${e.message.split('\n')[0]}` };
    }));
  }
  const result = scorecardSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (result.success) return result.data;
  const issues: ScorecardIssue[] = result.error.issues.map((issue) => {
    const { message, path } = describe(issue);
    const { line, column } = locate(doc, lines, path);
    return { file, line, column, field: formatFieldPath(path), message };
  });
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new ScorecardError(issues, { cause: result.error });
}

export async function loadScorecardFile(file: string): Promise<LoadedScorecard> {
  const source = await readFile(file, 'utf8');
  return { card: parseScorecard(source, file), file, source };
}

/**
 * Every `*.yaml` / `*.yml` in a folder, in file-name order. All files are checked; one `ScorecardError`
 * carries the problems of every bad file, and duplicate card ids across files are rejected too.
 */
export async function loadScorecardDir(dir: string): Promise<LoadedScorecard[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/u.test(n)).sort();
  const loaded: LoadedScorecard[] = [];
  const issues: ScorecardIssue[] = [];
  for (const name of names) {
    try {
      loaded.push(await loadScorecardFile(join(dir, name)));
    } catch (e) {
      if (!(e instanceof ScorecardError)) throw e;
      issues.push(...e.issues);
    }
  }
  const seen = new Map<string, string>();
  for (const { card, file, source } of loaded) {
    const other = seen.get(card.id);
    if (other) {
      const line = source.split('\n').findIndex((l) => /^id\s*:/u.test(l)) + 1;
      issues.push({ file, line: Math.max(1, line), column: 1, field: 'id', message: `duplicate scorecard id "${card.id}" (also in ${other})` });
    }
    seen.set(card.id, file);
  }
  if (issues.length > 0) throw new ScorecardError(issues);
  return loaded;
}
