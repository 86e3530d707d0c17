import * as assert from 'node:assert/strict';
import { advanceCodePoints, ByteOffsets, codePointLength, TextIndex } from '../../../../src/artifacts/sql/positions';

describe('SQL positions', () => {
  it('turns an index into a 1-based line and UTF-16 column', () => {
    const index = new TextIndex('ab\ncd\n\nef');
    assert.deepEqual(index.at(0), { line: 1, column: 1 });
    assert.deepEqual(index.at(4), { line: 2, column: 2 });
    assert.deepEqual(index.at(6), { line: 3, column: 1 });
    assert.deepEqual(index.at(8), { line: 4, column: 2 });
    assert.deepEqual(index.at(99), { line: 4, column: 3 }, 'clamped to the end');
    assert.equal(index.lineCount, 4);
  });

  it('maps UTF-8 byte offsets (libpg-query locations) to UTF-16 indexes, also walking back', () => {
    const text = "é😀x";
    const bytes = new ByteOffsets(text);
    assert.equal(bytes.toIndex(0), 0);
    assert.equal(bytes.toIndex(2), 1, 'é is 2 bytes, 1 unit');
    assert.equal(bytes.toIndex(6), 3, '😀 is 4 bytes, 2 units');
    assert.equal(bytes.toIndex(7), 4);
    assert.equal(bytes.toIndex(2), 1, 'an earlier offset after a later one');
    assert.equal(bytes.toIndex(4), 1, 'inside a character: its start');
  });

  it('counts code points as Postgres does', () => {
    assert.equal(codePointLength('a😀b'), 3);
    assert.equal(advanceCodePoints('a😀b', 0, 2), 3);
    assert.equal(advanceCodePoints('ab', 0, 9), 2, 'clamped');
  });
});
