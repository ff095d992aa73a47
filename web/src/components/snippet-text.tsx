import { For } from 'solid-js';
import { parseSnippet } from '../lib/snippet';

/** A search snippet with its matches highlighted, rendered as text (never as HTML). */
export function SnippetText(props: { snippet: string }) {
  return (
    <span class="snippet">
      <For each={parseSnippet(props.snippet)}>{(p) => (p.mark ? <mark>{p.text}</mark> : <>{p.text}</>)}</For>
    </span>
  );
}
