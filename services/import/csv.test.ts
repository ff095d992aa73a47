import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv.js';
import { createMetadataLookup, parseMetadataCsv } from './metadata-csv.js';
import { parseImportMeta } from './metadata.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF, a BOM, and skips blank lines', () => {
    const text = '\uFEFFfile,queue\r\n"a, b.mp3","say ""hi""\nthere"\r\n\r\nc.wav,\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['file', 'queue'] },
      { line: 2, fields: ['a, b.mp3', 'say "hi"\nthere'] },
      { line: 5, fields: ['c.wav', ''] },
    ]);
  });

  it('names the line of an unterminated quote or text after a closing quote', () => {
    expect(() => parseCsv('file\n"open', 'm.csv')).toThrow(/m.csv line 2: a quoted field is never closed/);
    expect(() => parseCsv('file\n"a"b', 'm.csv')).toThrow(/m.csv line 2: text after a closing quote/);
  });
});

describe('metadata CSV', () => {
  it('maps columns (case and separators ignored), validates cells and matches files by path or name', () => {
    const rows = parseMetadataCsv([
      'File,Agent,customer_number,started-at,direction,left,mono',
      'calls/one.mp3,agent-7,+15550001,2026-11-20T10:00:00Z,outbound,customer,',
      'two.wav,,,,,,yes',
    ].join('\n'), 'meta.csv');
    expect(rows[0]).toMatchObject({ file: 'calls/one.mp3', line: 2, meta: { agent: 'agent-7', customerNumber: '+15550001', direction: 'outbound', left: 'customer' } });
    expect(rows[0].meta.startedAt?.toISOString()).toBe('2026-11-20T10:00:00.000Z');
    expect(rows[1].meta).toEqual({ mono: true });
    const lookup = createMetadataLookup(rows, '/data');
    expect(lookup('/data/calls/one.mp3')?.line).toBe(2);
    expect(lookup('/elsewhere/two.wav')?.line).toBe(3);
    expect(lookup('/data/three.wav')).toBeUndefined();
    expect(createMetadataLookup(rows)('one.mp3')?.line).toBe(2);
  });

  it('refuses unknown columns, bad values and repeated files with the line and column', () => {
    expect(() => parseMetadataCsv('file,agnet\na.mp3,x', 'm.csv')).toThrow(/m.csv: unknown column "agnet"/);
    expect(() => parseMetadataCsv('agent\nx', 'm.csv')).toThrow(/no file column/);
    expect(() => parseMetadataCsv('file,direction\na.mp3,sideways', 'm.csv')).toThrow(/m.csv line 2: direction must be inbound or outbound/);
    expect(() => parseMetadataCsv('file,startedAt\na.mp3,yesterday', 'm.csv')).toThrow(/m.csv line 2: startedAt must be a date/);
    expect(() => parseMetadataCsv('file\na.mp3\na.mp3', 'm.csv')).toThrow(/line 3: a.mp3 is already described on line 2/);
  });
});

describe('parseImportMeta', () => {
  it('treats empty values as not given and refuses unknown fields', () => {
    expect(parseImportMeta({ agent: '', queue: 'support', mono: false })).toEqual({ queue: 'support', mono: false });
    expect(() => parseImportMeta({ colour: 'red' }, 'form')).toThrow(/form: colour unknown field/);
    expect(() => parseImportMeta({ left: 'middle' })).toThrow(/left must be agent or customer/);
    expect(() => parseImportMeta({ language: 'english please' })).toThrow(/language must be a language tag/);
  });
});
