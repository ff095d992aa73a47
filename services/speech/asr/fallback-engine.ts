import { EngineError, type Logger } from '../../core/index.js';
import type { AsrCapabilities } from '../types.js';
import type { AsrEngine, AsrResult, Recognizer, RecognizerOptions } from './types.js';

function unionCapabilities(engines: readonly AsrEngine[]): AsrCapabilities {
  const caps = engines.map((e) => e.capabilities);
  return {
    streaming: caps.some((c) => c.streaming),
    partials: caps.some((c) => c.partials),
    wordTimings: caps.some((c) => c.wordTimings),
    sampleRates: [...new Set(caps.flatMap((c) => c.sampleRates))].sort((a, b) => a - b),
    languages: [...new Set(caps.flatMap((c) => c.languages))],
  };
}

/**
 * Fallback as a wrapper: recognizers come from the first engine that accepts the channel (language, rate,
 * model present); when that engine fails during the call (an EngineError), the channel continues on the next
 * one, the failed chunk is fed again, and the call time the failed engine had not finalised is reported lost.
 * Callers see one engine and never branch on which one runs.
 */
export function createFallbackEngine(engines: readonly AsrEngine[], opts: { log?: Logger } = {}): AsrEngine {
  if (!engines.length) throw new EngineError('a fallback engine needs at least one engine', false);
  const log = opts.log?.child({ stage: 'asr-fallback' });

  function open(from: number, o: RecognizerOptions, reasons: string[]): { index: number; recognizer: Recognizer } | null {
    for (let i = from; i < engines.length; i++) {
      try {
        return { index: i, recognizer: engines[i].createRecognizer(o) };
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        reasons.push(err.message);
      }
    }
    return null;
  }

  return {
    name: engines.map((e) => e.name).join('>'),
    capabilities: unionCapabilities(engines),
    createRecognizer(o) {
      const reasons: string[] = [];
      const first = open(0, o, reasons);
      if (!first) throw new EngineError(`not transcribed: ${reasons.join('; ')}`, false);
      let { index, recognizer: current } = first;
      let committedMs: number | null = null; // end of the last final: earlier audio is done
      let firstMs: number | null = null;

      const track = (results: AsrResult[]) => {
        for (const r of results) if (r.type === 'final') committedMs = Math.max(committedMs ?? 0, r.segment.endMs);
        return results;
      };

      async function recover(err: unknown, pcm: Int16Array | null, startMs: number): Promise<AsrResult[]> {
        const reasonsNext: string[] = [];
        const next = err instanceof EngineError ? open(index + 1, o, reasonsNext) : null;
        if (!next) throw err;
        const failed = current;
        log?.warn({ err, callId: o.callId, speaker: o.speaker, from: failed.engine, to: next.recognizer.engine }, 'asr engine failed, switching');
        ({ index, recognizer: current } = next);
        try {
          await failed.close();
        } catch (closeErr) {
          log?.warn({ err: closeErr, engine: failed.engine }, 'closing the failed recognizer failed');
        }
        const from = committedMs ?? firstMs ?? startMs;
        const lost: AsrResult[] =
          startMs > from
            ? [{ type: 'lost', callId: o.callId, speaker: o.speaker, lostFromMs: from, lostToMs: startMs, reason: `${failed.engine} failed (${(err as EngineError).message}); continued with ${current.engine}` }]
            : [];
        const out = pcm ? await current.accept(pcm, startMs) : await current.flush();
        return [...lost, ...track(out)];
      }

      function guarded(run: () => AsrResult[] | Promise<AsrResult[]>, pcm: Int16Array | null, startMs: number) {
        let r: AsrResult[] | Promise<AsrResult[]>;
        try {
          r = run();
        } catch (err) {
          return recover(err, pcm, startMs);
        }
        return r instanceof Promise ? r.then(track, (err: unknown) => recover(err, pcm, startMs)) : track(r);
      }

      return {
        get engine() {
          return current.engine;
        },
        accept(pcm, startMs) {
          firstMs ??= startMs;
          return guarded(() => current.accept(pcm, startMs), pcm, startMs);
        },
        flush: () => guarded(() => current.flush(), null, committedMs ?? 0),
        close: () => current.close(),
      };
    },
  };
}
