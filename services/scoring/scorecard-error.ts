import { ValidationError } from '../core/index.js';

/** One problem in a scorecard file: where it is (1-based line and column) and which field. */
export interface ScorecardIssue {
  file: string;
  line: number;
  column: number;
  /** Dotted field path, e.g. `sections[0].questions[2].weight`; empty for the whole document. */
  field: string;
  message: string;
}

export const formatIssue = (i: ScorecardIssue) => `${i.file}:${i.line}:${i.column}${i.field ? ` ${i.field}` : ''}: ${i.message}`;

/** A scorecard was rejected; `issues` lists every problem found, `path` is the first one's file:line field. */
export class ScorecardError extends ValidationError {
  readonly issues: readonly ScorecardIssue[];
  constructor(issues: readonly ScorecardIssue[], opts: { cause?: unknown } = {}) {
    const first = issues[0];
    super(
      issues.length === 1 ? formatIssue(first) : `${issues.length} problems:\n${issues.map(formatIssue).join('\n')}`,
      `${first.file}:${first.line}${first.field ? ` ${first.field}` : ''}`,
      opts,
    );
    this.issues = issues;
  }
}
