/**
 * What each engine needs inside `models/<name>/`, checked before a model is renamed into place, so an archive of
 * the wrong thing (or an empty one) is refused instead of failing later when a call is transcribed.
 */
import { join } from 'node:path';
import { ArchiveError } from './errors.js';
import { pathExists } from './install.js';
import type { ModelEngine } from './manifest.js';

/** Each inner list: at least one of these paths must exist. */
export const REQUIRED_FILES: Record<ModelEngine, string[][]> = {
  // Vosk's two layouts: am/final.mdl + conf/ (current models) or final.mdl at the top (old ones).
  vosk: [['am/final.mdl', 'final.mdl']],
  // What services/speech/sentiment/onnx-engine.ts loads; config.json (id2label) is optional there.
  'onnx-sentiment': [['model.onnx'], ['tokenizer.json', 'vocab.txt']],
  vad: [],
};

export async function checkLayout(name: string, engine: ModelEngine, root: string): Promise<void> {
  for (const alternatives of REQUIRED_FILES[engine]) {
    let found = false;
    for (const p of alternatives) if (await pathExists(join(root, p))) { found = true; break; }
    if (!found) {
      throw new ArchiveError(
        `${name} has no ${alternatives.join(' or ')}, which a ${engine} model needs; it is not this model or it is incomplete — nothing was installed`,
      );
    }
  }
}
