import { ValidationError } from '../core/index.js';

/** One record of a CSV file with the line it starts on (1-based, for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * Parses CSV text (RFC 4180): comma-separated, fields optionally in double quotes (`""` is a quote inside them,
 * and they may span lines), CRLF or LF line ends, a leading byte-order mark ignored, blank lines skipped.
 * Throws ValidationError (path `source:line`) for an unterminated quote or text after a closing quote.
 */
export function parseCsv(text: string, source = 'csv'): CsvRecord[] {
  const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quotedField = false;
  const endField = () => { fields.push(field); field = ''; quotedField = false; };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
  };
  while (i < s.length) {
    const ch = s[i];
    if (ch === '"' && field === '' && !quotedField) {
      const start = line;
      i++;
      for (;;) {
        if (i >= s.length) throw new ValidationError(`${source} line ${start}: a quoted field is never closed`, `${source}:${start}`);
        if (s[i] === '"') {
          if (s[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (s[i] === '\n') line++;
        field += s[i++];
      }
      quotedField = true;
      if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
        throw new ValidationError(`${source} line ${line}: text after a closing quote`, `${source}:${line}`);
      }
      continue;
    }
    if (ch === ',') { endField(); i++; continue; }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    field += ch;
    i++;
  }
  if (field !== '' || fields.length || quotedField) endRecord();
  return records;
}
