import { Navigate, Router, type RouteDefinition, type RouteSectionProps } from '@solidjs/router';
import { Shell } from './components/shell';
import { RoleGate } from './components/role-gate';
import { LoginPage } from './pages/login-page';
import { NotFoundPage } from './pages/not-found-page';
import { HomeRedirect } from './pages/home-redirect';
import { SCREENS } from './screens';

const routes: RouteDefinition[] = [
  { path: '/', component: HomeRedirect },
  { path: '/login', component: LoginPage },
  ...SCREENS.map((s): RouteDefinition => ({ path: s.path, component: (props: RouteSectionProps) => <RoleGate roles={s.roles}><s.component {...props} /></RoleGate> })),
  { path: '/index.html', component: () => <Navigate href="/" /> },
  { path: '*404', component: NotFoundPage },
];

export function App() {
  return <Router root={Shell}>{routes}</Router>;
}
