import { truncate, type Logger } from '../../core/index.js';
import { createAlertRepo, type AlertRule, type AlertRuleKind, type Queryable } from '../../store/index.js';
import { createPhraseMatcher } from './phrase-match.js';
import { parseRuleParams, type RuleParams } from './rule-params.js';
import type { AlertCallContext, AlertCandidate, AlertSource, AlertWatcher, CallEvent } from './types.js';

type Raise = (message: string, evidence: AlertCandidate['evidence']) => void;
type Evaluator = (event: CallEvent) => void;

/** m:ss of a call-time offset. */
export function callTime(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function negativeSentiment(p: RuleParams<'negative-sentiment'>, raise: Raise): Evaluator {
  let run = 0;
  const recent: number[] = [];
  return (e) => {
    if (e.type !== 'sentiment.scored' || e.speaker !== p.speaker) return;
    const { score } = e.sentiment;
    run = score < p.below ? run + 1 : 0;
    recent.push(score);
    if (recent.length > p.window) recent.shift();
    const evidence = { utteranceId: e.utteranceId, speaker: e.speaker, startMs: e.startMs, endMs: e.endMs };
    if (run >= p.consecutive) {
      raise(`${run} ${p.speaker} utterances in a row scored below ${p.below} (last ${round2(score)}, at ${callTime(e.startMs)})`,
        { ...evidence, value: round2(score), threshold: p.below, consecutive: run });
      return;
    }
    if (p.meanBelow !== undefined && recent.length === p.window) {
      const mean = recent.reduce((a, b) => a + b, 0) / recent.length;
      if (mean < p.meanBelow) {
        raise(`mean ${p.speaker} sentiment ${round2(mean)} over the last ${p.window} utterances (below ${p.meanBelow})`,
          { ...evidence, value: round2(mean), threshold: p.meanBelow, window: p.window });
      }
    }
  };
}

function phrase(p: RuleParams<'prohibited-phrase'>, raise: Raise): Evaluator {
  const find = createPhraseMatcher(p.phrases);
  return (e) => {
    if (e.type !== 'transcript.final' || e.segment.speaker !== p.speaker) return;
    const hit = find(e.segment.text);
    if (!hit) return;
    const { utteranceId, speaker, startMs, endMs, text } = e.segment;
    raise(`${speaker} said “${truncate(text, 160)}” at ${callTime(startMs)}`, {
      utteranceId, speaker, startMs, endMs, text: truncate(text, 500), phrase: hit.phrase,
    });
  };
}

function longHold(p: RuleParams<'long-hold'>, raise: Raise): Evaluator {
  return (e) => {
    if (e.type !== 'metrics.updated') return;
    const longest = e.metrics.nonTalk.longest;
    if (!longest || longest.durationMs < p.minMs) return;
    raise(`nobody spoke for ${Math.round(longest.durationMs / 1000)} s from ${callTime(longest.startMs)}`, {
      startMs: longest.startMs, endMs: longest.endMs, value: longest.durationMs, threshold: p.minMs,
    });
  };
}

function agitation(p: RuleParams<'agitation'>, raise: Raise): Evaluator {
  return (e) => {
    if (e.type !== 'metrics.updated') return;
    const episode = e.metrics.speakers[p.speaker].agitation.episodes
      .find((x) => x.durationMs >= p.minEpisodeMs && x.peakScore >= p.minScore);
    if (!episode) return;
    raise(`${p.speaker} agitated for ${Math.round(episode.durationMs / 1000)} s from ${callTime(episode.startMs)} (peak ${round2(episode.peakScore)})`, {
      speaker: p.speaker, startMs: episode.startMs, endMs: episode.endMs, value: round2(episode.peakScore), threshold: p.minScore,
    });
  };
}

/** The evaluator of one rule on one call (timers through `call.at`), or undefined when it needs no events. */
function evaluatorFor(rule: AlertRule, call: AlertCallContext, raise: Raise): Evaluator | undefined {
  const kind: AlertRuleKind = rule.kind;
  switch (kind) {
    case 'negative-sentiment':
      return negativeSentiment(parseRuleParams(kind, rule.params), raise);
    case 'prohibited-phrase':
    case 'escalation-phrase':
      return phrase(parseRuleParams(kind, rule.params), raise);
    case 'long-hold':
      return longHold(parseRuleParams(kind, rule.params), raise);
    case 'agitation':
      return agitation(parseRuleParams(kind, rule.params), raise);
    case 'handle-time': {
      const { targetMs } = parseRuleParams(kind, rule.params);
      call.at(targetMs, () => raise(`the call is still going after ${callTime(targetMs)} (target handle time)`, { atMs: targetMs, threshold: targetMs }));
      return undefined;
    }
  }
}

/**
 * The configurable rules (table alert_rules, /api/admin/alert-rules) as an alert source. Each call is evaluated with
 * the rules enabled when it started (one small query per call): a change applies from the next call on, on every node.
 * A stored rule whose parameters no longer validate is logged and skipped.
 */
export function createRuleAlertSource(deps: { db: Queryable; log: Logger }): AlertSource {
  const repo = createAlertRepo(deps.db);
  return {
    name: 'rules',
    async watch(call): Promise<AlertWatcher | undefined> {
      const rules = await repo.listRules({ enabled: true });
      const evaluators: Evaluator[] = [];
      for (const rule of rules) {
        const raise: Raise = (message, evidence) => call.raise({
          key: rule.id, ruleId: rule.id, kind: rule.kind, severity: rule.severity, cooldownMs: rule.cooldownMs,
          message: `${rule.name}: ${message}`, evidence,
        });
        try {
          const evaluate = evaluatorFor(rule, call, raise);
          if (evaluate) evaluators.push(evaluate);
        } catch (err) {
          deps.log.warn({ err, ruleId: rule.id, rule: rule.name }, 'alert rule skipped: its stored parameters are invalid');
        }
      }
      if (evaluators.length === 0) return undefined;
      return {
        onEvent(event) {
          for (const evaluate of evaluators) evaluate(event);
        },
      };
    },
  };
}
