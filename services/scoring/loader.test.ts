import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScorecardDir, parseScorecard } from './loader.js';
import { ScorecardError, type ScorecardIssue } from './scorecard-error.js';

const GOOD = `id: demo
name: Demo
passThreshold: 80
rules:
  hello:
    type: phrase
    phrases: [hello, good morning]
sections:
  - id: opening
    title: Opening
    weight: 60
    questions:
      - id: greeting
        text: Greeted the customer
        type: yes-no
        auto:
          type: ref
          name: hello
  - id: closing
    title: Closing
    weight: 40
    questions:
      - id: bye
        text: Said goodbye
        type: scale
        max: 5
`;

/** The 1-based line of the first line containing `marker`. */
const lineOf = (text: string, marker: string, last = false) => {
  const lines = text.split('\n');
  const hits = lines.flatMap((l, n) => (l.includes(marker) ? [n] : []));
  const i = hits.length === 0 ? -1 : last ? hits[hits.length - 1] : hits[0];
  if (i < 0) throw new Error(`marker not found: ${marker}`);
  return i + 1;
};

function issuesOf(text: string, file = 'cards/demo.yaml'): ScorecardIssue[] {
  try {
    parseScorecard(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ScorecardError);
    return [...(e as ScorecardError).issues];
  }
  throw new Error('expected the card to be rejected');
}

/** Replaces `from` (must occur) in the good card. */
const edit = (from: string, to: string) => {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
};

