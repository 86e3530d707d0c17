import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runExtractCommand, runValidateCommand, type ExtractReport, type ValidateReport } from '../../../src/artifacts/cliArtifacts';
import type { ValidationResult } from '../../../src/artifacts/types';
import type { SqlValidator } from '../../../src/artifacts/validate';
import { artifactFixtures, fixtureText } from './artifactPaths';

interface Run { code: number; stdout: string; stderr: string }

/** A stand-in SQL module: files containing "broken" are invalid, and every call is recorded. */
function fakeSql(): { loadSql: () => Promise<SqlValidator>; calls: string[][] } {
  const calls: string[][] = [];
  const judge = (text: string): ValidationResult => (text.includes('broken')
    ? { status: 'invalid', problems: [{ line: 1, severity: 'error', message: 'syntax error at or near "broken"', source: 'postgres:42601' }] }
    : { status: 'valid', problems: [] });
  return {
    calls,
    loadSql: async () => ({
      validateSql: async text => { calls.push(['sql']); return judge(text); },
      validateMigrations: async files => {
        calls.push(files.map(f => f.path));
        const bad = files.find(f => f.content.includes('broken'));
        return bad ? { status: 'invalid', problems: [{ ...judge(bad.content).problems[0], file: bad.path }] } : judge('');
      },
    }),
  };
}

