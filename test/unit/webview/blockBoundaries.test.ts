import * as assert from 'node:assert/strict';
import { randomAnswer, randomDeltas } from './answers';
import { seededRandom } from './domWindow';
import { BlockBoundaryScanner } from '../../../webview/markdown/blockBoundaries';
import { renderMarkdown, renderMarkdownFragment } from '../../../webview/markdown/render';
import { newContainer } from './domWindow';

/** Feeds `text` line by line (as streaming would) and returns every stable offset the scanner reported. */
function boundaries(text: string, maxTail?: number): number[] {
  const scanner = new BlockBoundaryScanner(maxTail);
  const found: number[] = [];
  for (let end = text.indexOf('\n'); ; end = text.indexOf('\n', end + 1)) {
    const offset = scanner.advance(end < 0 ? text : text.slice(0, end + 1));
    if (offset > (found.at(-1) ?? 0)) {
      found.push(offset);
    }
    if (end < 0) {
      return found;
    }
  }
}

/** Renders pieces one after the other as the streaming view does: each knows the answer line it starts on. */
function renderPieces(parts: string[]): string {
  const container = newContainer();
  let line = 0;
  for (const part of parts) {
    container.append(renderMarkdownFragment(part, { lineOffset: line }));
    line += part.split('\n').length - 1;
  }
  return container.innerHTML;
}

/** The pieces the scanner would render separately. */
function pieces(text: string, maxTail?: number): string[] {
  const cuts = [0, ...boundaries(text, maxTail), text.length];
  return cuts.slice(1).map((end, i) => text.slice(cuts[i], end));
}

