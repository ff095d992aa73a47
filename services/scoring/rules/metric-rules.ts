import type { Channel } from '../../calls/index.js';
import type { ConversationMetrics } from '../../speech/index.js';
import type { Evidence, RuleResult } from '../evaluation-types.js';
import type { MetricName, MetricRule } from '../types.js';
import { fmtS, result, unknown, type RuleContext } from './context.js';

interface Reading {
  value: number | null;
  evidence: Evidence[];
  /** Unit shown in details. */
  unit: string;
  /** Why the value is null. */
  missing?: string;
}

/** Metrics that can only grow as a call goes on: once above `max`, a live check is settled. */
const MONOTONE: ReadonlySet<MetricName> = new Set(['longestNonTalk', 'nonTalkTotal', 'overtalk', 'agentInterruptions', 'customerInterruptions']);

function interruptions(m: ConversationMetrics, by: Channel): Reading {
  const list = m.interruptions.filter((i) => i.by === by);
  return {
    value: list.length,
    unit: '',
    evidence: list.map((i) => ({ speaker: by, startMs: i.atMs, endMs: i.atMs + i.overlapMs, note: `${by} cut in on the ${i.of} (${fmtS(i.overlapMs)} overlap)` })),
  };
}

function rate(m: ConversationMetrics, ch: Channel): Reading {
  const v = m.speakers[ch].wordsPerMinute;
  return { value: v, unit: ' wpm', evidence: [], missing: `too little ${ch} talk for a speaking rate` };
}

/** The value of a metric as rules see it: durations in seconds, shares 0–1, rates in words per minute. */
export function readMetric(name: MetricName, m: ConversationMetrics): Reading {
  switch (name) {
    case 'longestNonTalk': {
      const l = m.nonTalk.longest;
      return { value: l ? l.durationMs / 1000 : 0, unit: ' s', evidence: l ? [{ startMs: l.startMs, endMs: l.endMs, note: `longest non-talk ${fmtS(l.durationMs)}` }] : [] };
    }
    case 'nonTalkTotal': return { value: m.nonTalk.totalMs / 1000, unit: ' s', evidence: [] };
    case 'overtalk': return { value: m.overtalkMs / 1000, unit: ' s', evidence: [...interruptions(m, 'agent').evidence, ...interruptions(m, 'customer').evidence] };
    case 'overtalkShare': return { value: m.horizonMs > 0 ? m.overtalkMs / m.horizonMs : null, unit: '', evidence: [], missing: 'empty call' };
    case 'talkToListenRatio': return { value: m.talkToListenRatio, unit: '', evidence: [], missing: 'the customer did not talk' };
    case 'agentTalkShare': return { value: m.speakers.agent.talkShare, unit: '', evidence: [], missing: 'nobody talked' };
    case 'agentInterruptions': return interruptions(m, 'agent');
    case 'customerInterruptions': return interruptions(m, 'customer');
    case 'agentWordsPerMinute': return rate(m, 'agent');
    case 'customerWordsPerMinute': return rate(m, 'customer');
  }
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2));

/** `min ≤ metric ≤ max` on the call's conversation metrics. */
export function evaluateMetric(rule: MetricRule, ctx: RuleContext): RuleResult {
  const metrics = ctx.call.input.metrics;
  if (!metrics) return unknown('no conversation metrics', ctx);
  const r = readMetric(rule.metric, metrics);
  if (r.value === null) return unknown(`${rule.metric} undefined: ${r.missing ?? 'no data'}`, ctx);
  const low = rule.min !== undefined && r.value < rule.min;
  const high = rule.max !== undefined && r.value > rule.max;
  const bound = [rule.min !== undefined && `≥ ${rule.min}`, rule.max !== undefined && `≤ ${rule.max}`].filter(Boolean).join(' and ');
  const detail = `${rule.metric} ${fmt(r.value)}${r.unit} (expected ${bound})`;
  const settled = ctx.final || (high && MONOTONE.has(rule.metric));
  return result(low || high ? 'fail' : 'pass', 1, detail, settled, r.evidence);
}
