export { createImporter, importRate, type Importer, type ImporterOptions } from './importer.js';
export { importCall, type ImportOutcome, type ImportProgress, type ImportState, type PreparedImport } from './import-call.js';
export { IMPORT_META_FIELDS, mergeImportMeta, parseImportMeta, type ImportMeta, type ImportMetaField } from './metadata.js';
export { createMetadataLookup, filesOfMetadataCsv, parseMetadataCsv, type MetadataRow } from './metadata-csv.js';
export { NotAudioError, probeAudio, type AudioProbe } from './probe.js';
export { createImportDisplay, type ImportDisplay } from './progress-display.js';
