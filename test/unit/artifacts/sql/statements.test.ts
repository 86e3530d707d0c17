import * as assert from 'node:assert/strict';
import { calledFunctions, classifyStatement } from '../../../../src/artifacts/sql/allowlist';
import { loadPgParser, parseStatements, PgParser, planScript } from '../../../../src/artifacts/sql/statements';

const limits = { maxChars: 100_000, maxStatements: 100, maxSyntaxErrors: 5 };

describe('SQL statements and the allowlist', () => {
  let parser: PgParser;
  before(async () => { parser = await loadPgParser(); });

  const verdictOf = (sql: string) => {
    const plan = planScript(parser, sql, limits);
    assert.equal(plan.statements.length, 1, `one statement in ${sql}`);
    return plan.statements[0].verdict;
  };

  it('places statements by the parser, in UTF-16 indexes, after multi-byte text', () => {
    const sql = "-- héllo 😀\nCREATE TABLE a (id int);\nCOMMENT ON TABLE a IS 'ü';";
    const { statements, errors } = parseStatements(parser, sql, []);
    assert.equal(errors.length, 0);
    assert.deepEqual(statements.map(s => [s.type, s.text]), [['CreateStmt', 'CREATE TABLE a (id int)'], ['CommentStmt', "COMMENT ON TABLE a IS 'ü'"]]);
  });

  it('reports a syntax error on its line and column and still parses the statements around it (as psql would)', () => {
    const sql = "CREATE TABLE a (id int);\nSELECT '😀'; CREATE TABL b (x int);\nCREATE TABLE c (id int);";
    const plan = planScript(parser, sql, limits);
    assert.deepEqual(plan.notes.filter(n => n.severity === 'error').map(n => [n.line, n.column, n.message]),
      [[2, 21, 'syntax error at or near "TABL"']]);
    assert.deepEqual(plan.statements.map(s => [s.type, s.line]), [['CreateStmt', 1], ['SelectStmt', 2], ['CreateStmt', 3]]);
  });

  it('reports several syntax errors, and gives up after the limit', () => {
    const sql = Array.from({ length: 8 }, (_, i) => `CREATE TABL t${i} (x int);`).join('\n');
    const plan = planScript(parser, sql, limits);
    assert.equal(plan.notes.filter(n => n.severity === 'error').length, 5);
    assert.ok(plan.notes.some(n => /stopped after 5 syntax errors/.test(n.message)));
  });

  it('refuses scripts over the size or statement limits without running anything', () => {
    assert.ok(planScript(parser, 'x'.repeat(200_000), limits).refused);
    const many = planScript(parser, 'SELECT 1;'.repeat(101), limits);
    assert.ok(many.refused);
    assert.match(many.notes.at(-1)!.message, /too many statements/);
  });

  it('runs schema statements as written', () => {
    for (const sql of [
      'CREATE TABLE t (id int PRIMARY KEY)', 'ALTER TABLE t ADD COLUMN x text', 'CREATE TYPE s AS ENUM (\'a\')',
      'CREATE VIEW v AS SELECT 1', 'CREATE SEQUENCE s', "COMMENT ON TABLE t IS 'x'", 'CREATE SCHEMA app',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$SELECT 1$$', 'CREATE FUNCTION f() RETURNS int BEGIN ATOMIC SELECT 1; END',
      'CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f()', 'DROP TABLE IF EXISTS t',
      "SET search_path = public", "SELECT pg_catalog.set_config('search_path', '', false)",
      "SELECT pg_catalog.setval('public.s', 200, true)", "INSERT INTO t VALUES (1, 'a')", 'UPDATE t SET x = 1 WHERE id = 2',
    ]) {
      assert.deepEqual(verdictOf(sql), { action: 'run', sql }, sql);
    }
  });

  it('rewrites what cannot run in a transaction block without moving earlier positions', () => {
    assert.deepEqual(verdictOf('CREATE INDEX CONCURRENTLY i ON t (a)'), { action: 'run', sql: 'CREATE INDEX              i ON t (a)' });
    const note = 'created WITH NO DATA: its query is checked, not run';
    assert.deepEqual(verdictOf('CREATE MATERIALIZED VIEW v AS SELECT 1'), { action: 'run', sql: 'CREATE MATERIALIZED VIEW v AS SELECT 1\nWITH NO DATA', note });
    assert.deepEqual(verdictOf('CREATE MATERIALIZED VIEW v AS SELECT 1 WITH DATA'), { action: 'run', sql: 'CREATE MATERIALIZED VIEW v AS SELECT 1 WITH NO DATA', note });
    assert.deepEqual(verdictOf('CREATE TABLE t AS SELECT generate_series(1, 1000000000)'), { action: 'run', sql: 'CREATE TABLE t AS SELECT generate_series(1, 1000000000)\nWITH NO DATA', note });
    assert.deepEqual(verdictOf('CREATE MATERIALIZED VIEW v AS SELECT 1 WITH NO DATA'), { action: 'run', sql: 'CREATE MATERIALIZED VIEW v AS SELECT 1 WITH NO DATA' });
  });

  it('skips ownership, privileges and transaction control quietly (info)', () => {
    for (const sql of ['BEGIN', 'COMMIT', 'ALTER TABLE public.t OWNER TO postgres', 'GRANT ALL ON t TO app', 'ALTER SCHEMA s OWNER TO x',
      'CREATE ROLE app', 'SET ROLE app', 'RESET ALL', 'CREATE EXTENSION IF NOT EXISTS plpgsql']) {
      const v = verdictOf(sql);
      assert.equal(v.action === 'skip' && v.severity, 'info', sql);
    }
  });

  it('refuses (warning) what runs code, touches files or the server, or makes no sense in a schema check', () => {
    const cases: Array<[string, RegExp]> = [
      ['DO $$BEGIN LOOP END LOOP; END$$', /DO block not run/],
      ["COPY (SELECT 1) TO '/tmp/x'", /no access to files/],
      ["COPY t FROM PROGRAM 'id'", /runs no programs/],
      ['COPY t FROM stdin', /loads no data/],
      ['CREATE DATABASE shop', /CREATE DATABASE not run/],
      ['SELECT pg_sleep(600)', /does not run SELECT/],
      ["SELECT pg_catalog.set_config('role', 'x', false)", /does not run SELECT/],
      ['WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t', /does not run SELECT/],
      ['INSERT INTO t SELECT generate_series(1, 1000000000)', /only runs INSERT \.\.\. VALUES/],
      ['INSERT INTO t VALUES (pg_sleep(10))', /calls pg_sleep\(\)/],
      ["INSERT INTO t VALUES (pg_read_file('/etc/passwd'))", /calls pg_read_file\(\)/],
      ['UPDATE t SET x = 1 FROM generate_series(1, 10) g', /UPDATE \.\.\. FROM not run/],
      ["ALTER TABLE t ADD COLUMN c int DEFAULT pg_catalog.pg_sleep(5)::int", /calls pg_sleep\(\)/],
      ['SET allow_system_table_mods = on', /not applied/],
      ['SET temp_file_limit = -1', /not applied/],
      ["LOAD '/tmp/x.so'", /loads no libraries/],
      ['ALTER SYSTEM SET work_mem = 1', /ALTER SYSTEM/],
      ["CREATE FUNCTION s(text) RETURNS int LANGUAGE c AS 'libc', 'system'", /only LANGUAGE sql and plpgsql/],
      ['CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION f()', /event trigger/],
      ['CALL p()', /CALL not run/], ['EXPLAIN ANALYZE SELECT 1', /EXPLAIN not run/],
      ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", /connect to other servers/],
      ['VACUUM', /VACUUM/], ['NOTIFY c', /NOTIFY/], ['PREPARE p AS SELECT 1', /PREPARE/],
    ];
    for (const [sql, message] of cases) {
      const v = verdictOf(sql);
      assert.equal(v.action, 'skip', sql);
      assert.match(v.action === 'skip' ? v.message : '', message, sql);
    }
  });

  it('hands CREATE EXTENSION to the worker, naming the extension', () => {
    assert.deepEqual(verdictOf('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"'), { action: 'run', sql: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"', extension: 'uuid-ossp' });
  });

  it('reports an unknown statement type as not on the allowlist', () => {
    assert.match(JSON.stringify(classifyStatement('FrobnicateStmt', {}, 'FROB')), /not on the schema-check allowlist/);
  });

  it('finds function calls anywhere in a statement, by their last name part', () => {
    const stmt = parser.parseSync("INSERT INTO t VALUES (upper(pg_catalog.pg_sleep(1)::text))").stmts![0].stmt!;
    assert.deepEqual(calledFunctions(stmt).sort(), ['pg_sleep', 'upper']);
  });

  it('notes psql meta-commands as warnings and folds repeated info notes', () => {
    const sql = '\\connect shop\nALTER TABLE a OWNER TO x;\nALTER TABLE b OWNER TO x;\nALTER TABLE c OWNER TO x;';
    const plan = planScript(parser, sql, limits);
    assert.deepEqual(plan.notes.map(n => [n.line, n.severity, n.message]), [
      [1, 'warning', 'psql meta-command \\connect not run: it is not SQL'],
      [2, 'info', 'ownership skipped: roles belong to the target server (and 2 more statements like it)'],
    ]);
  });

  it('says how many COPY data lines were skipped with the COPY', () => {
    const plan = planScript(parser, 'COPY t (a) FROM stdin;\n1\n2\n3\n\\.\n', limits);
    assert.deepEqual(plan.notes.map(n => [n.line, n.severity, n.message]), [[1, 'warning', 'COPY ... FROM stdin not run: a schema check loads no data (3 data lines skipped)']]);
  });
});
