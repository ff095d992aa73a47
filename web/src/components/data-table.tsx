import { For, Show, type JSX } from 'solid-js';

/** One column: its header (also each cell's label on narrow screens, where rows become labelled cards). */
export interface Column<T> {
  label: string;
  /** The header is read by screen readers only (an actions column); its cells carry no narrow-screen label. */
  labelHidden?: boolean;
  cell: (row: T) => JSX.Element;
  /** Classes of the cells (`num`, `mono`, `start`). */
  class?: string;
  /** `ltr` for identifiers and codes that must not be mirrored in Persian. */
  dir?: 'ltr';
}

/**
 * The admin screens' table: a header row from `columns`, one row per item with `rowAttrs` (data-* hooks), and
 * `empty` instead of the table when there are no rows.
 */
export function DataTable<T>(props: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  testId: string;
  caption?: string;
  rowAttrs?: (row: T) => Record<string, string>;
  empty?: JSX.Element;
}) {
  return (
    <Show when={props.rows.length > 0 || !props.empty} fallback={props.empty}>
      <table class="data" data-testid={props.testId}>
        <Show when={props.caption}>{(c) => <caption class="visually-hidden">{c()}</caption>}</Show>
        <thead>
          <tr>
            <For each={props.columns}>
              {(col) => <th scope="col">{col.labelHidden ? <span class="visually-hidden">{col.label}</span> : col.label}</th>}
            </For>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr {...(props.rowAttrs?.(row) ?? {})}>
                <For each={props.columns}>
                  {(col) => <td data-label={col.labelHidden ? undefined : col.label} class={col.class} dir={col.dir}>{col.cell(row)}</td>}
                </For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}
