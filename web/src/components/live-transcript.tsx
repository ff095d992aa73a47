import { createEffect, createMemo, For, on, Show } from 'solid-js';
import { formatDuration, t } from '../i18n';
import type { LiveSegment } from '../lib/live-types';

/**
 * The rolling transcript of a live call: segments in call order, speaker colours, partials (in italics) replaced
 * in place by later partials and the final with the same utteranceId. Stays at the newest line unless the user
 * has scrolled up to read.
 */
export function LiveTranscript(props: { segments: readonly LiveSegment[] }) {
  let box!: HTMLOListElement;
  let pinned = true;
  const sorted = createMemo(() => [...props.segments].sort((a, b) => a.startMs - b.startMs || a.utteranceId.localeCompare(b.utteranceId)));
  createEffect(on(() => sorted().map((s) => s.text).join('\n'), () => {
    if (pinned && box) box.scrollTop = box.scrollHeight;
  }));
  return (
    <section class="card transcript live-transcript" aria-labelledby="live-transcript-title">
      <h2 id="live-transcript-title">{t('live.transcript')}</h2>
      <Show when={sorted().length > 0} fallback={<p class="muted" data-testid="live-transcript-empty">{t('live.transcriptEmpty')}</p>}>
        <ol
          class="segments" role="log" ref={box} data-testid="live-transcript" tabindex="0" aria-labelledby="live-transcript-title"
          onScroll={() => { pinned = box.scrollTop + box.clientHeight >= box.scrollHeight - 24; }}
        >
          <For each={sorted()}>
            {(seg) => (
              <li class={`segment speaker-${seg.speaker}`} classList={{ partial: !seg.final }} data-final={seg.final ? 'true' : 'false'} data-utterance={seg.utteranceId}>
                <div class="seg-head">
                  <span class="speaker">{t(`speaker.${seg.speaker}`)}</span>
                  <span class="num muted">{formatDuration(seg.startMs)}</span>
                </div>
                <p class="seg-text">
                  {seg.text}
                  <Show when={!seg.final}><span class="visually-hidden"> {t('live.partial')}</span></Show>
                </p>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
