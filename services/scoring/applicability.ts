import type { CallInfo } from './evaluation-types.js';
import { languageMatches } from './rules/metadata-rule.js';
import type { Scorecard } from './types.js';

/**
 * Whether a card applies to a call: every list the card gives must contain the call's value (languages
 * by primary subtag: `en` covers `en-US`). A call without a value for a listed field does not match.
 */
export function appliesTo(card: Scorecard, call: CallInfo): boolean {
  const a = card.appliesTo;
  const has = (list: readonly string[] | undefined, value: string | null | undefined) => !list || (!!value && list.includes(value));
  return has(a.directions, call.direction)
    && has(a.queues, call.queue)
    && has(a.departments, call.department)
    && (!a.languages || (!!call.language && a.languages.some((l) => languageMatches(call.language as string, l))));
}

export function applicableScorecards<T extends Scorecard>(cards: readonly T[], call: CallInfo): T[] {
  return cards.filter((c) => appliesTo(c, call));
}
