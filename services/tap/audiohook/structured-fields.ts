/**
 * The slice of RFC 8941 structured fields that HTTP message signatures (RFC 9421) need: a dictionary whose members
 * are inner lists of strings or byte sequences, each with parameters. Strict: anything else is a parse error.
 */
export type BareItem = string | number | boolean | Buffer | { token: string };
export type Params = [string, BareItem][];
export interface Member { value: BareItem | BareItem[]; inner: boolean; params: Params }

class ParseError extends Error {}

export function parseDictionary(input: string): Map<string, Member> | undefined {
  const s = input.trim();
  let i = 0;
  const fail = (what: string): never => { throw new ParseError(`${what} at ${i}`); };
  const ows = () => { while (s[i] === ' ' || s[i] === '\t') i++; };
  const key = (): string => {
    const m = /^[a-z*][a-z0-9_\-.*]*/.exec(s.slice(i));
    if (!m) fail('expected a key');
    i += m![0].length;
    return m![0];
  };
  const bare = (): BareItem => {
    const c = s[i];
    if (c === '"') {
      let out = '';
      for (i++; i < s.length; i++) {
        if (s[i] === '\\') {
          i++;
          if (s[i] !== '"' && s[i] !== '\\') fail('bad escape');
          out += s[i];
        } else if (s[i] === '"') {
          i++;
          return out;
        } else {
          const code = s.charCodeAt(i);
          if (code < 0x20 || code > 0x7e) fail('bad string character');
          out += s[i];
        }
      }
      return fail('unterminated string');
    }
    if (c === ':') {
      const end = s.indexOf(':', i + 1);
      if (end < 0) fail('unterminated byte sequence');
      const b64 = s.slice(i + 1, end);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) fail('bad byte sequence');
      i = end + 1;
      return Buffer.from(b64, 'base64');
    }
    if (c === '?') {
      const v = s[i + 1];
      if (v !== '0' && v !== '1') fail('bad boolean');
      i += 2;
      return v === '1';
    }
    const num = /^-?\d{1,15}(\.\d{1,3})?/.exec(s.slice(i));
    if (num) {
      i += num[0].length;
      return Number(num[0]);
    }
    const tok = /^[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*/.exec(s.slice(i));
    if (tok) {
      i += tok[0].length;
      return { token: tok[0] };
    }
    return fail('expected an item');
  };
  const params = (): Params => {
    const out: Params = [];
    while (s[i] === ';') {
      i++;
      ows();
      const k = key();
      let v: BareItem = true;
      if (s[i] === '=') {
        i++;
        v = bare();
      }
      out.push([k, v]);
    }
    return out;
  };
  try {
    const dict = new Map<string, Member>();
    while (i < s.length) {
      const k = key();
      let member: Member;
      if (s[i] !== '=') {
        member = { value: true, inner: false, params: params() };
      } else {
        i++;
        if (s[i] === '(') {
          i++;
          const items: BareItem[] = [];
          for (;;) {
            while (s[i] === ' ') i++;
            if (s[i] === ')') { i++; break; }
            if (i >= s.length) fail('unterminated inner list');
            items.push(bare());
            if (params().length) fail('component parameters are not supported');
            if (s[i] !== ' ' && s[i] !== ')') fail('expected a space or )');
          }
          member = { value: items, inner: true, params: params() };
        } else {
          member = { value: bare(), inner: false, params: params() };
        }
      }
      dict.set(k, member);
      ows();
      if (i >= s.length) break;
      if (s[i] !== ',') fail('expected ,');
      i++;
      ows();
      if (i >= s.length) fail('trailing comma');
    }
    return dict;
  } catch (err) {
    if (err instanceof ParseError) return undefined;
    throw err;
  }
}

export function serializeBareItem(v: BareItem): string {
  if (typeof v === 'string') return `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? '?1' : '?0';
  if (Buffer.isBuffer(v)) return `:${v.toString('base64')}:`;
  return v.token;
}

export function serializeParams(params: Params): string {
  return params.map(([k, v]) => (v === true ? `;${k}` : `;${k}=${serializeBareItem(v)}`)).join('');
}
