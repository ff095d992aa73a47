import { createEffect, createMemo, createSignal, For, on, onCleanup, Show } from 'solid-js';
import { formatNumber, t } from '../i18n';
import { api, ApiError } from '../lib/api';
import { addQuestion, readDocument, sectionsOf, setField, type FormPath } from '../lib/scorecard-yaml';
import type { ScorecardIssue, ScorecardPreview, ScorecardVersion } from '../lib/types';
import { LoadError } from './load-error';
import { PreviewResult } from './preview-result';
import { ScorecardForm } from './scorecard-form';
import { selectLine, YamlTextarea } from './yaml-textarea';

type Check = { state: 'idle' | 'checking' | 'valid' } | { state: 'invalid'; issues: ScorecardIssue[]; message: string };

/**
 * The scorecard editor: the YAML (with line numbers) or a form for sections and questions — both edit the same
 * source —, validation as you type (debounced), preview against recent calls, save as a draft, publish the draft.
 */
export function ScorecardEditor(props: {
  scorecardId: string;
  base: ScorecardVersion;
  /** The newest version when it is a draft (what Publish publishes). */
  draft: number | null;
  canEdit: boolean;
  onSaved: (v: ScorecardVersion) => void;
}) {
  const [source, setSource] = createSignal(props.base.source);
  const [mode, setMode] = createSignal<'yaml' | 'form'>('yaml');
  const [check, setCheck] = createSignal<Check>({ state: 'idle' });
  const [preview, setPreview] = createSignal<ScorecardPreview>();
  const [last, setLast] = createSignal(50);
  const [busy, setBusy] = createSignal<'preview' | 'save' | 'publish'>();
  const [error, setError] = createSignal<unknown>();
  const [notice, setNotice] = createSignal<string>();
  /** The draft saved here (until published): what Publish publishes, else the card's newest draft. */
  const [saved, setSaved] = createSignal<number | null>(null);
  const draft = () => saved() ?? props.draft;
  let textarea: HTMLTextAreaElement | undefined;

  createEffect(on(() => props.base, (b) => { setSource(b.source); setPreview(undefined); }, { defer: true }));
  const dirty = () => source() !== props.base.source;
  const parsed = createMemo(() => readDocument(source()));
  const sections = createMemo(() => { const p = parsed(); return p.doc ? sectionsOf(p.doc) : []; });

  // Validation as you type: 400 ms after the last change, by the server (the same checks as saving).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | undefined;
  createEffect(on(source, (text) => {
    if (!props.canEdit) return;
    clearTimeout(timer);
    setCheck({ state: 'checking' });
    timer = setTimeout(() => {
      inflight?.abort();
      const ctrl = new AbortController();
      inflight = ctrl;
      api.scorecards.validate(props.scorecardId, text, ctrl.signal).then(
        () => { if (!ctrl.signal.aborted) setCheck({ state: 'valid' }); },
        (err: unknown) => {
          if (ctrl.signal.aborted) return;
          if (err instanceof ApiError && err.status === 400) {
            setCheck({ state: 'invalid', message: err.message, issues: err.issues.length ? err.issues : [{ file: '', line: 0, column: 0, field: '', message: err.message }] });
          } else setCheck({ state: 'idle' });
        },
      );
    }, 400);
  }));
  onCleanup(() => { clearTimeout(timer); inflight?.abort(); });

  const issues = () => { const c = check(); return c.state === 'invalid' ? c.issues : []; };
  const errorLines = createMemo(() => new Set(issues().map((i) => i.line).filter((l) => l > 0)));

  const showIssue = (i: ScorecardIssue) => {
    if (i.line <= 0) return;
    setMode('yaml');
    queueMicrotask(() => { if (textarea) selectLine(textarea, i.line); });
  };

  const run = async (kind: 'preview' | 'save' | 'publish', fn: () => Promise<void>) => {
    setBusy(kind);
    setError(undefined);
    setNotice(undefined);
    try {
      await fn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.issues.length) setCheck({ state: 'invalid', message: err.message, issues: err.issues });
      else setError(err);
    } finally {
      setBusy(undefined);
    }
  };

  const doPreview = () => run('preview', async () => { setPreview(await api.scorecards.preview(props.scorecardId, { source: source(), last: last() })); });
  const save = () => run('save', async () => {
    const v = await api.scorecards.saveDraft(props.scorecardId, source());
    setNotice(t('scorecards.saved', { n: formatNumber(v.version) }));
    setSaved(v.version);
    props.onSaved(v);
  });
  const publish = (n: number) => run('publish', async () => {
    if (!confirm(t('scorecards.confirmPublish', { n: formatNumber(n) }))) return;
    const v = await api.scorecards.publish(props.scorecardId, n);
    setNotice(t('scorecards.published', { n: formatNumber(v.version) }));
    setSaved(null);
    props.onSaved(v);
  });

  const onFormChange = (path: FormPath, value: string | number | boolean | undefined) => setSource((s) => setField(s, path, value));

  return (
    <section class="sc-editor" aria-labelledby="editor-title" data-testid="scorecard-editor">
      <div class="sc-editor-head">
        <h2 id="editor-title">{t('scorecards.editor', { n: formatNumber(props.base.version) })}</h2>
        <div class="tabs" role="tablist" aria-label={t('scorecards.view')}>
          <button type="button" role="tab" aria-selected={mode() === 'yaml'} classList={{ active: mode() === 'yaml' }} onClick={() => setMode('yaml')}>{t('scorecards.view.yaml')}</button>
          <button type="button" role="tab" aria-selected={mode() === 'form'} classList={{ active: mode() === 'form' }} onClick={() => setMode('form')}>{t('scorecards.view.form')}</button>
        </div>
      </div>

      <div class="validation" role="status" aria-live="polite" id="sc-validation" data-testid="scorecard-validation" data-state={check().state}>
        <Show when={check().state === 'checking'}><span class="muted">{t('scorecards.checking')}</span></Show>
        <Show when={check().state === 'valid'}><span class="badge on">{t('scorecards.valid')}</span></Show>
        <Show when={check().state === 'invalid'}>
          <p><strong>{t('scorecards.invalid', { n: formatNumber(issues().length) })}</strong></p>
          <ul class="issues" data-testid="scorecard-issues">
            <For each={issues()}>
              {(i) => (
                <li data-line={i.line} data-field={i.field}>
                  <Show when={i.line > 0} fallback={<span>{i.message}</span>}>
                    <button type="button" class="linkish" onClick={() => showIssue(i)}>{t('scorecards.issueAt', { line: formatNumber(i.line), column: formatNumber(i.column) })}</button>
                    {' '}<code dir="ltr">{i.field}</code>{' '}<span>{i.message}</span>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>

      <Show when={mode() === 'yaml'}>
        <YamlTextarea id="sc-yaml" label={t('scorecards.yamlLabel')} value={source()} onInput={setSource} errorLines={errorLines()}
          describedBy="sc-validation" ref={(el) => { textarea = el; el.readOnly = !props.canEdit; }} />
      </Show>
      <Show when={mode() === 'form'}>
        <Show when={parsed().doc} fallback={<p class="notice error">{t('scorecards.formUnavailable', { message: parsed().error ?? '' })}</p>}>
          <ScorecardForm sections={sections()} readOnly={!props.canEdit} onChange={onFormChange}
            onAddQuestion={(si) => setSource((s) => addQuestion(s, si, t('scorecards.form.newQuestion')))} />
        </Show>
      </Show>

      <Show when={props.canEdit}>
        <div class="actions sc-actions">
          <label class="field"><span>{t('scorecards.preview.last')}</span>
            <input type="number" min="1" max="1000" value={last()} onChange={(e) => setLast(Math.max(1, Math.min(1000, Number(e.currentTarget.value) || 50)))} />
          </label>
          <button type="button" onClick={() => void doPreview()} disabled={!!busy() || check().state === 'invalid'}>
            {busy() === 'preview' ? t('scorecards.previewing') : t('scorecards.preview')}
          </button>
          <button type="button" class="primary" onClick={() => void save()} disabled={!!busy() || !dirty() || check().state === 'invalid'}>{t('scorecards.saveDraft')}</button>
          <Show when={draft()}>
            {(n) => (
              <button type="button" onClick={() => void publish(n())} disabled={!!busy() || dirty()}>{t('scorecards.publish', { n: formatNumber(n()) })}</button>
            )}
          </Show>
          <Show when={draft() && dirty()}><span class="hint">{t('scorecards.saveFirst')}</span></Show>
        </div>
      </Show>
      <Show when={notice()}>{(n) => <p class="notice ok" role="status" data-testid="scorecard-notice">{n()}</p>}</Show>
      <Show when={error()}>{(err) => <LoadError error={err()} />}</Show>
      <Show when={preview()}>{(p) => <PreviewResult preview={p()} />}</Show>
    </section>
  );
}
