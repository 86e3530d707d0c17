import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { dataDirEntries } from '../../../../src/artifacts/sql/dataDirFs';
import { dataDumpPath, ensureDataDump } from './sqlTestSupport';

/** One ustar header block (name, size, type), then the data padded to 512 bytes. */
function tarEntry(name: string, data: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write('0000644\0', 100, 'latin1');
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write(`${(1_700_000_000).toString(8)}\0`, 136, 'latin1');
  header.write(type, 156, 'latin1');
  header.write('ustar\0' + '00', 257, 'latin1');
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data, 'latin1');
  return Buffer.concat([header, body]);
}
const tarOf = (...entries: Buffer[]): Uint8Array => Buffer.concat([...entries, Buffer.alloc(1024)]);

describe('SQL checker: the data dir read straight into PGlite', () => {
  before(ensureDataDump);

  it('reads every file of the shipped data dir, with its bytes, as tar lists them', () => {
    const tar = fs.readFileSync(dataDumpPath);
    const entries = dataDirEntries(tar);
    assert.ok(entries, 'the shipped data dir is read here, not handed to PGlite as a tar');
    const byPath = new Map(entries.map(e => [e.path, e]));
    assert.match(Buffer.from(byPath.get('PG_VERSION')?.data ?? []).toString('latin1'), /^\d+\n$/);
    assert.equal(byPath.get('global/pg_control')?.data.length, 8192);
    assert.equal(byPath.get('base')?.dir, true);
    assert.ok(entries.some(e => e.path.startsWith('base/5/') && e.data.length > 100_000), 'the database files are there');
    // Views into the one buffer, not copies: that is the point of reading it here.
    assert.ok(entries.every(e => e.data.buffer === tar.buffer));
  });

  it('takes names with and without a leading slash, and empty files', () => {
    const entries = dataDirEntries(tarOf(tarEntry('/base/', '', '5'), tarEntry('/base/5/PG_VERSION', '18\n'), tarEntry('postmaster.opts', '')));
    assert.deepEqual(entries?.map(e => [e.path, e.dir, Buffer.from(e.data).toString()]), [['base', true, ''], ['base/5/PG_VERSION', false, '18\n'], ['postmaster.opts', false, '']]);
    assert.equal(entries?.[1].mtime, 1_700_000_000_000);
  });

  it('leaves to PGlite a tar it does not read: links, long names, a name climbing out, a cut-off file', () => {
    assert.equal(dataDirEntries(tarOf(tarEntry('PG_VERSION', '18\n'), tarEntry('pg_wal/link', '', '2'))), undefined);
    assert.equal(dataDirEntries(tarOf(tarEntry('././@LongLink', 'a'.repeat(120), 'L'))), undefined);
    assert.equal(dataDirEntries(tarOf(tarEntry('base/../../etc/passwd', 'x'))), undefined);
    const cut = tarEntry('base/5/1259', 'y'.repeat(2000));
    assert.equal(dataDirEntries(cut.subarray(0, 1024)), undefined);
  });
});
