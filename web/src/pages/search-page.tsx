import { A, useSearchParams } from '@solidjs/router';
import { createResource, For, Show, Suspense } from 'solid-js';
import { LoadError } from '../components/load-error';
import { Pager } from '../components/pager';
import { SnippetText } from '../components/snippet-text';
import { DateField } from '../components/date-field';
import { formatDateTime, formatDuration, t } from '../i18n';
import { api } from '../lib/api';
import { dayEnd, dayStart } from '../lib/dates';
import { usePageTitle } from '../lib/page-title';
import { CHANNELS, type Channel, type SearchQuery } from '../lib/types';

const LIMIT = 20;
type Params = { q?: string; speaker?: string; from?: string; to?: string; offset?: string };

/** Full-text search over the transcripts the user may see; each hit opens the call at the matching moment. */
export default function SearchPage() {
  usePageTitle(() => t('search.title'));
  const [params, setParams] = useSearchParams<Params>();
  const query = (): SearchQuery | undefined => {
    const q = params.q?.trim();
    if (!q) return undefined;
    return {
      q,
      speaker: CHANNELS.includes(params.speaker as Channel) ? (params.speaker as Channel) : undefined,
      from: dayStart(params.from),
      to: dayEnd(params.to),
      limit: LIMIT,
      offset: Math.max(0, Number(params.offset) || 0),
    };
  };
  const [hits, { refetch }] = createResource(query, (q) => api.search(q));

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const get = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    setParams({ q: get('q'), speaker: get('speaker'), from: get('from'), to: get('to'), offset: undefined });
  };

  return (
    <section class="page" data-testid="search-page">
      <h1>{t('search.title')}</h1>
      <form class="filters search-form" role="search" onSubmit={submit}>
        <label class="field grow">
          <span>{t('search.query')}</span>
          <input name="q" type="search" value={params.q ?? ''} aria-describedby="search-hint" maxlength="200" />
        </label>
        <label class="field">
          <span>{t('search.speaker')}</span>
          <select name="speaker" value={params.speaker ?? ''}>
            <option value="">{t('common.any')}</option>
            <For each={CHANNELS}>{(c) => <option value={c}>{t(`speaker.${c}`)}</option>}</For>
          </select>
        </label>
        <DateField name="from" label={t('common.from')} value={params.from} />
        <DateField name="to" label={t('common.to')} value={params.to} />
        <div class="actions"><button type="submit" class="primary">{t('search.submit')}</button></div>
        <p id="search-hint" class="hint">{t('search.hint')}</p>
      </form>

      <Show when={query()} fallback={<p class="muted">{t('search.prompt')}</p>}>
        <Show when={hits.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
        <Suspense fallback={<p class="muted">{t('app.loading')}</p>}>
          <Show when={hits.error ? undefined : hits()}>
            {(p) => (
              <>
                <Show when={p().items.length > 0} fallback={<p class="muted" data-testid="search-empty">{t('search.empty', { q: params.q ?? '' })}</p>}>
                  <ol class="hits" data-testid="search-hits">
                    <For each={p().items}>
                      {(h) => (
                        <li class={`hit speaker-${h.speaker}`}>
                          <A href={`/calls/${h.callId}?t=${h.startMs}`} class="hit-link">
                            <SnippetText snippet={h.snippet} />
                          </A>
                          <p class="hit-meta muted">
                            <span>{t('search.hitAt', { speaker: t(`speaker.${h.speaker}`), time: formatDuration(h.startMs) })}</span>
                            <span>{formatDateTime(h.call.startedAt)}</span>
                            <Show when={h.call.agent}>{(a) => <span>{a().displayName}</span>}</Show>
                            <Show when={h.call.queue}>{(q) => <span>{q()}</span>}</Show>
                          </p>
                        </li>
                      )}
                    </For>
                  </ol>
                </Show>
                <Pager total={p().total} limit={p().limit} offset={p().offset} onChange={(offset) => setParams({ offset: offset ? String(offset) : undefined })} />
              </>
            )}
          </Show>
        </Suspense>
      </Show>
    </section>
  );
}
