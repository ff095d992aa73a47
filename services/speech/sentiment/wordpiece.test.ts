import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWordPieceTokenizer, loadWordPieceTokenizer } from './wordpiece.js';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'un', '##aff', '##able', 'runn', '##ing', ',', '!', 'cafe', 'خوب', '##ه'];
const vocab = new Map(VOCAB.map((t, i) => [t, i]));
const root = mkdtempSync(join(tmpdir(), 'callsight-wp-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('WordPiece tokenizer', () => {
  it('splits punctuation, lower-cases, strips accents and matches longest pieces first', () => {
    const t = createWordPieceTokenizer(vocab);
    expect(t.pieces('UNaffable, running!')).toEqual(['un', '##aff', '##able', ',', 'runn', '##ing', '!']);
    expect(t.pieces('Café')).toEqual(['cafe']);
    expect(t.pieces('xyz')).toEqual(['[UNK]']);
    expect(t.pieces('خوبه')).toEqual(['خوب', '##ه']);
    expect(t.encode('unaffable')).toEqual([2, 4, 5, 6, 3]);
  });

  it('truncates to maxTokens including [CLS] and [SEP]', () => {
    const t = createWordPieceTokenizer(vocab, { maxTokens: 4 });
    expect(t.encode('un un un un')).toEqual([2, 4, 4, 3]);
  });

  it('loads vocab.txt (casing from tokenizer_config.json) or a WordPiece tokenizer.json', () => {
    const cased = join(root, 'cased');
    mkdirSync(cased);
    writeFileSync(join(cased, 'vocab.txt'), `${VOCAB.join('\n')}\n`);
    writeFileSync(join(cased, 'tokenizer_config.json'), JSON.stringify({ do_lower_case: false }));
    expect(loadWordPieceTokenizer(cased).pieces('UN un')).toEqual(['[UNK]', 'un']);

    const json = join(root, 'json');
    mkdirSync(json);
    writeFileSync(join(json, 'tokenizer.json'), JSON.stringify({ normalizer: { type: 'BertNormalizer', lowercase: true }, model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', vocab: Object.fromEntries(vocab) } }));
    expect(loadWordPieceTokenizer(json).encode('UN')).toEqual([2, 4, 3]);

    const bpe = join(root, 'bpe');
    mkdirSync(bpe);
    writeFileSync(join(bpe, 'tokenizer.json'), JSON.stringify({ model: { type: 'BPE', vocab: {} } }));
    expect(() => loadWordPieceTokenizer(bpe)).toThrow(/only WordPiece/);
    expect(() => loadWordPieceTokenizer(join(root, 'none'))).toThrow(/no vocab.txt or tokenizer.json/);
  });
});
