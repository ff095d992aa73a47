import { createSignal, For, Match, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n';
import { RULE_FIELDS, fieldText, paramsFromForm, type ParamField } from '../lib/alert-rule-params';
import { api } from '../lib/api';
import { ALERT_RULE_KINDS, ALERT_SEVERITIES, CHANNELS, type AlertRule, type AlertRuleKind, type AlertSeverity } from '../lib/types';

function ParamInput(props: { field: ParamField; params: Record<string, unknown> | undefined }) {
  const name = () => `param-${props.field.key}`;
  const label = () => t(`alertRules.param.${props.field.key}`);
  return (
    <Switch>
      <Match when={props.field.type === 'speaker'}>
        <label class="field">
          <span>{label()}</span>
          <select name={name()}>
            <For each={CHANNELS}>{(c) => <option value={c} selected={c === fieldText(props.field, props.params)}>{t(`speaker.${c}`)}</option>}</For>
          </select>
        </label>
      </Match>
      <Match when={props.field.type === 'phrases'}>
        <label class="field grow"><span>{label()}</span><textarea name={name()} rows="5" value={fieldText(props.field, props.params)} /></label>
      </Match>
      <Match when={props.field.type === 'number' ? props.field : undefined}>
        {(f) => <label class="field"><span>{label()}</span><input name={name()} type="number" step={f().step} dir="ltr" value={fieldText(f(), props.params)} /></label>}
      </Match>
    </Switch>
  );
}

/**
 * Creates a rule, or edits `rule` (its kind is fixed). The parameter fields follow the kind; the server validates
 * them and its message is shown beside the form (the form does not second-guess it).
 */
export function AlertRuleForm(props: { rule?: AlertRule; onSaved: (rule: AlertRule, created: boolean) => void; onCancel?: () => void }) {
  const [kind, setKind] = createSignal<AlertRuleKind>(props.rule?.kind ?? 'negative-sentiment');
  const [refusal, setRefusal] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  let nameInput!: HTMLInputElement;
  onMount(() => { if (props.rule) nameInput.focus(); });
  // A kind chosen anew starts from its usual values; the edited rule's own only apply to its own kind.
  const params = () => (props.rule && props.rule.kind === kind() ? props.rule.params : undefined);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const cooldown = String(data.get('cooldownMs') ?? '').trim();
    const input = {
      name: String(data.get('name') ?? '').trim(),
      severity: String(data.get('severity')) as AlertSeverity,
      enabled: data.get('enabled') === 'on',
      params: paramsFromForm(kind(), data),
      cooldownMs: cooldown === '' ? null : Number(cooldown),
    };
    setBusy(true);
    setRefusal(undefined);
    try {
      const rule = props.rule ? await api.admin.updateAlertRule(props.rule.id, input) : await api.admin.createAlertRule({ ...input, kind: kind() });
      props.onSaved(rule, !props.rule);
    } catch (err) {
      setRefusal(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form-grid" onSubmit={(e) => void submit(e)} aria-labelledby="rule-form-title" aria-describedby="rule-error" data-testid="rule-form">
      <h2 id="rule-form-title">{props.rule ? t('alertRules.edit', { name: props.rule.name }) : t('alertRules.create')}</h2>
      <label class="field grow"><span>{t('alertRules.name')}</span><input ref={nameInput} name="name" required maxlength="200" autocomplete="off" value={props.rule?.name ?? ''} /></label>
      <Show when={!props.rule} fallback={<p class="field"><span>{t('alertRules.kind')}</span><strong>{t(`alertRules.kind.${kind()}`)}</strong></p>}>
        <label class="field">
          <span>{t('alertRules.kind')}</span>
          <select name="kind" onChange={(e) => setKind(e.currentTarget.value as AlertRuleKind)}>
            <For each={ALERT_RULE_KINDS}>{(k) => <option value={k} selected={k === kind()}>{t(`alertRules.kind.${k}`)}</option>}</For>
          </select>
        </label>
      </Show>
      <label class="field">
        <span>{t('alertRules.severity')}</span>
        <select name="severity">
          <For each={ALERT_SEVERITIES}>{(s) => <option value={s} selected={s === (props.rule?.severity ?? 'warning')}>{t(`alerts.severity.${s}`)}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span>{t('alertRules.cooldown')}</span>
        <input name="cooldownMs" type="number" step="1000" dir="ltr" aria-describedby="cooldown-hint" value={props.rule?.cooldownMs ?? ''} />
        <small id="cooldown-hint" class="hint">{t('alertRules.cooldownHint')}</small>
      </label>
      <label class="check"><input type="checkbox" name="enabled" checked={props.rule?.enabled ?? true} /><span>{t('alertRules.enabled')}</span></label>
      <fieldset class="params" data-testid="rule-params">
        <legend>{t('alertRules.params')}</legend>
        <Show when={kind()} keyed>{(k) => <For each={RULE_FIELDS[k]}>{(field) => <ParamInput field={field} params={params()} />}</For>}</Show>
      </fieldset>
      <div id="rule-error" class="form-error" aria-live="assertive">
        <Show when={refusal()}>{(m) => <p class="notice error" role="alert" data-testid="rule-error">{t('alertRules.refused', { message: m() })}</p>}</Show>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy()}>{props.rule ? t('common.save') : t('common.create')}</button>
        <Show when={props.onCancel}>{(cancel) => <button type="button" onClick={() => cancel()()}>{t('common.cancel')}</button>}</Show>
      </div>
    </form>
  );
}
