import { createEffect, createSignal, Show } from 'solid-js';
import { calendar, formatNumber, t } from '../i18n';
import { isoToJalali, jalaliToIso, parseJalali } from '../lib/jalali';

const two = (n: number) => formatNumber(n, { minimumIntegerDigits: 2, useGrouping: false });

/**
 * A day input for filter forms that posts `YYYY-MM-DD` under `name` whatever the calendar: the browser's date picker
 * with the Gregorian calendar, a year/month/day text field with the Jalali one (Persian or ASCII digits), checked
 * as you type and explained when it is not a day.
 */
export function DateField(props: { name: string; label: string; value?: string }) {
  const [iso, setIso] = createSignal(props.value ?? '');
  const [text, setText] = createSignal('');
  const [touched, setTouched] = createSignal(false);
  const jalaliText = (value: string) => {
    const j = isoToJalali(value);
    return j ? `${formatNumber(j.year, { useGrouping: false })}/${two(j.month)}/${two(j.day)}` : '';
  };
  createEffect(() => {
    setIso(props.value ?? '');
    setText(jalaliText(props.value ?? ''));
  });
  const invalid = () => text().trim() !== '' && !iso();
  const hintId = `date-hint-${props.name}`;

  return (
    <label class="field">
      <span>{props.label}</span>
      <Show when={calendar() === 'persian'} fallback={<input name={props.name} type="date" value={iso()} onInput={(e) => setIso(e.currentTarget.value)} />}>
        <input
          type="text" inputmode="numeric" dir="ltr" autocomplete="off" value={text()} placeholder={jalaliText(new Date().toISOString().slice(0, 10))}
          aria-describedby={hintId} aria-invalid={touched() && invalid()} data-testid={`date-${props.name}`}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            const parsed = parseJalali(value);
            setIso(parsed ? jalaliToIso(parsed) ?? '' : '');
          }}
          onBlur={() => setTouched(true)}
        />
        <input type="hidden" name={props.name} value={iso()} />
        <small id={hintId} class="hint" classList={{ error: touched() && invalid() }} role={touched() && invalid() ? 'alert' : undefined}>
          {touched() && invalid() ? t('date.invalidJalali') : t('date.jalaliFormat')}
        </small>
      </Show>
    </label>
  );
}
