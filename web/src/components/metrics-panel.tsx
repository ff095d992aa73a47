import { Show } from 'solid-js';
import { formatNumber, formatPercent, formatSeconds, t } from '../i18n';
import type { ConversationMetrics } from '../lib/types';

/** Talk share, talk-to-listen, non-talk, overtalk, interruptions, speaking rate and long pauses (docs/metrics.md). */
export function MetricsPanel(props: { metrics: ConversationMetrics | null }) {
  return (
    <section class="card metrics" aria-labelledby="metrics-title" data-testid="metrics">
      <h2 id="metrics-title">{t('metrics.title')}</h2>
      <Show when={props.metrics} fallback={<p class="muted">{t('metrics.none')}</p>}>
        {(m) => {
          const share = (v: number | null) => (v === null ? t('common.none') : formatPercent(v));
          const wpm = (v: number | null) => (v === null ? t('common.none') : t('metrics.wpm', { n: Math.round(v) }));
          const a = () => m().speakers.agent;
          const c = () => m().speakers.customer;
          return (
            <dl class="metric-list">
              <div>
                <dt>{t('metrics.talkShare')}</dt>
                <dd>
                  <div class="share-bar" aria-hidden="true">
                    <span class="agent" style={{ 'inline-size': `${(a().talkShare ?? 0) * 100}%` }} />
                    <span class="customer" style={{ 'inline-size': `${(c().talkShare ?? 0) * 100}%` }} />
                  </div>
                  <span class="key agent">{t('speaker.agent')} {share(a().talkShare)}</span>{' '}
                  <span class="key customer">{t('speaker.customer')} {share(c().talkShare)}</span>
                </dd>
              </div>
              <div>
                <dt>{t('metrics.talkTime')}</dt>
                <dd>{t('speaker.agent')} {formatSeconds(a().talkMs)} · {t('speaker.customer')} {formatSeconds(c().talkMs)}</dd>
              </div>
              <div>
                <dt>{t('metrics.talkToListen')}</dt>
                <dd>{m().talkToListenRatio === null ? t('common.none') : formatNumber(m().talkToListenRatio ?? 0, { maximumFractionDigits: 2 })}</dd>
              </div>
              <div>
                <dt>{t('metrics.nonTalk')}</dt>
                <dd>{t('metrics.nonTalkDetail', { total: formatSeconds(m().nonTalk.totalMs), count: m().nonTalk.count })}</dd>
              </div>
              <div>
                <dt>{t('metrics.overtalk')}</dt>
                <dd>{formatSeconds(m().overtalkMs)}</dd>
              </div>
              <div>
                <dt>{t('metrics.interruptions')}</dt>
                <dd>{t('metrics.interruptionsDetail', { agent: a().interruptionsMade, customer: c().interruptionsMade })}</dd>
              </div>
              <div>
                <dt>{t('metrics.speakingRate')}</dt>
                <dd>{t('speaker.agent')} {wpm(a().wordsPerMinute)} · {t('speaker.customer')} {wpm(c().wordsPerMinute)}</dd>
              </div>
              <div>
                <dt>{t('metrics.longPauses')}</dt>
                <dd>{formatNumber(m().longPauses.length)}</dd>
              </div>
            </dl>
          );
        }}
      </Show>
    </section>
  );
}
