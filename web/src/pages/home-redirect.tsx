import { Navigate } from '@solidjs/router';
import { Show } from 'solid-js';
import { user } from '../lib/session';
import { homeFor } from '../screens';

/** `/`: the signed-in user's start page. */
export function HomeRedirect() {
  return <Show when={user()}>{(u) => <Navigate href={homeFor(u().role)} />}</Show>;
}
