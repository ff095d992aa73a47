import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { formatDateTime, formatNumber, formatPercent, t } from '../i18n';
import type { PreviewOutcome, ScoreDistribution, ScorecardPreview } from '../lib/types';

function Histogram(props: { title: string; d: ScoreDistribution; testId: string }) {
  const max = () => Math.max(1, ...props.d.buckets.map((b) => b.count));
  return (
    <figure class="card histogram" data-testid={props.testId}>
      <figcaption><strong>{props.title}</strong></figcaption>
      <dl class="facts">
        <div><dt>{t('scorecards.preview.calls')}</dt><dd class="num">{formatNumber(props.d.calls)}</dd></div>
        <div><dt>{t('scorecards.preview.mean')}</dt><dd class="num" data-testid={`${props.testId}-mean`}>{props.d.mean === null ? '—' : formatNumber(props.d.mean, { maximumFractionDigits: 1 })}</dd></div>
        <div><dt>{t('scorecards.preview.passRate')}</dt><dd class="num" data-testid={`${props.testId}-pass-rate`}>{props.d.passRate === null ? '—' : formatPercent(props.d.passRate)}</dd></div>
      </dl>
      {/* Scores run left to right in both languages, like the other timelines. */}
      <ol class="bars" dir="ltr" aria-label={t('scorecards.preview.histogram')}>
        <For each={props.d.buckets}>
          {(b) => (
            <li title={t('scorecards.preview.bucket', { from: formatNumber(b.from), to: formatNumber(b.to), n: formatNumber(b.count) })}>
              <span class="bar" style={{ 'block-size': `${(100 * b.count) / max()}%` }} />
              <span class="visually-hidden">{t('scorecards.preview.bucket', { from: formatNumber(b.from), to: formatNumber(b.to), n: formatNumber(b.count) })}</span>
              <span class="bar-label num" aria-hidden="true">{formatNumber(b.from)}</span>
            </li>
          )}
        </For>
      </ol>
    </figure>
  );
}

const outcomeText = (o: PreviewOutcome | null) => {
  if (!o) return t('scorecards.preview.notApplied');
  const score = o.overall === null ? '—' : formatNumber(o.overall, { maximumFractionDigits: 1 });
  const verdict = o.passed === null ? '' : o.passed ? t('scorecards.preview.pass') : t('scorecards.preview.fail');
  return verdict ? `${score} (${verdict})` : score;
};

/** The draft's score distribution beside the published version's, and the calls whose result changes. */
export function PreviewResult(props: { preview: ScorecardPreview }) {
  return (
    <section class="preview" data-testid="scorecard-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{t('scorecards.preview.title', { n: formatNumber(props.preview.considered) })}</h2>
      <div class="histograms">
        <Show when={props.preview.published}>
          {(p) => <Histogram title={t('scorecards.preview.published', { n: formatNumber(p().version) })} d={p().distribution} testId="preview-published" />}
        </Show>
        <Histogram title={t('scorecards.preview.draft')} d={props.preview.draft.distribution} testId="preview-draft" />
      </div>
      <h3>{t('scorecards.preview.changes', { n: formatNumber(props.preview.changes.length) })}</h3>
      <Show when={props.preview.changes.length} fallback={<p class="muted">{t('scorecards.preview.noChanges')}</p>}>
        <table class="data" data-testid="preview-changes">
          <thead>
            <tr>
              <th scope="col">{t('scorecards.preview.col.call')}</th>
              <th scope="col">{t('scorecards.preview.col.agent')}</th>
              <th scope="col">{t('scorecards.preview.col.old')}</th>
              <th scope="col">{t('scorecards.preview.col.new')}</th>
            </tr>
          </thead>
          <tbody>
            <For each={props.preview.changes}>
              {(c) => (
                <tr data-call-id={c.callId}>
                  <td data-label={t('scorecards.preview.col.call')}><A href={`/calls/${c.callId}`}>{formatDateTime(c.startedAt)}</A></td>
                  <td data-label={t('scorecards.preview.col.agent')}>{c.agent ? c.agent.displayName || c.agent.externalId : '—'}</td>
                  <td data-label={t('scorecards.preview.col.old')} class="num">{outcomeText(c.old)}</td>
                  <td data-label={t('scorecards.preview.col.new')} class="num">{outcomeText(c.new)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </section>
  );
}
