import { isMap, isSeq, parseDocument, type Document } from 'yaml';

export const QUESTION_TYPES = ['yes-no', 'scale', 'points'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** What the form view edits of a question; everything else (rules, ids, scale ranges) stays as written in the YAML. */
export interface QuestionForm {
  id: string;
  text: string;
  type: string;
  weight: number | undefined;
  critical: boolean;
  na: boolean;
  guidance: string;
  automatic: boolean;
}

export interface SectionForm {
  id: string;
  title: string;
  weight: number | undefined;
  questions: QuestionForm[];
}

export type FormPath = readonly (string | number)[];

/** The YAML as a document (comments and layout kept); null with the parser's first error when it does not parse. */
export function readDocument(source: string): { doc: Document; error: null } | { doc: null; error: string } {
  const doc = parseDocument(source, { prettyErrors: false });
  if (doc.errors.length) return { doc: null, error: doc.errors[0].message };
  return { doc, error: null };
}

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** The sections and questions the form shows (tolerant: a half-written card shows what it has). */
export function sectionsOf(doc: Document): SectionForm[] {
  const sections = doc.get('sections');
  if (!isSeq(sections)) return [];
  return sections.items.map((s, si) => {
    const m = isMap(s) ? s.toJSON() as Record<string, unknown> : {};
    const qs = Array.isArray(m.questions) ? m.questions as Record<string, unknown>[] : [];
    return {
      id: str(m.id) || `#${si + 1}`, title: str(m.title), weight: num(m.weight),
      questions: qs.map((q, qi) => ({
        id: str(q?.id) || `#${qi + 1}`, text: str(q?.text), type: str(q?.type) || 'yes-no', weight: num(q?.weight),
        critical: q?.critical === true, na: q?.na === true, guidance: str(q?.guidance), automatic: q?.auto !== undefined,
      })),
    };
  });
}

/**
 * Sets (or, for `undefined`, removes) one field in the YAML and returns the new source: only that value changes,
 * comments and the rest of the layout stay.
 */
export function setField(source: string, path: FormPath, value: string | number | boolean | undefined): string {
  const doc = parseDocument(source);
  if (doc.errors.length) return source;
  if (value === undefined) doc.deleteIn(path);
  else doc.setIn(path, value);
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/** Appends a question to a section (a reviewer-answered yes-no question with a unique id). */
export function addQuestion(source: string, sectionIndex: number, text: string): string {
  const doc = parseDocument(source);
  if (doc.errors.length) return source;
  const taken = new Set(sectionsOf(doc).flatMap((s) => s.questions.map((q) => q.id)));
  let n = 1;
  while (taken.has(`question-${n}`)) n += 1;
  const questions = doc.getIn(['sections', sectionIndex, 'questions']);
  if (!isSeq(questions)) return source;
  questions.add(doc.createNode({ id: `question-${n}`, text, type: 'yes-no', weight: 1 }));
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
