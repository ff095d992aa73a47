import { createMemo, For } from 'solid-js';

/**
 * A plain-text YAML editor: a textarea with a line-number gutter that scrolls with it. Lines with a problem are marked
 * in the gutter. `ref` gives the textarea so that a problem's line can be selected.
 */
export function YamlTextarea(props: {
  id: string;
  value: string;
  onInput: (value: string) => void;
  errorLines: ReadonlySet<number>;
  label: string;
  describedBy?: string;
  ref?: (el: HTMLTextAreaElement) => void;
}) {
  let gutter: HTMLDivElement | undefined;
  const lines = createMemo(() => props.value.split('\n').length);
  return (
    <div class="yaml-editor" dir="ltr">
      <div class="yaml-gutter" ref={(el) => { gutter = el; }} aria-hidden="true">
        <For each={Array.from({ length: lines() }, (_, i) => i + 1)}>
          {(n) => <div class={props.errorLines.has(n) ? 'bad' : undefined}>{n}</div>}
        </For>
      </div>
      <textarea
        id={props.id} aria-label={props.label} aria-describedby={props.describedBy} spellcheck={false} autocomplete="off" wrap="off"
        value={props.value} ref={(el) => props.ref?.(el)}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onScroll={(e) => { if (gutter) gutter.scrollTop = e.currentTarget.scrollTop; }}
        onKeyDown={(e) => {
          // Tab inserts two spaces (YAML indentation); Escape then Tab leaves the field.
          if (e.key !== 'Tab' || e.shiftKey || e.currentTarget.dataset.escaped === '1') return;
          e.preventDefault();
          const ta = e.currentTarget;
          ta.setRangeText('  ', ta.selectionStart, ta.selectionEnd, 'end');
          props.onInput(ta.value);
        }}
        onKeyUp={(e) => { e.currentTarget.dataset.escaped = e.key === 'Escape' ? '1' : ''; }}
      />
    </div>
  );
}

/** Puts the caret at the start of a 1-based line and scrolls it into view. */
export function selectLine(ta: HTMLTextAreaElement, line: number): void {
  const lines = ta.value.split('\n');
  const start = lines.slice(0, Math.max(0, line - 1)).reduce((a, l) => a + l.length + 1, 0);
  const end = start + (lines[line - 1]?.length ?? 0);
  ta.focus();
  ta.setSelectionRange(start, end);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  ta.scrollTop = Math.max(0, (line - 3) * lineHeight);
}
