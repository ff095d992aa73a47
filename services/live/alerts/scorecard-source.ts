import type { Logger } from '../../core/index.js';
import {
  appliesTo, decidableAt, evaluatePartial, prepareCall, type CallInfo, type Question, type Scorecard, type SegmentInput,
} from '../../scoring/index.js';
import type { ConversationMetrics } from '../../speech/index.js';
import { createScorecardRepo, type Queryable, type ScorecardVersion } from '../../store/index.js';
import { callTime } from './rule-source.js';
import type { AlertCallContext, AlertSource, AlertWatcher } from './types.js';

export interface ScorecardAlertSourceOptions {
  db: Queryable;
  log: Logger;
  /**
   * How far behind the call recognition may still be (ms, default 3000): a `first N s` question is decided once the
   * call is N s + lag in, so speech said just before N s is not reported missed while it is still being recognised.
   */
  recognitionLagMs?: number;
  /** How long the published scorecards are cached before they are read again (ms, default 60 000). */
  refreshMs?: number;
}

/** One card's questions watched on a call. */
interface WatchedCard {
  card: Scorecard;
  version: number;
  questions: Map<string, Question>;
}

/**
 * Live scorecard checks: the automatic questions of the published scorecards that apply to a live call are evaluated
 * as the call happens (`evaluatePartial`), and a question whose outcome is already settled as failed — a greeting not
 * said in the first 15 s, a required disclosure not said by minute 3, a prohibited phrase said — raises one alert
 * (kind `scorecard-check`; critical for a critical question, warning otherwise), so a supervisor can step in before
 * the call ends. Evaluated on every final transcript segment and metrics update, and on a timer when each question
 * becomes decidable. The transcript counts as final up to the call time minus the recognition lag (or, after the
 * last metrics update, to its end).
 */
export function createScorecardAlertSource(opts: ScorecardAlertSourceOptions): AlertSource {
  const { db, log } = opts;
  const lagMs = opts.recognitionLagMs ?? 3000;
  const refreshMs = opts.refreshMs ?? 60_000;
  const repo = createScorecardRepo(db);
  let cached: { at: number; versions: ScorecardVersion[] } | undefined;
  let loading: Promise<ScorecardVersion[]> | undefined;

  /** The active (most recently published) version of every scorecard, read at most every `refreshMs`. */
  function activeVersions(): Promise<ScorecardVersion[]> {
    if (cached && performance.now() - cached.at < refreshMs) return Promise.resolve(cached.versions);
    loading ??= repo.listActive().then((versions) => {
      cached = { at: performance.now(), versions };
      return versions;
    }, (err: unknown) => {
      if (!cached) throw err;
      log.warn({ err }, 'published scorecards could not be read; the cached ones stay in use');
      cached.at = performance.now();
      return cached.versions;
    }).finally(() => { loading = undefined; });
    return loading;
  }

  async function departmentOf(queue: string | undefined): Promise<string | null> {
    if (!queue) return null;
    const [row] = await db.query<{ department: string }>('select department from queues where name = $1', [queue]);
    return row?.department ?? null;
  }

  return {
    name: 'scorecards',
    async watch(call: AlertCallContext): Promise<AlertWatcher | undefined> {
      const meta = call.meta;
      if (!meta) return undefined;
      const [versions, department] = await Promise.all([activeVersions(), departmentOf(meta.queue)]);
      const info: CallInfo = {
        id: call.callId, direction: meta.direction ?? null, queue: meta.queue ?? null, department,
        language: meta.language ?? null, agentId: meta.agentExternalId ?? null,
      };
      const cards: WatchedCard[] = versions.filter((v) => appliesTo(v.definition, info)).map((v) => ({
        card: v.definition, version: v.version,
        questions: new Map(v.definition.sections.flatMap((s) => s.questions.filter((q) => q.auto).map((q) => [q.id, q] as const))),
      })).filter((c) => c.questions.size > 0);
      if (!cards.length) return undefined;
      return watchCall(call, info, cards);
    },
  };

  function watchCall(call: AlertCallContext, info: CallInfo, cards: WatchedCard[]): AlertWatcher {
    const segments: SegmentInput[] = [];
    let metrics: ConversationMetrics | null = null;
    /** How far the call's audio has been processed (ms of call time), from its events. */
    let processedMs = 0;
    /** Set by the last metrics update: the transcript is complete. */
    let complete = false;
    /** Questions (card id + question id) settled one way or the other: never evaluated for an alert again. */
    const settled = new Set<string>();

    const check = () => {
      const nowMs = complete ? processedMs : Math.max(0, Math.max(call.callTimeMs(), processedMs) - lagMs);
      const input = prepareCall({ call: info, segments: segments.length ? segments : null, metrics, sentiment: null });
      for (const { card, version, questions } of cards) {
        if ([...questions.keys()].every((id) => settled.has(`${card.id}:${id}`))) continue;
        for (const a of evaluatePartial(card, input, nowMs)) {
          const key = `${card.id}:${a.questionId}`;
          if (!a.settled || settled.has(key)) continue;
          settled.add(key);
          if (a.outcome !== 'fail') continue;
          const q = questions.get(a.questionId);
          if (!q) continue;
          const window = a.decidableAtMs !== null ? { windowEndMs: a.decidableAtMs } : {};
          call.raise({
            key, kind: 'scorecard-check', severity: q.critical ? 'critical' : 'warning', ruleId: null,
            message: `${card.name}: “${q.text}” missed${a.decidableAtMs !== null ? ` (by ${callTime(a.decidableAtMs)})` : ''}`,
            evidence: {
              scorecardId: card.id, scorecardVersion: version, questionId: q.id, ...window, nowMs: Math.round(nowMs), detail: a.detail,
              ...(a.evidence[0] ? { startMs: a.evidence[0].startMs, endMs: a.evidence[0].endMs } : {}),
              ...(a.evidence[0]?.text ? { text: a.evidence[0].text } : {}),
            },
          });
        }
      }
    };

    // A timer where each question becomes decidable (plus the recognition lag): decided even if nobody speaks.
    const times = new Set(cards.flatMap(({ card, questions }) => [...questions.values()]
      .map((q) => (q.auto ? decidableAt(q.auto, card.rules) : null)).filter((t): t is number => t !== null)));
    for (const t of times) call.at(t + lagMs, check);

    return {
      onEvent(e) {
        if (e.type === 'transcript.final') {
          const { utteranceId, speaker, text, startMs, endMs, words } = e.segment;
          segments.push({ utteranceId, speaker, text, startMs, endMs, words });
          processedMs = Math.max(processedMs, endMs);
        } else if (e.type === 'metrics.updated') {
          metrics = e.metrics;
          processedMs = Math.max(processedMs, e.metrics.horizonMs);
          complete = e.final;
        } else {
          return;
        }
        try {
          check();
        } catch (err) {
          log.error({ err, callId: call.callId }, 'live scorecard check failed');
        }
      },
    };
  }
}
