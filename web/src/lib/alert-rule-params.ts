import type { AlertRuleKind } from './types';

export type ParamKey = 'speaker' | 'consecutive' | 'below' | 'window' | 'meanBelow' | 'phrases' | 'minMs' | 'targetMs' | 'minEpisodeMs' | 'minScore';

/**
 * One parameter of a rule kind as the form shows it. The server validates (services/live/alerts/rule-params.ts);
 * the form only shapes the values: numbers from number inputs (empty = left out, so the server's default or its
 * "required" applies), phrases one per line.
 */
export type ParamField =
  | { key: ParamKey; type: 'speaker'; initial: 'agent' | 'customer' }
  | { key: ParamKey; type: 'number'; initial?: number; step: string }
  | { key: ParamKey; type: 'phrases' };

const speaker = (initial: 'agent' | 'customer'): ParamField => ({ key: 'speaker', type: 'speaker', initial });
const number = (key: ParamKey, initial: number | undefined, step = '1'): ParamField => ({ key, type: 'number', initial, step });

export const RULE_FIELDS: Record<AlertRuleKind, readonly ParamField[]> = {
  'negative-sentiment': [speaker('customer'), number('consecutive', 3), number('below', -0.3, 'any'), number('window', 5), number('meanBelow', undefined, 'any')],
  'prohibited-phrase': [speaker('agent'), { key: 'phrases', type: 'phrases' }],
  'escalation-phrase': [speaker('customer'), { key: 'phrases', type: 'phrases' }],
  'long-hold': [number('minMs', 60_000)],
  'handle-time': [number('targetMs', 600_000)],
  agitation: [speaker('customer'), number('minEpisodeMs', 8000), number('minScore', 0.6, 'any')],
};

/** The form field's text for a parameter: the rule's value when editing, the kind's usual value when creating. */
export function fieldText(field: ParamField, params: Record<string, unknown> | undefined): string {
  const v = params ? params[field.key] : undefined;
  switch (field.type) {
    case 'speaker':
      return typeof v === 'string' ? v : field.initial;
    case 'number':
      return typeof v === 'number' ? String(v) : params || field.initial === undefined ? '' : String(field.initial);
    case 'phrases':
      return Array.isArray(v) ? v.map(String).join('\n') : '';
  }
}

/** The parameters of `kind` read from the form (`param-<key>` fields). */
export function paramsFromForm(kind: AlertRuleKind, data: FormData): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const field of RULE_FIELDS[kind]) {
    const raw = String(data.get(`param-${field.key}`) ?? '');
    switch (field.type) {
      case 'speaker':
        params[field.key] = raw;
        break;
      case 'number':
        if (raw.trim() !== '') params[field.key] = Number(raw);
        break;
      case 'phrases':
        params[field.key] = raw.split('\n').map((p) => p.trim()).filter(Boolean);
        break;
    }
  }
  return params;
}
