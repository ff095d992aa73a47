import { For, Index, Show } from 'solid-js';
import { t } from '../i18n';
import { QUESTION_TYPES, type FormPath, type SectionForm } from '../lib/scorecard-yaml';

/**
 * The form view of a scorecard: section titles and weights, and per question its text, type, weight, critical, N/A and
 * guidance. Every change is written into the YAML (`onChange(path, value)`; `undefined` removes the field).
 */
export function ScorecardForm(props: {
  sections: SectionForm[];
  readOnly: boolean;
  onChange: (path: FormPath, value: string | number | boolean | undefined) => void;
  onAddQuestion: (sectionIndex: number) => void;
}) {
  const numberOrUndefined = (v: string) => (v.trim() === '' || Number.isNaN(Number(v)) ? undefined : Number(v));
  return (
    <div class="scorecard-form" data-testid="scorecard-form">
      <Index each={props.sections}>
        {(s, si) => (
          <fieldset class="card sc-section" data-section={s().id}>
            <legend>{t('scorecards.form.section', { id: s().id })}</legend>
            <div class="form-grid">
              <label class="field grow"><span>{t('scorecards.form.sectionTitle')}</span>
                <input value={s().title} disabled={props.readOnly} onChange={(e) => props.onChange(['sections', si, 'title'], e.currentTarget.value)} />
              </label>
              <label class="field"><span>{t('scorecards.form.sectionWeight')}</span>
                <input type="number" min="0" max="100" step="any" value={s().weight ?? ''} disabled={props.readOnly}
                  onChange={(e) => props.onChange(['sections', si, 'weight'], numberOrUndefined(e.currentTarget.value))} />
              </label>
            </div>
            <Index each={s().questions}>
              {(q, qi) => {
                const base = (): FormPath => ['sections', si, 'questions', qi];
                const key = () => `q-${si}-${qi}`;
                return (
                  <div class="sc-question" data-question={q().id}>
                    <h3 class="small">{q().id} <Show when={q().automatic}><span class="badge">{t('scorecards.form.automatic')}</span></Show></h3>
                    <div class="form-grid">
                      <label class="field grow"><span>{t('scorecards.form.text')}</span>
                        <input value={q().text} disabled={props.readOnly} onChange={(e) => props.onChange([...base(), 'text'], e.currentTarget.value)} />
                      </label>
                      <label class="field"><span>{t('scorecards.form.type')}</span>
                        <select value={q().type} disabled={props.readOnly} onChange={(e) => props.onChange([...base(), 'type'], e.currentTarget.value)}>
                          <For each={QUESTION_TYPES}>{(ty) => <option value={ty}>{t(`scorecards.type.${ty}`)}</option>}</For>
                        </select>
                      </label>
                      <label class="field"><span>{t('scorecards.form.weight')}</span>
                        <input type="number" min="0" step="any" value={q().weight ?? ''} disabled={props.readOnly} data-field="weight"
                          onChange={(e) => props.onChange([...base(), 'weight'], numberOrUndefined(e.currentTarget.value))} />
                      </label>
                      <label class="check"><input type="checkbox" checked={q().critical} disabled={props.readOnly}
                        onChange={(e) => props.onChange([...base(), 'critical'], e.currentTarget.checked ? true : undefined)} /><span>{t('scorecards.form.critical')}</span></label>
                      <label class="check"><input type="checkbox" checked={q().na} disabled={props.readOnly}
                        onChange={(e) => props.onChange([...base(), 'na'], e.currentTarget.checked ? true : undefined)} /><span>{t('scorecards.form.na')}</span></label>
                      <label class="field grow" for={`${key()}-guidance`}><span>{t('scorecards.form.guidance')}</span>
                        <textarea id={`${key()}-guidance`} rows="2" value={q().guidance} disabled={props.readOnly}
                          onChange={(e) => props.onChange([...base(), 'guidance'], e.currentTarget.value.trim() ? e.currentTarget.value : undefined)} />
                      </label>
                    </div>
                  </div>
                );
              }}
            </Index>
            <Show when={!props.readOnly}>
              <button type="button" onClick={() => props.onAddQuestion(si)}>{t('scorecards.form.addQuestion')}</button>
            </Show>
          </fieldset>
        )}
      </Index>
    </div>
  );
}
