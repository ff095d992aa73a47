import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../core/index.js';

export interface WordPieceOptions {
  /** Lower-case and strip accents (BERT "uncased"). */
  lowercase: boolean;
  unkToken: string;
  /** Prefix of word-continuation pieces. */
  continuationPrefix: string;
  /** Longest sequence produced, [CLS] and [SEP] included. */
  maxTokens: number;
  /** Words longer than this become the unknown token. */
  maxCharsPerWord: number;
}

export interface WordPieceTokenizer {
  /** Token ids: [CLS] pieces… [SEP] (the special tokens only when the vocabulary has them). */
  encode(text: string): number[];
  /** The pieces, for tests and debugging. */
  pieces(text: string): string[];
  readonly vocabSize: number;
}

const DEFAULTS: WordPieceOptions = { lowercase: true, unkToken: '[UNK]', continuationPrefix: '##', maxTokens: 128, maxCharsPerWord: 100 };

/** BERT basic tokenisation (whitespace, punctuation and CJK splitting), then greedy longest-match WordPiece. */
export function createWordPieceTokenizer(vocab: ReadonlyMap<string, number>, options: Partial<WordPieceOptions> = {}): WordPieceTokenizer {
  const o = { ...DEFAULTS, ...options };
  const unk = vocab.get(o.unkToken);
  if (unk === undefined) throw new ValidationError(`vocabulary has no unknown token ${o.unkToken}`, 'unkToken');
  const cls = vocab.get('[CLS]');
  const sep = vocab.get('[SEP]');
  const specials = (cls === undefined ? 0 : 1) + (sep === undefined ? 0 : 1);
  if (o.maxTokens <= specials) throw new ValidationError(`maxTokens ${o.maxTokens} too small`, 'maxTokens');

  function words(text: string): string[] {
    let t = text.replace(/[\p{Cc}\p{Cf}]/gu, (c) => (/\s/u.test(c) ? ' ' : ''));
    if (o.lowercase) t = t.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '');
    t = t.replace(/([\p{P}\p{S}\p{Script=Han}])/gu, ' $1 ');
    return t.split(/\s+/u).filter((w) => w !== '');
  }

  function wordPieces(word: string): string[] {
    const chars = [...word];
    if (chars.length > o.maxCharsPerWord) return [o.unkToken];
    const out: string[] = [];
    for (let start = 0; start < chars.length;) {
      let end = chars.length;
      let piece: string | null = null;
      for (; end > start; end--) {
        const candidate = (start > 0 ? o.continuationPrefix : '') + chars.slice(start, end).join('');
        if (vocab.has(candidate)) { piece = candidate; break; }
      }
      if (piece === null) return [o.unkToken];
      out.push(piece);
      start = end;
    }
    return out;
  }

  function pieces(text: string): string[] {
    return words(text).flatMap(wordPieces).slice(0, o.maxTokens - specials);
  }

  return {
    pieces,
    encode(text) {
      const ids = pieces(text).map((p) => vocab.get(p) ?? unk);
      return [...(cls === undefined ? [] : [cls]), ...ids, ...(sep === undefined ? [] : [sep])];
    },
    vocabSize: vocab.size,
  };
}

interface TokenizerJson {
  model?: { type?: string; vocab?: Record<string, number>; unk_token?: string; continuing_subword_prefix?: string; max_input_chars_per_word?: number };
  normalizer?: { type?: string; lowercase?: boolean } | null;
}

/**
 * Loads the tokenizer of a model folder: `vocab.txt` (one token per line, id = line number; casing from
 * `tokenizer_config.json` `do_lower_case`, default uncased) or a Hugging Face `tokenizer.json` whose
 * model is WordPiece.
 */
export function loadWordPieceTokenizer(dir: string, options: Partial<WordPieceOptions> = {}): WordPieceTokenizer {
  const vocabTxt = join(dir, 'vocab.txt');
  const tokenizerJson = join(dir, 'tokenizer.json');
  if (existsSync(vocabTxt)) {
    const lines = readFileSync(vocabTxt, 'utf8').split(/\r?\n/u);
    if (lines.at(-1) === '') lines.pop();
    const vocab = new Map(lines.map((tok, id) => [tok, id] as const));
    const configPath = join(dir, 'tokenizer_config.json');
    const config = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as { do_lower_case?: boolean }) : {};
    return createWordPieceTokenizer(vocab, { lowercase: config.do_lower_case ?? true, ...options });
  }
  if (existsSync(tokenizerJson)) {
    const json = JSON.parse(readFileSync(tokenizerJson, 'utf8')) as TokenizerJson;
    if (json.model?.type !== 'WordPiece' || !json.model.vocab) {
      throw new ValidationError(`${tokenizerJson}: only WordPiece tokenizers are supported (got ${json.model?.type ?? 'none'})`, 'tokenizer.json');
    }
    return createWordPieceTokenizer(new Map(Object.entries(json.model.vocab)), {
      lowercase: json.normalizer?.lowercase ?? json.normalizer?.type === 'BertNormalizer',
      unkToken: json.model.unk_token ?? DEFAULTS.unkToken,
      continuationPrefix: json.model.continuing_subword_prefix ?? DEFAULTS.continuationPrefix,
      maxCharsPerWord: json.model.max_input_chars_per_word ?? DEFAULTS.maxCharsPerWord,
      ...options,
    });
  }
  throw new ValidationError(`${dir}: no vocab.txt or tokenizer.json`, 'modelDir');
}