describe('webview block boundaries', () => {
  it('splits at blank lines between finished blocks, once the next block has begun', () => {
    assert.deepEqual(pieces('# Title\n\nPara one\nstill one\n\nPara two\n'), ['# Title\n\n', 'Para one\nstill one\n\n', 'Para two\n']);
    const scanner = new BlockBoundaryScanner();
    assert.equal(scanner.advance('Para one\n\n'), 0, 'a blank line alone does not finish the block');
    assert.equal(scanner.advance('Para one\n\nNe'), 0, 'an incomplete next line is not looked at yet');
    assert.equal(scanner.advance('Para one\n\nNext\n'), 'Para one\n\n'.length);
  });

  it('never splits inside fenced code, whatever the fence', () => {
    const fences = [
      '```yaml\na: 1\n\nb: 2\n```\n',
      '~~~\nx\n\n```\n\ny\n~~~\n',
      '````md\n```js\n\nx\n```\n\n````\n',
      '```\n    ```\n\nstill code\n```\n',
      '  ```\ncode\n\n   ```\n',
      '- item\n\n  ```sh\n  a\n\n  b\n  ```\n',
      '1. ```\n   a\n\n   b\n   ```\n',
    ];
    for (const fence of fences) {
      const text = `Before\n\n${fence}\nAfter\n`;
      const start = 'Before\n\n'.length;
      const cuts = boundaries(text);
      assert.deepEqual(cuts.filter((cut) => cut > start && cut < start + fence.length), [], JSON.stringify(fence));
      assert.ok(cuts.includes(start) && cuts.at(-1) === text.length - 'After\n'.length, JSON.stringify(fence));
    }
  });

  it('ends blocks at an unindented fence, before and after it, blank line or not', () => {
    const cases: [string, string[]][] = [
      ['Para\n```\ncode\n```\nAfter\n', ['Para\n', '```\ncode\n```\n', 'After\n']],
      ['- item\n```\nx\n```\n- next\n', ['- item\n', '```\nx\n```\n', '- next\n']],
      ['> quote\n~~~\nx\n~~~\n> quote\n', ['> quote\n', '~~~\nx\n~~~\n', '> quote\n']],
    ];
    for (const [text, expected] of cases) {
      assert.deepEqual(pieces(text), expected);
      assert.equal(renderPieces(expected), renderMarkdown(text), 'and markdown-it agrees');
    }
  });

  it('keeps an unclosed fence open to the end', () => {
    assert.deepEqual(pieces('Intro\n\n```python\nx = 1\n\ny = 2\n\nz = 3\n'), ['Intro\n\n', '```python\nx = 1\n\ny = 2\n\nz = 3\n']);
    assert.deepEqual(pieces('```\na\n\n````\n\nb\n'), ['```\na\n\n````\n', '\n', 'b\n'], 'a longer run closes a fence');
  });

  it('does not take inline code or indented backticks for a fence', () => {
    assert.deepEqual(pieces('```js``` inline\n\nNext\n'), ['```js``` inline\n\n', 'Next\n']);
    assert.deepEqual(pieces('Para\n\n    ```\n\nNext\n'), ['Para\n\n', '    ```\n\n', 'Next\n']);
  });

  it('keeps loose lists, list continuations and indented code together', () => {
    assert.deepEqual(pieces('- a\n\n- b\n\n  more b\n\nAfter\n'), ['- a\n\n- b\n\n  more b\n\n', 'After\n']);
    assert.deepEqual(pieces('1. a\n\n2. b\n\nAfter\n'), ['1. a\n\n2. b\n\n', 'After\n']);
    assert.deepEqual(pieces('    code\n\n    more\n\nAfter\n'), ['    code\n\n    more\n\n', 'After\n']);
    assert.deepEqual(pieces('---\n    code\n\n    more\n\nAfter\n'), ['---\n    code\n\n    more\n\n', 'After\n']);
    assert.deepEqual(pieces('Para\n\n    code\n'), ['Para\n\n', '    code\n']);
    assert.deepEqual(pieces('Para\n\n- list\n'), ['Para\n\n', '- list\n']);
    assert.deepEqual(pieces('- a\n\n1. b\n\n* c\n\n* d\n'), ['- a\n\n', '1. b\n\n', '* c\n\n* d\n'], 'another marker starts another list');
    assert.deepEqual(pieces('1. a\n   - nested\n\n2. b\n'), ['1. a\n   - nested\n\n2. b\n'], 'nested markers do not count');
  });

  it('handles CRLF line ends', () => {
    assert.deepEqual(pieces('A\r\n\r\n```\r\nx\r\n\r\ny\r\n```\r\n\r\nB\r\n'), ['A\r\n\r\n', '```\r\nx\r\n\r\ny\r\n```\r\n', '\r\n', 'B\r\n']);
  });

  it('accepts a refused boundary once the tail outgrows its limit', () => {
    const list = Array.from({ length: 50 }, (_, i) => `- item ${i}`).join('\n\n');
    assert.equal(pieces(list).length, 1);
    assert.ok(pieces(list, 100).length > 5);
  });

  it('only reports true block boundaries: rendering the pieces separately equals rendering the whole', function () {
    this.timeout(60_000);
    for (let seed = 1; seed <= 150; seed++) {
      const random = seededRandom(seed);
      const text = randomAnswer(random, { blocks: 25, unclosedFence: seed % 5 === 0 });
      const parts = pieces(text);
      assert.ok(parts.length > 3 || text.length < 500, `seed ${seed}: the scanner finds boundaries`);
      assert.equal(renderPieces(parts), renderMarkdown(text), `seed ${seed}: ${JSON.stringify(text)}`);
    }
  });

  it('gives the same offsets whatever the delta sizes', () => {
    const random = seededRandom(7);
    const text = randomAnswer(random, { blocks: 40 });
    const expected = new BlockBoundaryScanner().advance(text);
    const scanner = new BlockBoundaryScanner();
    let sofar = '';
    for (const delta of randomDeltas(random, text, 9)) {
      sofar += delta;
      scanner.advance(sofar);
    }
    assert.equal(scanner.stableOffset, expected);
    scanner.reset();
    assert.equal(scanner.stableOffset, 0);
    assert.equal(scanner.advance(text), expected);
  });
});
