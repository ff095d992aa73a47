import { For } from 'solid-js';
import { calendar, lang, LANGS, setCalendar, setLang, t, type CalendarKind, type Lang } from '../i18n';

/** Language and calendar choice (both remembered in localStorage). */
export function LanguageSwitch() {
  return (
    <div class="lang-switch">
      <label>
        <span class="visually-hidden">{t('settings.language')}</span>
        <select data-testid="language" value={lang()} onChange={(e) => setLang(e.currentTarget.value as Lang)} aria-label={t('settings.language')}>
          <For each={LANGS}>{(l) => <option value={l.code} lang={l.code}>{l.name}</option>}</For>
        </select>
      </label>
      <label>
        <span class="visually-hidden">{t('settings.calendar')}</span>
        <select data-testid="calendar" value={calendar()} onChange={(e) => setCalendar(e.currentTarget.value as CalendarKind)} aria-label={t('settings.calendar')}>
          <option value="gregorian">{t('settings.calendar.gregorian')}</option>
          <option value="persian">{t('settings.calendar.persian')}</option>
        </select>
      </label>
    </div>
  );
}
