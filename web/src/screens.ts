import { lazy, type Component } from 'solid-js';
import type { RouteSectionProps } from '@solidjs/router';
import type { MessageKey } from './i18n';
import { ROLES, type Role } from './lib/types';

/**
 * Every screen of the app in one list: its route, who may open it, and its navigation entry. The router and the
 * navigation are both built from this list, so a new screen is one entry here plus its page file. Screens load
 * lazily (own chunks): the first load carries only the shell and the page shown.
 */
export interface Screen {
  path: string;
  component: Component<RouteSectionProps>;
  /** Roles that may open the screen; others see a refusal (and the API refuses them too). */
  roles: readonly Role[];
  /** Present when the screen has an entry in the main navigation, shown in list order. */
  nav?: { label: MessageKey };
}

const EVERYONE = ROLES;

export const SCREENS: readonly Screen[] = [
  { path: '/calls', component: lazy(() => import('./pages/calls-page')), roles: EVERYONE, nav: { label: 'nav.calls' } },
  { path: '/calls/:id', component: lazy(() => import('./pages/call-review-page')), roles: EVERYONE },
  { path: '/search', component: lazy(() => import('./pages/search-page')), roles: EVERYONE, nav: { label: 'nav.search' } },
  { path: '/wallboard', component: lazy(() => import('./pages/wallboard-page')), roles: ['supervisor', 'admin'], nav: { label: 'nav.wallboard' } },
  { path: '/live/:id', component: lazy(() => import('./pages/live-call-page')), roles: ['supervisor', 'admin'] },
  { path: '/my-feedback', component: lazy(() => import('./pages/my-feedback-page')), roles: ['agent'], nav: { label: 'nav.myFeedback' } },
  { path: '/scorecards', component: lazy(() => import('./pages/scorecards-page')), roles: ['trainer', 'admin', 'qa', 'supervisor'], nav: { label: 'nav.scorecards' } },
  { path: '/analytics', component: lazy(() => import('./pages/analytics-page')), roles: ['admin', 'supervisor', 'qa', 'trainer'], nav: { label: 'nav.analytics' } },
  { path: '/admin/users', component: lazy(() => import('./pages/admin-users-page')), roles: ['admin'], nav: { label: 'nav.adminUsers' } },
  { path: '/admin/tap-keys', component: lazy(() => import('./pages/admin-tap-keys-page')), roles: ['admin'], nav: { label: 'nav.adminTapKeys' } },
  { path: '/admin/teams', component: lazy(() => import('./pages/admin-teams-page')), roles: ['admin'], nav: { label: 'nav.adminTeams' } },
  { path: '/admin/alert-rules', component: lazy(() => import('./pages/admin-alert-rules-page')), roles: ['admin'], nav: { label: 'nav.adminAlertRules' } },
  { path: '/admin/audit', component: lazy(() => import('./pages/admin-audit-page')), roles: ['admin'], nav: { label: 'nav.adminAudit' } },
];

/** Navigation entries the role may use, in order. */
export function navFor(role: Role): readonly (Screen & { nav: NonNullable<Screen['nav']> })[] {
  return SCREENS.filter((s): s is Screen & { nav: NonNullable<Screen['nav']> } => !!s.nav && s.roles.includes(role));
}

/** Where a role lands after signing in: its first navigation entry. */
export function homeFor(role: Role): string {
  return navFor(role)[0]?.path ?? '/calls';
}
