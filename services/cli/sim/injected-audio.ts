import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWav } from './media-codec.js';
import type { InjectTarget, InjectedChunk, InjectedTrack } from './types.js';

const TARGETS: readonly InjectTarget[] = ['agent', 'customer', 'both'];

/** Collects audio the server injects back, per target, decoded to PCM; optionally saves one WAV per target. */
export function createInjectedCollector(opts: { onInjected?: (chunk: InjectedChunk) => void } = {}) {
  const parts: Record<InjectTarget, { chunks: Int16Array[]; frames: number; bytes: number; samples: number; rate: number }> = {
    agent: { chunks: [], frames: 0, bytes: 0, samples: 0, rate: 0 },
    customer: { chunks: [], frames: 0, bytes: 0, samples: 0, rate: 0 },
    both: { chunks: [], frames: 0, bytes: 0, samples: 0, rate: 0 },
  };
  return {
    add(chunk: InjectedChunk, encodedBytes: number): void {
      const p = parts[chunk.target];
      p.chunks.push(chunk.pcm);
      p.frames += 1;
      p.bytes += encodedBytes;
      p.samples += chunk.pcm.length;
      p.rate = chunk.rate;
      opts.onInjected?.(chunk);
    },
    /** The tracks so far; with `saveDir`, writes `<label>-injected-<target>.wav` for every target that got audio. */
    async finish(saveDir?: string, label = 'call'): Promise<Record<InjectTarget, InjectedTrack>> {
      const out = {} as Record<InjectTarget, InjectedTrack>;
      if (saveDir) await mkdir(saveDir, { recursive: true });
      for (const target of TARGETS) {
        const p = parts[target];
        const pcm = new Int16Array(p.samples);
        let at = 0;
        for (const c of p.chunks) { pcm.set(c, at); at += c.length; }
        const track: InjectedTrack = { frames: p.frames, bytes: p.bytes, samples: p.samples, rate: p.rate, pcm };
        if (saveDir && p.samples > 0) {
          track.file = join(saveDir, `${label}-injected-${target}.wav`);
          await writeFile(track.file, encodeWav([pcm], p.rate));
        }
        out[target] = track;
      }
      return out;
    },
  };
}
export type InjectedCollector = ReturnType<typeof createInjectedCollector>;
