import { Show } from 'solid-js';
import type { Action } from '../lib/action';
import { LoadError } from './load-error';

/** The outcome of an admin change: its success message (a status) or its error (an alert). */
export function ActionStatus(props: { action: Action; testId?: string }) {
  return (
    <div data-testid={props.testId}>
      <Show when={props.action.done()}>{(m) => <p class="notice ok" role="status">{m()}</p>}</Show>
      <Show when={props.action.error()}>{(err) => <LoadError error={err()} />}</Show>
    </div>
  );
}
