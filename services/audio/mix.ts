/** Mixing and channel layout helpers. All clip to the 16-bit range; none allocate per sample. */

/** Adds `source × gain` into `target` from `offset` on, clipping. Returns `target`. */
export function mixInto(target: Int16Array, source: Int16Array, gain = 1, offset = 0): Int16Array {
  const n = Math.min(source.length, target.length - offset);
  if (gain === 1) {
    for (let i = 0; i < n; i++) {
      const v = target[offset + i] + source[i];
      target[offset + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = Math.round(target[offset + i] + source[i] * gain);
      target[offset + i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
  }
  return target;
}

/** Sums two channels into one (clipping), e.g. agent + customer for a listener. Lengths may differ. */
export function mixMono(a: Int16Array, b: Int16Array, out?: Int16Array): Int16Array {
  const n = Math.max(a.length, b.length);
  const dst = out ?? new Int16Array(n);
  if (dst.length < n) throw new RangeError(`output holds ${dst.length} samples, need ${n}`);
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    const v = a[i] + b[i];
    dst[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  if (a.length > common) dst.set(a.subarray(common), common);
  else if (b.length > common) dst.set(b.subarray(common), common);
  return dst;
}

/** Interleaves two channels (L R L R …); a shorter channel is padded with silence. */
export function interleaveStereo(left: Int16Array, right: Int16Array, out?: Int16Array): Int16Array {
  const n = Math.max(left.length, right.length);
  const dst = out ?? new Int16Array(n * 2);
  if (dst.length < n * 2) throw new RangeError(`output holds ${dst.length} samples, need ${n * 2}`);
  if (left.length === right.length) {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      dst[j] = left[i];
      dst[j + 1] = right[i];
    }
  } else {
    for (let i = 0, j = 0; i < n; i++, j += 2) {
      dst[j] = i < left.length ? left[i] : 0;
      dst[j + 1] = i < right.length ? right[i] : 0;
    }
  }
  return dst;
}

/** Splits interleaved stereo into its two channels (an odd trailing sample is ignored). */
export function deinterleaveStereo(interleaved: Int16Array): { left: Int16Array; right: Int16Array } {
  const n = interleaved.length >> 1;
  const left = new Int16Array(n);
  const right = new Int16Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    left[i] = interleaved[j];
    right[i] = interleaved[j + 1];
  }
  return { left, right };
}
