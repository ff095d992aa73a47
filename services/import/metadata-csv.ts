import { basename, dirname, resolve } from 'node:path';
import { ValidationError } from '../core/index.js';
import { parseCsv } from './csv.js';
import { IMPORT_META_FIELDS, parseImportMeta, type ImportMeta, type ImportMetaField } from './metadata.js';

/** One row of a metadata CSV: the file it describes (as written in the CSV) and its metadata. */
export interface MetadataRow {
  file: string;
  line: number;
  meta: ImportMeta;
}

const key = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '');
const COLUMNS = new Map<string, ImportMetaField | 'file'>([['file', 'file'], ...IMPORT_META_FIELDS.map((f) => [key(f), f] as const)]);

/**
 * Reads per-file call metadata from CSV text with a header row. Columns: `file` (required) and any of agent, queue,
 * direction, language, customerNumber, startedAt, left, mono (case, `_` and `-` ignored: `customer_number` works).
 * Every cell is validated; the first problem throws ValidationError naming the line and column.
 */
export function parseMetadataCsv(text: string, source = 'metadata CSV'): MetadataRow[] {
  const [header, ...records] = parseCsv(text, source);
  if (!header) throw new ValidationError(`${source} is empty: it needs a header row with a file column`, source);
  const columns = header.fields.map((name) => {
    const column = COLUMNS.get(key(name.trim()));
    if (!column) throw new ValidationError(`${source}: unknown column "${name}" (known: file, ${IMPORT_META_FIELDS.join(', ')})`, `${source}:1`);
    return column;
  });
  const fileAt = columns.indexOf('file');
  if (fileAt < 0) throw new ValidationError(`${source}: the header has no file column`, `${source}:1`);
  const seen = new Map<string, number>();
  return records.map(({ line, fields }) => {
    if (fields.length > columns.length) throw new ValidationError(`${source} line ${line}: ${fields.length} fields, the header has ${columns.length}`, `${source}:${line}`);
    const file = fields[fileAt]?.trim() ?? '';
    if (!file) throw new ValidationError(`${source} line ${line}: the file column is empty`, `${source}:${line}`);
    const earlier = seen.get(file);
    if (earlier) throw new ValidationError(`${source} line ${line}: ${file} is already described on line ${earlier}`, `${source}:${line}`);
    seen.set(file, line);
    const cells: Record<string, string> = {};
    columns.forEach((column, i) => { if (column !== 'file') cells[column] = fields[i] ?? ''; });
    return { file, line, meta: parseImportMeta(cells, `${source} line ${line}`) };
  });
}

/**
 * Finds a file's row: by path (CSV paths are relative to `baseDir`, the CSV's folder), else by file name when
 * exactly one row has that name. Uploaded files have only a name; pass no `baseDir`.
 */
export function createMetadataLookup(rows: readonly MetadataRow[], baseDir?: string): (file: string) => MetadataRow | undefined {
  const byPath = new Map(baseDir === undefined ? [] : rows.map((r) => [resolve(baseDir, r.file), r] as const));
  const byName = new Map<string, MetadataRow | null>();
  for (const r of rows) {
    const name = basename(r.file);
    byName.set(name, byName.has(name) ? null : r);
  }
  return (file) => (baseDir === undefined ? undefined : byPath.get(resolve(file))) ?? byName.get(basename(file)) ?? undefined;
}

/** The files a CSV lists, as paths (relative to the CSV's folder): what `npm run import -- --csv meta.csv` imports. */
export function filesOfMetadataCsv(rows: readonly MetadataRow[], csvPath: string): string[] {
  return rows.map((r) => resolve(dirname(csvPath), r.file));
}
