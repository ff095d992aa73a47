export type * from './types.js';
export { normalizePersian } from './persian-normalize.js';
export { tokenizePersian, splitNegation, type PersianToken, type PersianClause } from './persian-tokens.js';
export { loadPersianLexicon, parsePersianLexicon, type PersianLexicon } from './persian-lexicon.js';
export { createPersianLexiconEngine, type PersianLexiconOptions } from './persian-lexicon-engine.js';
export { createEnglishLexiconEngine, ENGLISH_DOMAIN_LABELS, type EnglishLexiconOptions } from './english-lexicon-engine.js';
export { squash, labelFor, DEFAULT_LEXICON_SCORING } from './scoring.js';
export { createOnnxSentimentEngine, type OnnxSentimentEngine, type OnnxSentimentOptions } from './onnx-engine.js';
export { createWordPieceTokenizer, loadWordPieceTokenizer, type WordPieceTokenizer, type WordPieceOptions } from './wordpiece.js';
export { createSentimentAnalyzer, UnsupportedLanguageError, type SentimentAnalyzer, type SentimentAnalyzerOptions } from './analyzer.js';
export {
  summarizeCallSentiment, type ScoredSegment, type SentimentPoint, type SpeakerSentiment, type CallSentiment,
  type CallSentimentOptions, type SentimentTrend,
} from './call-sentiment.js';
export { readLabelledSet, evaluateEngine, type LabelledSentence, type Evaluation } from './labelled-set.js';
