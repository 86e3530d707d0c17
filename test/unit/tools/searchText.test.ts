import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ToolCall } from '../../../src/llm/types';
import { nodeToolFiles } from '../../../src/tools/nodeToolFiles';
import { requiredLiteral } from '../../../src/tools/regexLiteral';
import { createToolbox } from '../../../src/tools/toolbox';
import type { ToolFiles } from '../../../src/tools/types';

let n = 0;
const call = (name: string, args: unknown): ToolCall => ({ id: `s${++n}`, name, arguments: JSON.stringify(args) });
const never = new AbortController().signal;

/** nodeToolFiles over `root`, counting reads and calling `onRead` after each. */
function counted(root: string, onRead: (count: number) => void = () => undefined): ToolFiles & { reads: string[] } {
  const inner = nodeToolFiles(root);
  const reads: string[] = [];
  return {
    reads,
    list: s => inner.list(s),
    read: async (p, max) => {
      reads.push(p);
      const bytes = await inner.read(p, max);
      onRead(reads.length);
      return bytes;
    },
  };
}

describe('search_text over many files', () => {
  let root: string;
  const FILES = 120;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-search-'));
    for (let i = 0; i < FILES; i++) {
      const name = path.join(root, 'src', `f${String(i).padStart(3, '0')}.ts`);
      fs.mkdirSync(path.dirname(name), { recursive: true });
      fs.writeFileSync(name, `export const n${i} = ${i};\n// common marker\n${i % 40 === 7 ? 'const rare = "needle-7";\n' : ''}`);
    }
    // Sizes around a page: a short first read ends a small file, a longer one is read on to its end.
    for (const size of [0, 4095, 4096, 4097, 70_000]) {
      const body = size === 0 ? '' : `${'x'.repeat(Math.max(0, size - 12))}\ntail-${String(size).padStart(5, '0')}\n`.slice(-size);
      fs.writeFileSync(path.join(root, `size${size}.txt`), body);
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stops reading files once the cap is reached', async () => {
    const files = counted(root);
    const r = await createToolbox({ files }).run(call('search_text', { query: 'common marker', maxHits: 5 }), never);
    assert.equal(r.summary, '5+ hits');
    assert.deepEqual(r.content.split('\n').slice(1).map(l => l.split(':')[0]), ['src/f000.ts', 'src/f001.ts', 'src/f002.ts', 'src/f003.ts', 'src/f004.ts']);
    // The five size*.txt files sort first; nothing after the fifth hit is read.
    assert.equal(files.reads.length, 10, files.reads.join(' '));
  });

  it('stops when the answer is stopped in the middle of a search', async () => {
    const c = new AbortController();
    const files = counted(root, count => { if (count === 30) { c.abort('user-cancel'); } });
    const r = await createToolbox({ files }).run(call('search_text', { query: 'not-in-any-file' }), c.signal);
    assert.equal(r.ok, false);
    assert.match(r.content, /stopped/i);
    assert.ok(files.reads.length < FILES, `read ${files.reads.length} files after the stop`);
  });

  it('a repeated search in the same answer reads no file again and finds the same lines', async () => {
    const files = counted(root);
    const box = createToolbox({ files });
    const first = await box.run(call('search_text', { query: 'needle-7' }), never);
    const read = files.reads.length;
    assert.equal(read, FILES + 5);
    const again = await box.run(call('search_text', { query: 'needle-7' }), never);
    assert.equal(files.reads.length, read, 'every head came from the cache');
    assert.equal(again.content, first.content);
    assert.equal(first.summary, '3 hits');
    assert.deepEqual(first.content.split('\n').slice(1), ['src/f007.ts:3: const rare = "needle-7";', 'src/f047.ts:3: const rare = "needle-7";', 'src/f087.ts:3: const rare = "needle-7";']);
  });

  it('reading ahead while the model thinks fills the answer\'s cache: the first search then reads no file and finds the same lines', async () => {
    const files = counted(root);
    const box = createToolbox({ files });
    assert.equal(await box.readAhead(never), FILES + 5);
    assert.equal(files.reads.length, FILES + 5);
    const r = await box.run(call('search_text', { query: 'needle-7' }), never);
    assert.equal(files.reads.length, FILES + 5, 'the search took every head from the cache');
    const fresh = await createToolbox({ files: nodeToolFiles(root) }).run(call('search_text', { query: 'needle-7' }), never);
    assert.equal(r.content, fresh.content);
  });

  it('a search that starts while reading ahead reads what is not cached yet; the read-ahead waits for it, and no file is read twice but the one in flight', async () => {
    let search: Promise<unknown> | undefined;
    const files = counted(root, count => { if (count === 30) { search = box.run(call('search_text', { query: 'needle-7' }), never); } });
    const box = createToolbox({ files });
    const ahead = await box.readAhead(never);
    const r = await search as { summary: string };
    assert.equal(r.summary, '3 hits');
    assert.ok(ahead >= 30 && ahead < FILES + 5, `the read-ahead read ${ahead} files: it began, then found the rest read by the search`);
    const twice = files.reads.length - new Set(files.reads).size;
    assert.ok(twice <= 1, `${twice} files read twice`);
    assert.equal(new Set(files.reads).size, FILES + 5);
  });

  it('reading ahead stops when the answer\'s tool calls are over, and reads nothing a search would not', async () => {
    const c = new AbortController();
    const files = counted(root, count => { if (count === 20) { c.abort(); } });
    assert.equal(await createToolbox({ files }).readAhead(c.signal), 20);
    assert.equal(files.reads.length, 20);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-ahead-'));
    try {
      for (const [name, text] of [['.env', 'KEY=1\n'], ['id_rsa', 'x\n'], ['package-lock.json', '{}\n'], ['src/app.ts', 'app\n'], ['node_modules/x/i.js', 'x\n']]) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      const some = counted(dir);
      assert.equal(await createToolbox({ files: some }).readAhead(never), 1);
      assert.deepEqual(some.reads, ['src/app.ts']);
      const none = counted(dir);
      assert.equal(await createToolbox({ files: none, grant: ['read_file', 'list_files'] }).readAhead(never), 0, 'no search_text, nothing read ahead');
      assert.deepEqual(none.reads, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a file to its end whatever its size around a page', async () => {
    const box = createToolbox({ files: nodeToolFiles(root) });
    const r = await box.run(call('search_text', { query: 'tail-', glob: '*.txt' }), never);
    assert.deepEqual(r.content.split('\n').slice(1).map(l => l.replace(/:\d+:/, ':')), [
      'size4095.txt: tail-04095', 'size4096.txt: tail-04096', 'size4097.txt: tail-04097', 'size70000.txt: tail-70000']);
  });

  it('a regex finds the same lines whether or not its literal part narrows the files', async () => {
    const box = createToolbox({ files: nodeToolFiles(root) });
    const narrowed = await box.run(call('search_text', { query: 'rare = "needle-\\d"', regex: true }), never);
    const wide = await box.run(call('search_text', { query: 'rare = "needle-\\d"', regex: true, ignoreCase: true }), never);
    assert.equal(narrowed.summary, '3 hits');
    assert.equal(narrowed.content, wide.content);
  });
});

describe('the literal a regular expression requires', () => {
  const table: [string, string | undefined][] = [
    ['Step1[0-9]\\(input', '(input'],
    ['router\\.(get|post)\\(', 'router.'],
    ['FOR UPDATE', 'FOR UPDATE'],
    ['abc?defg', 'defg'],
    ['colou?r', 'colo'],
    ['abcd{2}', 'abc'],
    ['abcde{0,2}f', 'abcd'],
    ['select|insert', undefined],
    ['(?:a|b)select', 'select'],
    ['x(abc)?yzw', 'yzw'],
    ['ab\\dcde', 'cde'],
    ['\\bhandler\\b', 'handler'],
    ['^export async function', 'export async function'],
    ['a.cdef', 'cdef'],
    ['[abc]+defg', 'defg'],
    ['(unclosed', undefined],
    ['caf\u00e9s', 'caf'],
    ['\\u0041BC\\x41BC', undefined],
    ['ab\\x41cd', undefined],
  ];
  for (const [source, expected] of table) {
    it(`/${source}/ requires ${expected === undefined ? 'nothing known' : JSON.stringify(expected)}`, () => {
      assert.equal(requiredLiteral(source), expected);
    });
  }

  it('every line a regex matches holds its literal (random lines over a small alphabet)', () => {
    const sources = ['abc?d', 'ab*cde', 'x(abc)?yzw', 'a{2}bcd', 'abc{0,2}def', '\\(ab\\)c', '[ab]cde', '(?=abc)abd', 'ab\\bcde',
      'a.bcd', 'ab+cd', 'abc*?d', '(ab)+cde', 'ab(?!c)cd', 'abc$', '^abc'];
    let state = 7;
    const rand = (k: number): number => { state = (Math.imul(state, 1103515245) + 12345) >>> 0; return (state >>> 16) % k; };
    const alphabet = 'abcdexyzw()';
    let matched = 0;
    for (const source of sources) {
      const re = new RegExp(source);
      const lit = requiredLiteral(source);
      for (let i = 0; i < 20_000; i++) {
        const line = Array.from({ length: 3 + rand(10) }, () => alphabet[rand(alphabet.length)]).join('');
        if (!re.test(line)) { continue; }
        matched++;
        if (lit !== undefined) { assert.ok(line.includes(lit), `/${source}/ matched ${JSON.stringify(line)} without ${JSON.stringify(lit)}`); }
      }
    }
    assert.ok(matched > 50, `only ${matched} random lines matched: the check would prove little`);
  });
});