describe('parseScorecard', () => {
  it('accepts a good card and fills the defaults', () => {
    const card = parseScorecard(GOOD, 'demo.yaml');
    expect(card.matching.minSimilarity).toBe(0.8);
    expect(card.review.minConfidence).toBe(0.7);
    expect(card.appliesTo).toEqual({});
    const [greeting] = card.sections[0].questions;
    expect(greeting).toMatchObject({ weight: 1, na: false, critical: false });
    expect(card.rules.hello).toMatchObject({ type: 'phrase', speaker: 'agent' });
    expect(card.sections[1].questions[0]).toMatchObject({ type: 'scale', min: 1, max: 5 });
  });

  it.each([
    {
      name: 'an unknown rule type',
      text: edit('          type: ref\n          name: hello', '          type: phrse\n          name: hello'),
      marker: 'type: phrse', field: 'sections[0].questions[0].auto.type', message: /unknown rule type; expected one of: phrase, prohibited, regex/,
    },
    {
      name: 'section weights that do not add up to 100',
      text: edit('weight: 40', 'weight: 30'),
      marker: 'sections:', field: 'sections', message: /section weights add up to 90, expected 100/,
    },
    {
      name: 'a value of the wrong type',
      text: edit('weight: 60', 'weight: heavy'),
      marker: 'weight: heavy', field: 'sections[0].weight', message: /expected number, received string/,
    },
    {
      name: 'a missing required field (at the item that lacks it)',
      text: edit('        text: Said goodbye\n', ''),
      marker: '- id: bye', field: 'sections[1].questions[0].text', message: /missing \(expected string\)/,
    },
    {
      name: 'a misspelt field',
      text: edit('        type: scale\n', '        type: scale\n        guidence: be kind\n'),
      marker: 'guidence:', field: 'sections[1].questions[0].guidence', message: /unknown field "guidence"/,
    },
    {
      name: 'an empty section',
      text: edit(`    questions:
      - id: bye
        text: Said goodbye
        type: scale
        max: 5
`, '    questions: []\n'),
      marker: 'questions: []', field: 'sections[1].questions', message: /at least one question/,
    },
    {
      name: 'a reference to an undefined rule',
      text: edit('name: hello', 'name: helo'),
      marker: 'name: helo', field: 'sections[0].questions[0].auto.name', message: /unknown rule "helo" \(defined: hello\)/,
    },
    {
      name: 'rules that refer to each other in a cycle',
      text: edit('  hello:\n    type: phrase\n    phrases: [hello, good morning]\n',
        '  hello:\n    type: all\n    rules:\n      - { type: ref, name: again }\n  again:\n    type: not\n    rule: { type: ref, name: hello }\n'),
      marker: '  hello:', field: 'rules.hello', message: /cycle: hello → again → hello/,
    },
    {
      name: 'an invalid regular expression',
      text: edit('    type: phrase\n    phrases: [hello, good morning]', '    type: regex\n    pattern: "(hello"'),
      marker: 'pattern:', field: 'rules.hello.pattern', message: /invalid regular expression/,
    },
    {
      name: 'a duplicate question id',
      text: edit('- id: bye', '- id: greeting'),
      marker: '- id: greeting', last: true, field: 'sections[1].questions[0].id', message: /duplicate question id "greeting"/,
    },
    {
      name: 'a critical scale question',
      text: edit('        max: 5', '        max: 5\n        critical: true'),
      marker: 'critical: true', field: 'sections[1].questions[0].critical', message: /only yes-no questions can be critical/,
    },
    {
      name: 'a metric rule without bounds',
      text: edit('    type: phrase\n    phrases: [hello, good morning]', '    type: metric\n    metric: overtalk'),
      marker: '  hello:', field: 'rules.hello', message: /give min, max or both/,
    },
    {
      name: 'an unknown metric',
      text: edit('    type: phrase\n    phrases: [hello, good morning]', '    type: metric\n    metric: loudness\n    max: 3'),
      marker: 'metric: loudness', field: 'rules.hello.metric', message: /longestNonTalk/,
    },
    {
      name: 'a time window with both ends',
      text: edit('    phrases: [hello, good morning]', '    phrases: [hello, good morning]\n    within: { first: 10, last: 10 }'),
      marker: 'within:', field: 'rules.hello.within', message: /exactly one of/,
    },
    {
      name: 'invalid YAML',
      text: edit('name: Demo', 'name: Demo: again'),
      marker: 'name: Demo: again', field: '', message: /^YAML: /,
    },
  ])('rejects $name with file, line and field', ({ text, marker, last, field, message }) => {
    const issues = issuesOf(text);
    expect(issues[0]).toMatchObject({ file: 'cards/demo.yaml', line: lineOf(text, marker, last), field });
    expect(issues[0].message).toMatch(message);
  });

  it('reports every problem at once, in line order, in the error message', () => {
    const text = edit('weight: 60', 'weight: -1').replace('type: scale', 'type: stars').replace('passThreshold: 80', 'passThreshold: 180');
    let error: ScorecardError | undefined;
    try { parseScorecard(text, 'x.yaml'); } catch (e) { error = e as ScorecardError; }
    expect(error?.issues.map((i) => [i.line, i.field])).toEqual([
      [lineOf(text, 'passThreshold'), 'passThreshold'],
      [lineOf(text, 'weight: -1'), 'sections[0].weight'],
      [lineOf(text, 'type: stars'), 'sections[1].questions[0].type'],
    ]);
    expect(error?.message).toContain(`x.yaml:${lineOf(text, 'weight: -1')}:5 sections[0].weight: Too small`);
    expect(error?.path).toBe(`x.yaml:${lineOf(text, 'passThreshold')} passThreshold`);
  });
});

describe('loadScorecardDir', () => {
  it('loads every card, and rejects the folder naming each bad file and duplicate ids', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scorecards-'));
    try {
      await writeFile(join(dir, 'a.yaml'), GOOD);
      await writeFile(join(dir, 'notes.txt'), 'not a card');
      expect((await loadScorecardDir(dir)).map((l) => l.card.id)).toEqual(['demo']);

      await writeFile(join(dir, 'b.yml'), GOOD);
      await writeFile(join(dir, 'c.yaml'), GOOD.replace('id: demo', 'id: other').replace('weight: 60', 'weight: 6'));
      const error = await loadScorecardDir(dir).then(() => null, (e: unknown) => e as ScorecardError);
      expect(error).toBeInstanceOf(ScorecardError);
      expect(error?.issues.map((i) => [i.file, i.line, i.field])).toEqual([
        [join(dir, 'c.yaml'), lineOf(GOOD, 'sections:'), 'sections'],
        [join(dir, 'b.yml'), 1, 'id'],
      ]);
      expect(error?.issues[1].message).toContain(`duplicate scorecard id "demo" (also in ${join(dir, 'a.yaml')})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
