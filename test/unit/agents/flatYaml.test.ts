import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readFlatYaml } from '../../../src/agents/flatYaml';
import { readWithYamlPackage } from '../../../src/agents/safeYaml';
import { fixturesDir, sharedDir } from './agentPaths';

/** Every file of a folder tree, sorted. */
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap(e => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

/** The text the YAML reader gets for a fenced header: a leading newline (the fence's line), then the header. */
function headerOf(text: string): string | undefined {
  const m = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  return m ? `\n${m[1].replace(/\r\n?/g, '\n')}` : undefined;
}

const files = [
  ...listFiles(path.join(sharedDir, 'corpus', 'agents')),
  ...listFiles(path.join(sharedDir, 'seeds')),
  ...listFiles(path.join(fixturesDir, 'quirks')),
  ...listFiles(path.join(fixturesDir, 'attacks')),
];
const headers = files.flatMap(f => { const h = headerOf(fs.readFileSync(f, 'utf8')); return h === undefined ? [] : [{ file: f, header: h }]; });

/** Variations on a real header that a fast reader could get wrong: each must be declined or read exactly as `yaml` reads it. */
const variations: ((h: string) => string)[] = [
  h => h.replace(/^(description:) /m, '$1 note: '),
  h => h.replace(/^(name:) (.*)$/m, '$1 $2 # a comment'),
  h => h.replace(/^(name:) (.*)$/m, '$1 "$2"'),
  h => h.replace(/^(name:) (.*)$/m, "$1 '$2''s'"),
  h => h.replace(/^(name:) (.*)$/m, '$1 "$2\\u0041"'),
  h => h.replace(/^(model:) (.*)$/m, '$1 4'),
  h => h.replace(/^(model:) (.*)$/m, '$1 true'),
  h => h.replace(/^(model:) (.*)$/m, '$1 ~'),
  h => h.replace(/^(model:) (.*)$/m, '$1 .inf'),
  h => h.replace(/^(name:) (.*)$/m, '$1 $2\t'),
  h => h.replace(/^(name:) (.*)$/m, '$1 *$2'),
  h => h.replace(/^(name:) (.*)$/m, '$1 $2:'),
  h => h.replace(/^(name:) (.*)$/m, '$1 [$2]'),
  h => h.replace(/^(name:) (.*)$/m, '$1 C# and F#'),
  h => h.replace(/^(name:) (.*)$/m, '$1 https://example.com/$2'),
  h => `${h}\nname: twice`,
  h => `${h}\n__proto__: polluted`,
  h => `${h}\ntools:\n  - Read\n  - Grep`,
  h => `${h}\nnotes: |\n  block`,
  h => `${h}\n# only a comment`,
  h => h.replace(/^(description:) /m, '$1 \u2028'),
];

describe('flat front matter fast path', () => {
  it('reads exactly what the yaml package reads, for every fenced header of the corpus, seeds and fixtures', () => {
    assert.ok(headers.length > 350, `found ${headers.length} headers`);
    let taken = 0;
    for (const { file, header } of headers) {
      const fast = readFlatYaml(header);
      if (!fast) { continue; }
      taken++;
      assert.deepEqual(fast, readWithYamlPackage(header), path.basename(file));
    }
    // The point of the fast path: nearly every real header takes it (358 of 363 corpus headers are flat).
    assert.ok(taken >= 340, `fast path took only ${taken} of ${headers.length} headers`);
  });

  it('declines or agrees with yaml on variations made to be tricky', () => {
    let declined = 0;
    let agreed = 0;
    for (const { file, header } of headers.slice(0, 60)) {
      for (const [i, vary] of variations.entries()) {
        const text = vary(header);
        const fast = readFlatYaml(text);
        if (!fast) { declined++; continue; }
        agreed++;
        assert.deepEqual(fast, readWithYamlPackage(text), `${path.basename(file)}, variation ${i}`);
      }
    }
    assert.ok(declined > 0 && agreed > 0, `declined ${declined}, agreed ${agreed}`);
  });

  it('declines what it cannot be sure of, so the strict reader reports it', () => {
    for (const text of ['\nname: a\nname: b', '\n__proto__: x', '\nname: [a, b]', '\nname: "a\\tb"', '\nname: 12', '\nname: yes: no', '\n  name: indented', '\n# nothing']) {
      assert.equal(readFlatYaml(text), undefined, JSON.stringify(text));
    }
  });

  it('reads plain, quoted and empty values with their lines', () => {
    const read = readFlatYaml("\nname: api-reviewer\ndescription: 'Reviews APIs, it''s strict'\nmodel: \"gpt-4.1\"\ntools:\n");
    assert.deepEqual(read?.data, { name: 'api-reviewer', description: "Reviews APIs, it's strict", model: 'gpt-4.1', tools: null });
    assert.deepEqual([...read!.keyLines], [['name', 2], ['description', 3], ['model', 4], ['tools', 5]]);
  });
});
