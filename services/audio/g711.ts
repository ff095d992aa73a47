/**
 * G.711 μ-law and A-law (ITU-T G.711), table-based.
 * Encoding uses one 64 KiB table per law indexed by the 16-bit sample; decoding a 256-entry table.
 * The tables are built once from the ITU-T G.191 reference algorithms (`ulaw_compress`, `alaw_compress`, and the
 * matching expanders), so results are bit-exact with the ITU software tools.
 */

const A_SEG_END = [0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff];
const MU_BIAS = 0x84;

function segment(value: number, ends: readonly number[]): number {
  for (let i = 0; i < ends.length; i++) if (value <= ends[i]) return i;
  return ends.length;
}

/** ITU-T G.191 `ulaw_compress`: one's complement for negative samples, so -1 encodes as negative zero (0x7F). */
function linearToMuLaw(sample: number): number {
  let abs = (sample < 0 ? ~sample >> 2 : sample >> 2) + 33;
  if (abs > 0x1fff) abs = 0x1fff;
  let seg = 1;
  for (let i = abs >> 6; i !== 0; i >>= 1) seg++;
  const code = ((8 - seg) << 4) | (15 - ((abs >> seg) & 0x0f));
  return sample >= 0 ? code | 0x80 : code;
}

function muLawToLinear(code: number): number {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + MU_BIAS;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? MU_BIAS - t : t - MU_BIAS;
}

function linearToALaw(sample: number): number {
  let v = sample >> 3;
  let mask: number;
  if (v >= 0) {
    mask = 0xd5;
  } else {
    mask = 0x55;
    v = -v - 1;
  }
  const seg = segment(v, A_SEG_END);
  if (seg >= 8) return 0x7f ^ mask;
  let a = seg << 4;
  a |= seg < 2 ? (v >> 1) & 0xf : (v >> seg) & 0xf;
  return a ^ mask;
}

function aLawToLinear(code: number): number {
  const a = code ^ 0x55;
  let t = (a & 0x0f) << 4;
  const seg = (a & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return a & 0x80 ? t : -t;
}

function buildTables(encode: (s: number) => number, decode: (c: number) => number) {
  const enc = new Uint8Array(65536);
  for (let s = -32768; s < 32768; s++) enc[s & 0xffff] = encode(s);
  const dec = new Int16Array(256);
  for (let c = 0; c < 256; c++) dec[c] = decode(c);
  return { enc, dec };
}

const MU = buildTables(linearToMuLaw, muLawToLinear);
const A = buildTables(linearToALaw, aLawToLinear);

function encodeWith(table: Uint8Array, pcm: Int16Array, out?: Uint8Array): Uint8Array {
  const n = pcm.length;
  const dst = out ?? new Uint8Array(n);
  if (dst.length < n) throw new RangeError(`output holds ${dst.length} bytes, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = table[pcm[i] & 0xffff];
  return dst;
}

function decodeWith(table: Int16Array, bytes: Uint8Array, out?: Int16Array): Int16Array {
  const n = bytes.length;
  const dst = out ?? new Int16Array(n);
  if (dst.length < n) throw new RangeError(`output holds ${dst.length} samples, need ${n}`);
  for (let i = 0; i < n; i++) dst[i] = table[bytes[i]];
  return dst;
}

/** 16-bit PCM → μ-law bytes. Pass `out` (at least `pcm.length` long) to avoid allocating. */
export function encodeMuLaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(MU.enc, pcm, out);
}

/** μ-law bytes → 16-bit PCM. Pass `out` (at least `bytes.length` long) to avoid allocating. */
export function decodeMuLaw(bytes: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(MU.dec, bytes, out);
}

/** 16-bit PCM → A-law bytes (even bits inverted, as on the wire). */
export function encodeALaw(pcm: Int16Array, out?: Uint8Array): Uint8Array {
  return encodeWith(A.enc, pcm, out);
}

/** A-law bytes → 16-bit PCM. */
export function decodeALaw(bytes: Uint8Array, out?: Int16Array): Int16Array {
  return decodeWith(A.dec, bytes, out);
}
