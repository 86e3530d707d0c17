import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ArtifactProblem, ValidationResult } from '../../../../src/artifacts/types';
import { parseMermaidEr } from '../../../../src/artifacts/sql/erDiagram';
import { compareErDiagrams, shutdownSqlValidator, validateMigrations, validateSql } from '../../../../src/artifacts/sql/validateSql';
import { ensureDataDump, importEsm, readFixture, sqlFixtures, testOptions } from './sqlTestSupport';

type Note = [number, string, string];
interface SingleExpectation { status: string; errors: Array<[number, number, string]>; notes: Note[]; tables?: number; relationships?: number }
interface MigrationExpectation { status: string; errors: Array<[string, number, number, string]>; notes: Array<[string, number, string, string]> }
const expectations = JSON.parse(readFixture('expectations.json')) as {
  single: Record<string, SingleExpectation>; migrations: Record<string, MigrationExpectation>;
};

const errorsOf = (r: ValidationResult): ArtifactProblem[] => r.problems.filter(p => p.severity === 'error');
const er = (r: ValidationResult): string => r.derived?.find(d => d.language === 'mermaid')?.content ?? '';

/** Every note in `expected` is among the problems (line, severity, part of the message). */
function assertNotes(problems: ArtifactProblem[], expected: Note[], where: string): void {
  for (const [line, severity, part] of expected) {
    assert.ok(problems.some(p => p.line === line && p.severity === severity && p.message.includes(part)),
      `${where}: no ${severity} "${part}" on line ${line} in ${JSON.stringify(problems)}`);
  }
}

function migrationFiles(dir: string): Array<{ path: string; content: string }> {
  const root = path.join(sqlFixtures, dir);
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter(f => f.endsWith('.sql')).sort()
    .map(f => ({ path: f.split(path.sep).join('/'), content: fs.readFileSync(path.join(root, f), 'utf8') }));
}

