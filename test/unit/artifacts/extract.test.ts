import * as assert from 'node:assert/strict';
import { ArtifactStream, extractArtifacts, parseInfoString, pathFromLeadIn } from '../../../src/artifacts/extract';
import { decideKind, looksLikeAdr, looksLikeMermaid } from '../../../src/artifacts/sniff';
import type { Artifact } from '../../../src/artifacts/types';
import { demoDesign, demoReview } from '../../support/demoAnswers';
import { fixtureNames, fixtureText } from './artifactPaths';

const summary = (a: Artifact): string => `${a.id} ${a.kind} ${a.path ?? '-'} @${a.startLine}${a.sniffed ? ' sniffed' : ''}${a.unterminated ? ' unterminated' : ''}`;

describe('artifact extraction', () => {
  it('reads the output contract: kind from the info string, path from file=', () => {
    const text = fixtureText('answers', 'design-contract.md');
    const found = extractArtifacts(text, { final: true });
    assert.deepEqual(found.map(summary), [
      'a1 mermaid docs/architecture/services.mmd @7',
      'a2 openapi docs/api/openapi.yaml @19',
      'a3 sql db/schema.sql @41',
      'a4 adr docs/adr/0001-modular-monolith.md @50',
    ]);
    // startLine is the answer's line of the block's first content line.
    const lines = text.split('\n');
    for (const a of found) { assert.equal(lines[a.startLine - 1], a.content.split('\n')[0], a.id); }
  });

  it('keeps a diagram fenced inside a Markdown block in the Markdown block (same-length nested fences)', () => {
    const adr = extractArtifacts(fixtureText('answers', 'design-contract.md'), { final: true })[3];
    assert.match(adr.content, /```mermaid\nflowchart TD\n {2}a\[One deployable\] --> b\[Modules with their own tables\]\n```\n/);
    assert.match(adr.content, /## Consequences\n\nSplitting a module out later means moving its tables, not untangling them\.\n$/);
  });

  it('falls back when the contract is ignored: lead-in paths, sniffed kinds, list indents, missing and odd fences', () => {
    const found = extractArtifacts(fixtureText('answers', 'contract-ignored.md'), { final: true });
    assert.deepEqual(found.map(summary), [
      'a1 openapi docs/api/openapi.yaml @6',
      'a2 mermaid - @16 sniffed',
      'a3 sql - @26 sniffed',
      'a4 code - @32',
      'a5 sql - @38',
      'a6 yaml deploy/values.yaml @42 unterminated',
      'a7 sql db/seed.sql @44',
      'a8 mermaid - @48',
      'a9 code docs/README.md @53',
      'a10 mermaid docs/unfinished.mmd @61 unterminated',
    ]);
    assert.equal(found[4].content, 'ALTER TABLE note ADD COLUMN title text;\n', 'list indentation is stripped');
    assert.equal(found[8].content, 'Fenced with four backticks, holding a three-backtick block:\n\n```json\n{"a": 1}\n```\n');
  });

  it('returns only closed blocks while streaming (final: false)', () => {
    const text = fixtureText('answers', 'contract-ignored.md');
    assert.deepEqual(extractArtifacts(text).map(a => a.id), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    assert.deepEqual(extractArtifacts('```yaml\na: 1\n```').map(a => a.id), [], 'a closing fence without its newline may still grow');
    assert.deepEqual(extractArtifacts('```yaml\na: 1\n```\n').map(a => a.id), ['a1']);
  });

  it('gives the same artifacts however the answer is split into deltas, each when its block closes', () => {
    for (const name of fixtureNames('answers')) {
      const text = fixtureText('answers', name);
      const whole = extractArtifacts(text, { final: true });
      for (const size of [1, 2, 7, 64]) {
        const stream = new ArtifactStream();
        const got: Artifact[] = [];
        for (let i = 0; i < text.length; i += size) {
          const delta = text.slice(i, i + size);
          for (const a of stream.push(delta)) {
            // The block's closing fence must be inside what has arrived so far.
            assert.ok(text.slice(0, i + size).split('\n').length > a.startLine + a.content.split('\n').length - 2, `${name} ${a.id} early`);
            got.push(a);
          }
        }
        got.push(...stream.finish());
        assert.deepEqual(got, whole, `${name} in deltas of ${size}`);
      }
    }
  });

  it('scans a long answer in linear time', () => {
    const block = '```mermaid file=d.mmd\nflowchart LR\n  a --> b\n```\n\nSome prose between blocks.\n\n';
    const time = (n: number): number => {
      const text = block.repeat(n);
      const started = performance.now();
      assert.equal(extractArtifacts(text).length, n);
      return performance.now() - started;
    };
    time(500);
    const small = Math.max(time(2000), 1);
    const big = time(8000);
    assert.ok(big / small < 8, `4x the input took ${(big / small).toFixed(1)}x the time`);
  });

  it('extracts the recorded demo answers', () => {
    assert.deepEqual(extractArtifacts(demoDesign, { final: true }).map(summary), [
      'a1 mermaid docs/architecture/services.mmd @10', 'a2 openapi docs/api/openapi.yaml @22', 'a3 sql db/schema.sql @39',
    ]);
    // The review's findings block is extracted too; the editor keeps it out of the file cards.
    assert.deepEqual(extractArtifacts(demoReview, { final: true }).map(a => `${a.kind}:${a.language}`), ['mermaid:mermaid', 'code:findings']);
  });

  it('takes a bare answer that is one file when there is no fence at all', () => {
    const spec = fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml');
    const [only, ...rest] = extractArtifacts(`\n${spec}`, { final: true });
    assert.equal(rest.length, 0);
    assert.equal(only.kind, 'openapi');
    assert.equal(only.startLine, 2);
    assert.ok(only.sniffed);
    assert.deepEqual(extractArtifacts('Just prose, no files here.\n', { final: true }), []);
    assert.deepEqual(extractArtifacts(spec), [], 'not before the answer is final');
  });

  it('ignores empty blocks and inline triple-backtick code', () => {
    assert.deepEqual(extractArtifacts('```sql\n\n```\nUse ```js``` inline.\n', { final: true }), []);
  });

  it('parses info strings in the forms models write', () => {
    assert.deepEqual(parseInfoString('yaml file=docs/api/openapi.yaml'), { language: 'yaml', path: 'docs/api/openapi.yaml' });
    assert.deepEqual(parseInfoString('sql file="db/schema.sql"'), { language: 'sql', path: 'db/schema.sql' });
    assert.deepEqual(parseInfoString('yaml:docs/openapi.yaml'), { language: 'yaml', path: 'docs/openapi.yaml' });
    assert.deepEqual(parseInfoString('ts title="src/app.ts"'), { language: 'ts', path: 'src/app.ts' });
    assert.deepEqual(parseInfoString('Mermaid docs/arch/flow.mmd'), { language: 'mermaid', path: 'docs/arch/flow.mmd' });
    assert.deepEqual(parseInfoString('{.python path=./app/main.py}'), { language: 'python', path: 'app/main.py' });
    assert.deepEqual(parseInfoString(''), { language: '', path: undefined });
    assert.equal(pathFromLeadIn('**`db/schema.sql`**:'), 'db/schema.sql');
    assert.equal(pathFromLeadIn('### File: docs/adr/0002-queue.md'), 'docs/adr/0002-queue.md');
    assert.equal(pathFromLeadIn('Here is the schema for the orders table.'), undefined);
  });

  it('decides kinds from language, path and content', () => {
    const spec = fixtureText('openapi', 'valid', 'oai-petstore-2.0.yaml');
    assert.deepEqual(decideKind('yaml', undefined, spec), { kind: 'openapi', sniffed: false });
    assert.deepEqual(decideKind('json', undefined, JSON.stringify({ openapi: '3.1.0' })), { kind: 'openapi', sniffed: false });
    assert.deepEqual(decideKind('yaml', undefined, 'replicas: 2\n'), { kind: 'yaml', sniffed: false });
    assert.deepEqual(decideKind('', 'docs/flow.mmd', 'a'), { kind: 'mermaid', sniffed: false });
    assert.deepEqual(decideKind('text', undefined, 'erDiagram\n  A ||--o{ B : has\n'), { kind: 'mermaid', sniffed: true });
    assert.deepEqual(decideKind('', undefined, '-- schema\nCREATE TABLE a (id int);'), { kind: 'sql', sniffed: true });
    assert.deepEqual(decideKind('python', undefined, 'CREATE TABLE a (id int);'), { kind: 'code', sniffed: false });
    assert.deepEqual(decideKind('md', 'docs/decisions/0003-cache.md', '# Cache'), { kind: 'adr', sniffed: false });
    assert.deepEqual(decideKind('json', 'tsconfig.json', '{ // comments allowed\n}'), { kind: 'code', sniffed: false });
    assert.deepEqual(decideKind('jsonc', undefined, '{}'), { kind: 'code', sniffed: false });
    // An answer that holds an ADR in a fence is not itself an ADR: headings inside fences do not count.
    const answer = fixtureText('answers', 'design-contract.md');
    assert.equal(looksLikeAdr(answer), false);
    assert.equal(looksLikeAdr(extractArtifacts(answer, { final: true })[3].content), true);
    for (const name of fixtureNames('mermaid', 'valid')) {
      assert.ok(looksLikeMermaid(fixtureText('mermaid', 'valid', name)), name);
    }
  });
});
