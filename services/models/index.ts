/**
 * Model manager: the manifest of known models, download (resumable, retried), verification, atomic unpacking,
 * import of archives fetched elsewhere, and lookup of an installed model for an engine and language.
 */
import { createModelManager, type AddOptions, type ImportOptions, type InstalledModel, type ModelStatus } from './model-manager.js';
import type { ModelEngine } from './manifest.js';

export {
  createModelManager, DEFAULT_MANIFEST, DEFAULT_MODELS_DIR,
  type AddOptions, type ImportOptions, type InstalledModel, type ModelManager, type ModelManagerOptions,
  type ModelProgress, type ModelState, type ModelStatus,
} from './model-manager.js';
export { loadManifest, parseManifest, MODEL_ENGINES, ARCHIVE_KINDS, type ArchiveKind, type Manifest, type ModelEngine, type ModelEntry, type ModelFile } from './manifest.js';
export { ArchiveError, ChecksumError, DownloadError, type DownloadFailure } from './errors.js';
export type { InstalledRecord, InstalledFile } from './install.js';
export { languageScore } from './language.js';

// Shortcuts on the default models folder ($CALLSIGHT_MODELS_DIR, $MODELS_DIR or <repo>/models) and manifest.
export const listModels = (): Promise<ModelStatus[]> => createModelManager().listModels();
export const addModel = (name: string, opts?: AddOptions): Promise<ModelStatus> => createModelManager().addModel(name, opts);
export const importModel = (file: string, opts?: ImportOptions): Promise<ModelStatus> => createModelManager().importModel(file, opts);
export const removeModel = (name: string): Promise<void> => createModelManager().removeModel(name);
export const listInstalledModels = (engine?: ModelEngine): Promise<InstalledModel[]> => createModelManager().listInstalled(engine);
export const findInstalledModel = (engine: ModelEngine, language: string): Promise<InstalledModel | undefined> =>
  createModelManager().findInstalledModel(engine, language);
export const resolveModelPath = (engine: ModelEngine, language: string): Promise<string> =>
  createModelManager().resolveModelPath(engine, language);
export { createProgressReporter, formatDownloadLine, formatMB, type ProgressReporterOptions } from './progress.js';