describe('validateSql: real schemas run in PGlite (worker thread)', function () {
  this.timeout(120_000);
  before(ensureDataDump);
  after(shutdownSqlValidator);

  for (const [file, want] of Object.entries(expectations.single)) {
    it(`${file}: ${want.status}${want.errors.length ? `, errors at ${want.errors.map(e => `${e[0]}:${e[1]}`).join(', ')}` : ''}`, async () => {
      const result = await validateSql(readFixture(file), testOptions());
      assert.equal(result.status, want.status, JSON.stringify(result.problems));
      assert.deepEqual(errorsOf(result).map(p => [p.line, p.column]), want.errors.map(e => [e[0], e[1]]));
      errorsOf(result).forEach((p, i) => assert.ok(p.message.startsWith(want.errors[i][2]), p.message));
      assertNotes(result.problems, want.notes, file);
      if (want.tables !== undefined) {
        const model = parseMermaidEr(er(result));
        assert.equal(model.entities.length, want.tables, er(result));
        assert.equal(model.relations.length, want.relationships, er(result));
      }
    });
  }

  for (const [dir, want] of Object.entries(expectations.migrations)) {
    it(`${dir}: applied in order, ${want.status}, problems naming their files`, async () => {
      const files = migrationFiles(dir);
      const result = await validateMigrations(files, testOptions());
      assert.equal(result.status, want.status, JSON.stringify(result.problems));
      assert.deepEqual(errorsOf(result).map(p => [p.file, p.line, p.column]), want.errors.map(e => [e[0], e[1], e[2]]));
      errorsOf(result).forEach((p, i) => assert.ok(p.message.startsWith(want.errors[i][3]), p.message));
      for (const [file, line, severity, part] of want.notes) {
        assert.ok(result.problems.some(p => p.file === file && p.line === line && p.severity === severity && p.message.includes(part)), `${file}:${line} ${part}`);
      }
      assert.deepEqual(result.perFile.map(f => f.path), files.map(f => f.path));
      for (const f of result.perFile) {
        assert.equal(f.status, want.errors.some(e => e[0] === f.path) ? 'invalid' : 'valid', f.path);
      }
    });
  }

  it('a migration that depends on a missing earlier one fails on its own line, in its own file', async () => {
    const files = migrationFiles('migrations/umami').filter(f => !f.path.startsWith('01_init'));
    const result = await validateMigrations(files, testOptions());
    assert.equal(result.status, 'invalid');
    const first = errorsOf(result)[0];
    assert.deepEqual([first.file, first.line, first.column], ['02_report_schema_session_data/migration.sql', 2, 13]);
    assert.equal(first.message, 'relation "event_data" does not exist');
  });

  it('points a broken foreign key in pg_dump output at its line and the missing table', async () => {
    const text = readFixture('valid/pagila-schema.sql').replace('REFERENCES public.country(country_id)', 'REFERENCES public.countries(country_id)');
    const lines = text.split('\n');
    const line = lines.findIndex(l => l.includes('public.countries')) + 1;
    const result = await validateSql(text, testOptions());
    assert.deepEqual(errorsOf(result).map(p => [p.line, p.column, p.message]),
      [[line, lines[line - 1].indexOf('countries') + 1, 'relation "public.countries" does not exist']]);
    assert.equal(parseMermaidEr(er(result)).relations.length, 17, 'the ER diagram shows what was built');
  });

  it('gives UTF-16 columns after non-ASCII and astral characters, for parser and Postgres errors alike', async () => {
    const text = 'CREATE DOMAIN public."bıgınt" AS bigint;\n' +
      'CREATE TABLE "😀ü" (a public."bıgınt"); CREATE TABLE z (b nosuchtype);\n' +
      "COMMENT ON TABLE \"😀ü\" IS 'ok'; CREATE TABL x (y int);\n";
    const result = await validateSql(text, testOptions());
    const lines = text.split('\n');
    assert.deepEqual(errorsOf(result).map(p => [p.line, p.column, p.source]), [
      [2, lines[1].indexOf('nosuchtype') + 1, 'postgres:42704'],
      [3, lines[2].indexOf('TABL ') + 1, 'postgres:42601'],
    ]);
  });

  it("skips the script's own transaction control and rolls every check back (nothing leaks into the next)", async () => {
    const script = 'BEGIN;\nSET search_path = nowhere;\nCREATE TABLE public.leak (id int PRIMARY KEY);\nCOMMIT;\n';
    const first = await validateSql(script, testOptions());
    assert.equal(first.status, 'valid');
    assertNotes(first.problems, [[1, 'info', 'transaction control skipped: the check runs the whole script in its own transaction (and 1 more statement like it)']], 'first');
    const second = await validateSql(script, testOptions());
    assert.deepEqual(errorsOf(second), [], 'the table of the first check is gone');
    const third = await validateSql('CREATE TABLE plain (id int);', testOptions());
    assert.match(er(third), /^ {4}plain \{$/m, 'search_path was reset: the table is in public');
  });

  it('loads the extensions a schema asks for, and softens what a missing one explains', async () => {
    const ok = await validateSql('CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), name citext);\n', testOptions());
    assert.deepEqual(errorsOf(ok).map(p => p.message), ['type "citext" does not exist'], 'uuid-ossp loads; citext was not asked for');
    const withCitext = await validateSql('CREATE EXTENSION citext;\nCREATE TABLE t (name citext UNIQUE);\n', testOptions());
    assert.equal(withCitext.status, 'valid', JSON.stringify(withCitext.problems));
    const gis = await validateSql('CREATE EXTENSION postgis;\nCREATE TABLE place (id int PRIMARY KEY, at geometry(Point, 4326));\n', testOptions());
    assert.equal(gis.status, 'valid');
    assert.deepEqual(gis.problems.map(p => [p.line, p.severity]), [[1, 'warning'], [2, 'warning']]);
    assert.match(gis.problems[1].message, /perhaps from extension postgis/);
  });

  it('answers "unchecked" for a script over the size limit, and for that migration and the ones after it', async () => {
    const big = await validateSql(`-- ${'x'.repeat(200)}\nCREATE TABLE a (id int);`, testOptions({ maxChars: 100 }));
    assert.equal(big.status, 'unchecked');
    assert.match(big.problems[0].message, /SQL too large to check: 228 characters \(limit 100\)/);
    const files = [{ path: '1.sql', content: 'CREATE TABLE a (id int);' }, { path: '2.sql', content: 'SELECT 1;'.repeat(20) }, { path: '3.sql', content: 'CREATE TABLE b (id int);' }];
    const migrations = await validateMigrations(files, testOptions({ maxStatements: 10 }));
    assert.deepEqual([migrations.status, ...migrations.perFile.map(f => f.status)], ['unchecked', 'valid', 'unchecked', 'unchecked']);
  });

  it('queues concurrent checks on the one worker and answers each with its own result', async () => {
    const [a, b, c] = await Promise.all([
      validateSql('CREATE TABLE a (id int PRIMARY KEY);', testOptions()),
      validateSql('CREATE TABLE b (id nosuchtype);', testOptions()),
      validateSql(readFixture('valid/sqlc-jets-postgresql.sql'), testOptions()),
    ]);
    assert.deepEqual([a.status, b.status, c.status], ['valid', 'invalid', 'valid']);
    assert.equal(parseMermaidEr(er(c)).entities.length, 4);
  });

  it('offers the ER diagram Postgres built, which mermaid parses and which matches the model\'s own drawing', async function () {
    const result = await validateSql(readFixture('valid/sqlc-jets-postgresql.sql'), testOptions());
    assert.deepEqual(result.derived?.map(d => [d.kind, d.language, d.title]), [['mermaid', 'mermaid', 'ER diagram of the schema Postgres built']]);
    const mermaid = (await importEsm('mermaid')).default;
    assert.equal((await mermaid.parse(er(result))).diagramType, 'er');
    const model = 'erDiagram\n  PILOT ||--o{ JET : flies\n  PILOT }o--o{ LANGUAGE : speaks\n';
    assert.deepEqual(compareErDiagrams(er(result), model), [], 'the m:n is the pilot_languages junction table');
    const wrong = 'erDiagram\n  PILOT ||--o{ JET : flies\n  JET }o--|| AIRPORT : "based at"\n';
    assert.deepEqual(compareErDiagrams(er(result), wrong).map(p => [p.line, p.message]), [
      [3, '"AIRPORT" is in the ER diagram, but the SQL creates no such table'],
      [1, 'table "languages" is created by the SQL but is missing from the ER diagram'],
      [1, 'table "pilot_languages" is created by the SQL but is missing from the ER diagram'],
    ]);
  });
});
