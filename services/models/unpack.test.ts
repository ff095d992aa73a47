import { mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError } from './errors.js';
import { buildTarGz, buildZip, type ArchiveEntry } from './test-archives.js';
import { isSafeEntryPath, sniffArchive, unpackArchive, type UnpackKind } from './unpack.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'callsight-unpack-'));
  return () => rm(dir, { recursive: true, force: true });
});

const model: ArchiveEntry[] = [
  { name: 'm/' },
  { name: 'm/am/final.mdl', data: 'acoustic model '.repeat(1000) },
  { name: 'm/conf/model.conf', data: '--min-active=200\n' },
  { name: 'm/README', data: 'US English model (small)\n' },
];
const build = (kind: UnpackKind, entries: ArchiveEntry[]) => (kind === 'zip' ? buildZip(entries) : buildTarGz(entries));

/** Writes the archive and unpacks it into a fresh `out/`; resolves with that folder. */
async function unpack(kind: UnpackKind, data: Buffer): Promise<string> {
  const file = join(dir, `a.${kind}`);
  await writeFile(file, data);
  const out = join(dir, 'out');
  await mkdir(out);
  await unpackArchive(file, kind, out, { label: 'a' });
  return out;
}

async function refused(kind: UnpackKind, data: Buffer): Promise<ArchiveError> {
  const err = await unpack(kind, data).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ArchiveError);
  return err as ArchiveError;
}

describe.each(['zip', 'tar.gz'] as const)('unpackArchive (%s)', (kind) => {
  it('unpacks folders and files byte for byte', async () => {
    const out = await unpack(kind, build(kind, model));
    expect(await readFile(join(out, 'm/am/final.mdl'), 'utf8')).toBe('acoustic model '.repeat(1000));
    expect(await readFile(join(out, 'm/conf/model.conf'), 'utf8')).toBe('--min-active=200\n');
    expect((await readdir(join(out, 'm'))).sort()).toEqual(['README', 'am', 'conf']);
  });

  it('refuses entries that climb out of the folder, writing nothing outside it', async () => {
    const err = await refused(kind, build(kind, [...model, { name: 'm/../../evil.txt', data: 'x' }]));
    expect(err.message).toMatch(/points outside the model folder|resolves outside/);
    expect(await readdir(dir)).not.toContain('evil.txt');
  });

  it('refuses absolute entry names', async () => {
    await refused(kind, build(kind, [{ name: '/tmp/callsight-evil.txt', data: 'x' }]));
  });

  it('refuses a truncated archive', async () => {
    const whole = build(kind, model);
    const err = await refused(kind, whole.subarray(0, Math.floor(whole.length * 0.6)));
    expect(err.message).toMatch(/^cannot unpack a: .* — the archive is corrupt or incomplete$/);
  });

  it('refuses an archive whose compressed data was damaged', async () => {
    const data = Buffer.from(build(kind, [{ name: 'm/big', data: 'abcdefgh'.repeat(5000) }]));
    for (let i = 60; i < 90; i++) data[i] ^= 0xff;
    await refused(kind, data);
  });
});

describe('unpackArchive (tar links)', () => {
  it('keeps a symbolic link that stays inside, refuses one that points out', async () => {
    const out = await unpack('tar.gz', buildTarGz([...model, { name: 'm/conf/link.conf', linkname: 'model.conf' }]));
    expect(await readlink(join(out, 'm/conf/link.conf'))).toBe('model.conf');
    await rm(join(dir, 'out'), { recursive: true });
    const err = await refused('tar.gz', buildTarGz([...model, { name: 'm/passwd', linkname: '../../../etc/passwd' }]));
    expect(err.message).toMatch(/"m\/passwd -> \.\.\/\.\.\/\.\.\/etc\/passwd" that points outside/);
  });
});

describe('archive helpers', () => {
  it('tells zip from gzip by the first bytes', () => {
    expect(sniffArchive(buildZip(model).subarray(0, 4))).toBe('zip');
    expect(sniffArchive(buildTarGz(model).subarray(0, 4))).toBe('tar.gz');
    expect(sniffArchive(Buffer.from('<html>'))).toBeUndefined();
  });

  it('knows which entry names are safe', () => {
    expect(isSafeEntryPath('m/am/final.mdl')).toBe(true);
    expect(isSafeEntryPath('m/..a/b')).toBe(true);
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'C:\\x', 'a\\..\\..\\x']) expect(isSafeEntryPath(bad)).toBe(false);
  });
});
