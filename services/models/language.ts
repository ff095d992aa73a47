/** Language tags compared the way the ASR chooser does: exact first, then by primary subtag (`en` ~ `en-us`). */
export function primaryTag(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0];
}

export function normaliseTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/_/g, '-');
}

/** 2 for an exact match, 1 for the same primary language, 0 otherwise. */
export function languageScore(modelLanguage: string, wanted: string): 0 | 1 | 2 {
  const a = normaliseTag(modelLanguage);
  const b = normaliseTag(wanted);
  if (a === b) return 2;
  return primaryTag(a) === primaryTag(b) ? 1 : 0;
}
