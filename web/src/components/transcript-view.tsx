import { createEffect, createMemo, createSelector, createSignal, For, Show } from 'solid-js';
import { formatDuration, t } from '../i18n';
import { activeAt } from '../lib/timeline';
import type { Segment } from '../lib/types';

/**
 * The transcript in call order, synced to playback: the segment and word being played are highlighted and kept in
 * view ("follow playback"); clicking a word plays from it, each segment's time button does so by keyboard.
 */
export function TranscriptView(props: { segments: readonly Segment[]; timeMs: number; onSeek: (ms: number) => void }) {
  let list!: HTMLOListElement;
  const [follow, setFollow] = createSignal(true);
  const sorted = createMemo(() => [...props.segments].sort((a, b) => a.startMs - b.startMs));
  const activeSeg = createMemo(() => activeAt(sorted(), props.timeMs));
  const activeWord = createMemo(() => {
    const i = activeSeg();
    if (i < 0) return '';
    const w = activeAt(sorted()[i].words, props.timeMs, 2);
    return w < 0 ? '' : `${i}:${w}`;
  });
  const isSegActive = createSelector(activeSeg);
  const isWordActive = createSelector(activeWord);

  createEffect(() => {
    const i = activeSeg();
    if (i < 0 || !follow()) return;
    const el = list.children[i] as HTMLElement | undefined;
    if (!el) return;
    // Scroll the transcript box only (never the page): keep the segment in the upper part of the box.
    const top = el.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top + el.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 3), behavior: 'smooth' });
    }
  });

  const onClick = (e: MouseEvent) => {
    const word = (e.target as HTMLElement).closest<HTMLElement>('[data-start]');
    if (word) props.onSeek(Number(word.dataset.start));
  };

  return (
    <section class="transcript card" aria-labelledby="transcript-title">
      <div class="section-head">
        <h2 id="transcript-title">{t('transcript.title')}</h2>
        <label class="check">
          <input type="checkbox" checked={follow()} onChange={(e) => setFollow(e.currentTarget.checked)} />
          <span>{t('transcript.follow')}</span>
        </label>
      </div>
      <p class="hint">{t('transcript.wordHint')}</p>
      <Show when={sorted().length > 0} fallback={<p class="muted">{t('transcript.empty')}</p>}>
        <ol class="segments" ref={list} onClick={onClick} data-testid="transcript">
          <For each={sorted()}>
            {(seg, i) => (
              <li class={`segment speaker-${seg.speaker}`} classList={{ active: isSegActive(i()) }} aria-current={isSegActive(i()) ? 'true' : undefined} lang={seg.language.split('-')[0]}>
                <div class="seg-head">
                  <span class="speaker">{t(`speaker.${seg.speaker}`)}</span>
                  <button type="button" class="linkish num" onClick={(e) => { e.stopPropagation(); props.onSeek(seg.startMs); }} aria-label={t('transcript.seek', { time: formatDuration(seg.startMs) })}>
                    {formatDuration(seg.startMs)}
                  </button>
                </div>
                <p class="seg-text">
                  <Show when={seg.words.length > 0} fallback={<span data-start={seg.startMs}>{seg.text}</span>}>
                    <For each={seg.words}>
                      {(w, j) => <><span class="word" classList={{ current: isWordActive(`${i()}:${j()}`) }} data-start={w.startMs}>{w.text}</span>{' '}</>}
                    </For>
                  </Show>
                </p>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
