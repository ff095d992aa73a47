import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { formatDateTime, formatDuration, t } from '../i18n';
import { api } from '../lib/api';
import { user } from '../lib/session';
import type { CallNote } from '../lib/types';
import { LoadError } from './load-error';

/**
 * The coaching notes of a call in call-time order, and (for `canWrite`) a box that saves a note at the call time
 * when its writer started typing (`timeMs` then: the live call's elapsed time, or the review player's position).
 * With `onSeek` each note's time plays the recording from there.
 */
export function CallNotes(props: {
  callId: string; timeMs: number; canWrite: boolean; onSeek?: (ms: number) => void;
  /** Bumped when the call's notes changed elsewhere (live events): the list reloads. */
  changes?: number;
}) {
  const [notes, { refetch, mutate }] = createResource(() => props.callId, (id) => api.notes(id));
  createEffect(on(() => props.changes, () => void refetch(), { defer: true }));
  const [text, setText] = createSignal('');
  const [stampMs, setStampMs] = createSignal<number>();
  const [saved, setSaved] = createSignal<string>();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const atMs = () => Math.max(0, Math.round(stampMs() ?? props.timeMs));

  const onInput = (value: string) => {
    if (!value.trim()) setStampMs(undefined);
    else if (stampMs() === undefined) setStampMs(props.timeMs);
    setText(value);
  };

  const save = async (e?: SubmitEvent) => {
    e?.preventDefault();
    if (busy() || !text().trim()) return;
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const note = await api.addNote(props.callId, { atMs: atMs(), text: text() });
      setText('');
      setStampMs(undefined);
      setSaved(t('notes.saved', { time: formatDuration(note.atMs) }));
      await refetch();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const remove = async (note: CallNote) => {
    if (!confirm(t('notes.confirmDelete', { time: formatDuration(note.atMs) }))) return;
    setError(undefined);
    try {
      await api.deleteNote(props.callId, note.id);
      mutate((list) => list && { ...list, items: list.items.filter((n) => n.id !== note.id) });
    } catch (err) {
      setError(err);
    }
  };

  return (
    <section class="notes card" aria-labelledby="notes-title" data-testid="call-notes">
      <h2 id="notes-title">{t('notes.title')}</h2>
      <Show when={props.canWrite}>
        <form class="note-form" onSubmit={(e) => void save(e)}>
          <label class="field" for="note-text"><span>{t('notes.label')}</span></label>
          <textarea id="note-text" data-testid="note-text" maxlength="2000" rows="3" value={text()} aria-describedby="note-hint"
            onInput={(e) => onInput(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void save(); } }} />
          <p id="note-hint" class="hint">{t('notes.hint')}</p>
          <div class="note-actions">
            <button type="submit" class="primary" data-testid="note-save" disabled={busy() || !text().trim()}>{t('notes.save')}</button>
            <span class="num" data-testid="note-at">{t('notes.at', { time: formatDuration(atMs()) })}</span>
          </div>
          <Show when={saved()}>{(m) => <p class="notice ok small" role="status">{m()}</p>}</Show>
        </form>
      </Show>
      <Show when={error()}>{(err) => <LoadError error={err()} />}</Show>
      <Show when={notes.error}>{(err) => <LoadError error={err()} retry={() => void refetch()} />}</Show>
      <Show when={notes.error ? undefined : notes()}>
        {(list) => (
          <Show when={list().items.length > 0} fallback={<p class="muted" data-testid="notes-empty">{t('notes.empty')}</p>}>
            <ol class="note-list" data-testid="note-list">
              <For each={list().items}>
                {(note) => (
                  <li class="note" data-note-id={note.id} data-at-ms={note.atMs}>
                    <div class="note-head">
                      <Show when={props.onSeek} fallback={<span class="num">{formatDuration(note.atMs)}</span>}>
                        {(seek) => (
                          <button type="button" class="linkish num" data-testid="note-seek" onClick={() => seek()(note.atMs)}
                            aria-label={t('notes.seek', { time: formatDuration(note.atMs) })}>
                            {formatDuration(note.atMs)}
                          </button>
                        )}
                      </Show>
                      <strong>{note.author?.displayName ?? t('notes.unknownAuthor')}</strong>
                      <span class="muted">{formatDateTime(note.createdAt)}</span>
                      <Show when={props.canWrite && note.author?.id === user()?.id}>
                        <button type="button" class="linkish" onClick={() => void remove(note)} aria-label={t('notes.deleteAt', { time: formatDuration(note.atMs) })}>
                          {t('common.delete')}
                        </button>
                      </Show>
                    </div>
                    <p class="note-text" data-testid="note-body">{note.text}</p>
                  </li>
                )}
              </For>
            </ol>
          </Show>
        )}
      </Show>
    </section>
  );
}