describe('backend-architect validate / extract (CLI)', function () {
  this.timeout(30_000);
  let tmp: string;
  let sql: ReturnType<typeof fakeSql>;

  const run = async (command: typeof runValidateCommand, ...args: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const code = await command(args, { stdout: s => { stdout += s; }, stderr: s => { stderr += s; } }, { cwd: tmp, loadSql: sql.loadSql });
    return { code, stdout, stderr };
  };

  beforeEach(() => {
    sql = fakeSql();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-validate-'));
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), text);
    };
    write('docs/api/openapi.yaml', fixtureText('openapi', 'valid', 'redocly-museum-3.1.yaml'));
    write('docs/api/old-petstore.yaml', fixtureText('openapi', 'invalid', 'oai-callback-example-3.0-at-0a5b58e.yaml'));
    write('docs/architecture/services.mmd', fixtureText('mermaid', 'valid', 'otel-demo-services.mmd'));
    write('docs/architecture/broken.mmd', 'flowchart LR\n  start --> end\n');
    write('docs/adr/0001-monolith.md', '# 1. Monolith\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n```mermaid\nflowchart LR\n  a --> b\n```\n\n## Decision\n\ny\n\n## Consequences\n\nz\n');
    write('docs/README.md', 'Just prose.\n');
    write('docs/config.yaml', 'replicas: 2\n');
    write('db/migrations/0001_init.sql', 'CREATE TABLE a (id int);\n');
    write('db/migrations/0002_more.sql', 'ALTER TABLE a ADD COLUMN b text;\n');
    write('db/seed.sql', 'INSERT INTO a VALUES (1);\n');
    write('node_modules/pkg/openapi.yaml', 'openapi: 3.1.0\n');
  });

  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('checks a folder: artifacts only, migrations as one entry in order, invalid files fail the run', async () => {
    const { code, stdout, stderr } = await run(runValidateCommand, '--json', 'docs', 'db');
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const reports = JSON.parse(stdout) as ValidateReport[];
    assert.deepEqual(reports.map(r => [r.file, r.kind, r.ok]), [
      [path.join('docs', 'adr', '0001-monolith.md'), 'adr', true],
      [path.join('docs', 'api', 'old-petstore.yaml'), 'openapi', false],
      [path.join('docs', 'api', 'openapi.yaml'), 'openapi', true],
      [path.join('docs', 'architecture', 'broken.mmd'), 'mermaid', false],
      [path.join('docs', 'architecture', 'services.mmd'), 'mermaid', true],
      [path.join('db', 'seed.sql'), 'sql', true],
      [path.join('db', 'migrations'), 'migrations', true],
    ]);
    assert.deepEqual(reports[1].problems, [{ line: 51, column: 27, message: 'Can\'t resolve $ref "#/components/schemas/UserLogData".', severity: 'error', source: 'redocly:no-unresolved-refs' }]);
    assert.deepEqual(reports[3].problems.map(p => [p.line, p.column]), [[2, 13]]);
    assert.deepEqual(sql.calls, [['sql'], [path.join('db', 'migrations', '0001_init.sql'), path.join('db', 'migrations', '0002_more.sql')]]);
  });

  it('exits 0 when nothing is invalid, and prints compiler-style lines without --json', async () => {
    const ok = await run(runValidateCommand, 'docs/api/openapi.yaml', 'docs/architecture/services.mmd');
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout, 'docs/api/openapi.yaml: ok (openapi)\ndocs/architecture/services.mmd: ok (mermaid)\n2 checked: 0 invalid.\n');
    const bad = await run(runValidateCommand, 'docs/architecture/broken.mmd');
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^docs\/architecture\/broken\.mmd: invalid \(mermaid\)\ndocs\/architecture\/broken\.mmd:2:13: error: Unexpected "end"/);
  });

  it('checks an explicitly named file whatever it is, and names the file of a failing migration', async () => {
    fs.writeFileSync(path.join(tmp, 'db', 'migrations', '0003_bad.sql'), 'broken;\n');
    const { code, stdout } = await run(runValidateCommand, '--json', 'docs/config.yaml', 'db/migrations');
    const reports = JSON.parse(stdout) as ValidateReport[];
    assert.deepEqual(reports.map(r => [r.file, r.kind, r.status]), [['docs/config.yaml', 'yaml', 'valid'], ['db/migrations', 'migrations', 'invalid']]);
    assert.equal(reports[1].problems[0].file, path.join('db', 'migrations', '0003_bad.sql'));
    assert.equal(code, 1);
  });

  it('reports SQL as unchecked, not ok-and-silent, when the SQL validator cannot load', async () => {
    sql.loadSql = () => Promise.reject(new Error('PGlite is not installed'));
    const { code, stdout } = await run(runValidateCommand, 'db/seed.sql');
    assert.equal(code, 0);
    assert.match(stdout, /db\/seed\.sql: unchecked \(sql\)\ndb\/seed\.sql:1: info: SQL validation unavailable: PGlite is not installed \[sql\]\n1 checked: 0 invalid, 1 unchecked\.\n/);
  });

  it('exits 2 for a missing path or a bad option, and still reports the rest', async () => {
    const missing = await run(runValidateCommand, '--json', 'nope.yaml', 'docs/api/openapi.yaml');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read nope\.yaml: no such file or folder/);
    assert.equal((JSON.parse(missing.stdout) as ValidateReport[]).length, 1);
    assert.equal((await run(runValidateCommand, '--frobnicate', 'docs')).code, 2);
    assert.equal((await run(runValidateCommand)).code, 2);
    assert.match((await run(runValidateCommand, '--help')).stdout, /^Usage: backend-architect validate/);
  });

  it('lists the artifacts of an answer, as JSON or text', async () => {
    const answer = path.join(artifactFixtures, 'answers', 'design-contract.md');
    const json = await run(runExtractCommand, '--json', answer);
    assert.equal(json.code, 0);
    const reports = JSON.parse(json.stdout) as ExtractReport[];
    assert.deepEqual(reports.map(r => [r.kind, r.path, r.language, r.startLine]), [
      ['mermaid', 'docs/architecture/services.mmd', 'mermaid', 7],
      ['openapi', 'docs/api/openapi.yaml', 'yaml', 19],
      ['sql', 'db/schema.sql', 'sql', 41],
      ['adr', 'docs/adr/0001-modular-monolith.md', 'markdown', 50],
    ]);
    assert.match(reports[2].content, /^CREATE TABLE orders \(/);
    const text = await run(runExtractCommand, path.join(artifactFixtures, 'answers', 'contract-ignored.md'));
    assert.match(text.stdout, /^a1 {2}openapi {2}docs\/api\/openapi\.yaml {2}\(yaml, line 6, 5 lines\) {2}will (create|replace) docs\/api\/openapi\.yaml/);
    assert.match(text.stdout, /a10 {2}mermaid {2}docs\/unfinished\.mmd {2}\(mermaid, line 61, 2 lines, no closing fence\) {2}will create docs\/unfinished\.mmd\n10 artifacts\.\n$/);
  });

  it('says, for each artifact, what writing it in the current folder would do, in the words the cards use (issue #18)', async () => {
    const answer = ['```yaml file=docs/api.yaml', 'openapi: 3.1.0', '```', '```sql file=../outside.sql', 'SELECT 1;', '```',
      '```json file=.vscode/settings.json', '{}', '```', '```sql file=db/schema.sql', 'CREATE TABLE a (id int);', '```', '```mermaid', 'graph TD; a-->b', '```', ''].join('\n');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-extract-'));
    try {
      fs.mkdirSync(path.join(folder, 'db'));
      fs.writeFileSync(path.join(folder, 'db', 'schema.sql'), 'CREATE TABLE old (id int);\n');
      let stdout = '';
      const code = await runExtractCommand(['--json', '-'], { stdout: s => { stdout += s; }, stderr: () => undefined }, { cwd: folder, readStdin: async () => answer });
      assert.equal(code, 0);
      assert.deepEqual((JSON.parse(stdout) as ExtractReport[]).map(r => r.write), [
        { action: 'create', words: 'will create docs/api.yaml' },
        { action: 'refused', words: 'refused: it climbs out of the folder (..)' },
        { action: 'ask', words: 'sensitive place: will ask (editor settings and tasks in .vscode/ can run commands)' },
        { action: 'replace', words: 'will replace db/schema.sql (diff first)' },
        { action: 'choose', words: 'no path: Write to Workspace asks for one' },
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('reads the answer from standard input with -, and exits 2 without exactly one answer', async () => {
    let stdout = '';
    const code = await runExtractCommand(['--json', '-'], { stdout: s => { stdout += s; }, stderr: () => undefined }, { readStdin: async () => '```sql\nCREATE TABLE t (id int);\n```\n' });
    assert.equal(code, 0);
    assert.deepEqual((JSON.parse(stdout) as ExtractReport[]).map(r => r.kind), ['sql']);
    assert.equal((await run(runExtractCommand)).code, 2);
    assert.equal((await run(runExtractCommand, 'a.md', 'b.md')).code, 2);
    assert.equal((await run(runExtractCommand, 'missing.md')).code, 2);
  });

  it('keeps terminal control characters from files out of the output', async () => {
    fs.writeFileSync(path.join(tmp, 'evil.mmd'), 'flowchart LR\n  a["\u001b[31mred"] --> end\n');
    const { stdout } = await run(runValidateCommand, 'evil.mmd');
    assert.ok(!stdout.includes('\u001b'));
  });
});
