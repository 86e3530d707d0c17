/**
 * The migration writer, proven in Postgres: for each case the migrations are applied, then the generated
 * SQL, and the catalog that results is compared with the target's (columns, types, nullability, defaults,
 * constraints, indexes, enums; generated sequence and constraint names and column order left aside). The
 * comparison is done here, independently of planMigration's own check.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planMigration, SqlFile } from '../../../../src/artifacts/sql/migrate';
import { snapshotDifferences } from '../../../../src/artifacts/sql/schemaCompare';
import { sqlValidatorFor, shutdownSqlValidator } from '../../../../src/artifacts/sql/validateSql';
import type { SchemaSnapshot } from '../../../../src/artifacts/sql/schemaSnapshot';
import { ensureDataDump, readFixture, sqlFixtures, testOptions } from './sqlTestSupport';

/** The schema `files` build, read by the test itself (through the checker, nothing of the diff). */
async function schemaOf(files: SqlFile[]): Promise<SchemaSnapshot> {
  const outcome = await sqlValidatorFor(testOptions()).check(files.map(f => ({ name: f.path, text: f.content })), {}, false, { snapshot: true });
  const errors = outcome.problems.filter(p => p.problem.severity === 'error');
  assert.deepEqual(errors, [], `errors while building: ${JSON.stringify(errors)}`);
  assert.ok(outcome.snapshot, outcome.unavailable);
  return outcome.snapshot;
}

const file = (p: string, content: string): SqlFile => ({ path: p, content });

/** Plans from `migrations` to `target`, applies both and asserts the catalogs match; returns the plan. */
async function provenMigration(migrations: SqlFile[], target: string | SqlFile[]) {
  const plan = await planMigration({ migrations, target }, testOptions());
  assert.equal(plan.status, 'changes', `${JSON.stringify(plan.problems)} ${plan.notes.join('; ')}`);
  const targetFiles = typeof target === 'string' ? [file('target.sql', target)] : target;
  const applied = await schemaOf([...migrations, file('new-session.sql', 'RESET search_path;'), file('next.sql', plan.sql)]);
  assert.deepEqual(snapshotDifferences(applied, await schemaOf(targetFiles)), [], `generated:\n${plan.sql}`);
  assert.deepEqual(plan.verified, { ok: true, differences: [] });
  return plan;
}

const base = `
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE users (id serial PRIMARY KEY, name text, legacy_code text, mood mood DEFAULT 'ok');
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id int REFERENCES users(id), title varchar(80) NOT NULL);
`;
const migrations = [file('V1__init.sql', base)];

describe('planMigration: the next migration, proven in PGlite', function () {
  this.timeout(180_000);
  before(ensureDataDump);
  after(shutdownSqlValidator);

  it('adds a table after the table it references, and its foreign key and index after both', async () => {
    const plan = await provenMigration(migrations, `${base}
      CREATE TABLE comments (id serial PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE, body text CHECK (length(body) > 0));
      CREATE INDEX comments_post_idx ON comments (post_id);`);
    const sql = plan.sql;
    assert.ok(sql.indexOf('CREATE TABLE comments') < sql.indexOf('FOREIGN KEY (post_id)'));
    assert.ok(sql.includes('id serial'), sql);
    assert.deepEqual(plan.confirm, []);
  });

  it('adds a column with a default and NOT NULL, and marks nothing destructive', async () => {
    const plan = await provenMigration(migrations, base.replace('name text,', "name text, email varchar(200) NOT NULL DEFAULT 'none',"));
    assert.match(plan.sql, /ALTER TABLE users ADD COLUMN email character varying\(200\) DEFAULT 'none'::character varying NOT NULL;/);
    assert.deepEqual(plan.confirm, []);
  });

  it('changes a type with a cast, marked destructive when it narrows', async () => {
    const plan = await provenMigration(migrations, base.replace('title varchar(80)', 'title varchar(40)').replace('user_id int', 'user_id bigint'));
    assert.match(plan.sql, /ALTER TABLE posts ALTER COLUMN title TYPE character varying\(40\) USING title::character varying\(40\);/);
    assert.deepEqual(plan.confirm.map(s => s.summary), ['column posts.title: type character varying(80) -> character varying(40)'],
      'widening user_id to bigint needs no confirmation, narrowing title does');
  });

  it('drops a column last, marked destructive', async () => {
    const plan = await provenMigration(migrations, base.replace(' legacy_code text,', ''));
    assert.equal(plan.steps.at(-1)?.sql, 'ALTER TABLE users DROP COLUMN legacy_code;');
    assert.match(plan.sql, /-- DESTRUCTIVE: drops column legacy_code of users and its data\nALTER TABLE users DROP COLUMN legacy_code;/);
  });

  it('renames a table with the same columns, as a guess to confirm, keeping its foreign keys', async () => {
    const target = base.replace('CREATE TABLE posts', 'CREATE TABLE articles');
    const plan = await provenMigration(migrations, target);
    assert.deepEqual(plan.steps.map(s => s.sql), ['ALTER TABLE posts RENAME TO articles;']);
    assert.match(plan.confirm[0].guess ?? '', /posts is gone and articles has the same columns/);
    assert.ok(!plan.sql.includes('DROP TABLE'));
  });

  it('creates a new enum before the column that uses it', async () => {
    const plan = await provenMigration(migrations, `CREATE TYPE plan_tier AS ENUM ('free', 'pro', 'team');\n${base.replace('name text,', "name text, tier plan_tier NOT NULL DEFAULT 'free',")}`);
    assert.ok(plan.sql.indexOf('CREATE TYPE plan_tier') < plan.sql.indexOf('ADD COLUMN tier'), plan.sql);
  });

  it('appends an enum value with ADD VALUE, not by recreating the type', async () => {
    const plan = await provenMigration(migrations, base.replace("('sad', 'ok')", "('sad', 'ok', 'happy')"));
    assert.deepEqual(plan.steps.map(s => s.sql), ["ALTER TYPE mood ADD VALUE 'happy' AFTER 'ok';"]);
  });

  it('recreates an enum that loses a label, converting its columns, and says rows may not convert', async () => {
    const plan = await provenMigration(migrations, base.replace("('sad', 'ok')", "('ok', 'great')"));
    assert.ok(plan.sql.includes('ALTER TYPE mood RENAME TO mood__old;'), plan.sql);
    assert.match(plan.confirm.map(s => s.destructive).join(), /holding sad cannot convert/);
  });

  it('uses a label added in the same migration without ADD VALUE (Postgres would refuse it before a commit)', async () => {
    await provenMigration(migrations, base.replace("('sad', 'ok')", "('sad', 'ok', 'new')").replace("DEFAULT 'ok'", "DEFAULT 'new'"));
  });

  it('adds an index, a unique constraint and a foreign key on existing tables', async () => {
    const plan = await provenMigration(migrations, `${base}
      CREATE INDEX posts_title_idx ON posts (lower(title));
      ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name);
      CREATE TABLE tags (id int PRIMARY KEY, post_id bigint);
      ALTER TABLE tags ADD FOREIGN KEY (post_id) REFERENCES posts (id);`);
    assert.ok(plan.sql.includes('CREATE INDEX posts_title_idx ON public.posts USING btree (lower((title)::text));'), plan.sql);
    assert.ok(plan.sql.includes('ALTER TABLE users ADD CONSTRAINT users_name_key UNIQUE (name);'), plan.sql);
  });

  it('drops a table last, marked destructive, after the foreign keys that point at it', async () => {
    const target = base.replace(/CREATE TABLE users[^;]*;/, '').replace(' REFERENCES users(id)', '');
    const plan = await provenMigration(migrations, target);
    assert.deepEqual(plan.steps.map(s => s.sql), ['ALTER TABLE posts DROP CONSTRAINT posts_user_id_fkey;', 'DROP TABLE users;']);
    assert.match(plan.steps[1].destructive ?? '', /all its rows/);
  });

  it('says so when its SQL does not reach the target (a partition bound it does not rewrite)', async () => {
    const schema = (upTo: string): string => `CREATE TABLE ev (at date NOT NULL) PARTITION BY RANGE (at);
      CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('${upTo}');`;
    const plan = await planMigration({ migrations: [file('0001_ev.sql', schema('2026-01-01'))], target: schema('2025-07-01') }, testOptions());
    assert.equal(plan.verified?.ok, false);
    assert.match(plan.verified?.differences.join('\n') ?? '', /public\.ev_2025 > partitionOf/);
    assert.match(plan.notes.join('\n'), /ev_2025: partitioning changed \(not written\)/);
  });

  it('writes only a comment when nothing changes', async () => {
    const plan = await planMigration({ migrations, target: base }, testOptions());
    assert.equal(plan.status, 'unchanged');
    assert.equal(plan.sql, '-- No changes: the migrations already build this schema.\n');
  });

  it('refuses to plan from migrations that do not apply, naming the file and line', async () => {
    const plan = await planMigration({ migrations: [...migrations, file('V2__bad.sql', 'ALTER TABLE nope ADD COLUMN x int;')], target: base }, testOptions());
    assert.equal(plan.status, 'failed');
    assert.equal(plan.problems[0].file, 'V2__bad.sql');
    assert.match(plan.problems[0].message, /"nope" does not exist/);
  });

  it('evolves a real schema: umami\'s Prisma migrations 01-02 to the schema 01-05 build', async () => {
    const dir = path.join(sqlFixtures, 'migrations', 'umami');
    const steps = fs.readdirSync(dir).sort().map(d => file(`${d}/migration.sql`, fs.readFileSync(path.join(dir, d, 'migration.sql'), 'utf8')));
    const plan = await provenMigration(steps.slice(0, 2), steps);
    assert.ok(plan.steps.length > 5, plan.sql);
  });

  it('evolves a real schema: pagila with a new table, column, view and enum value, a dropped column and a retyped column under two views', async () => {
    const pagila = readFixture('valid/pagila-schema.sql');
    const edits: Array<[string, string]> = [
      ["'NC-17'", "'NC-17',\n    'X'"],
      ['    last_name text NOT NULL,\n', '    last_name text NOT NULL,\n    nickname text,\n'],
      ['    phone text NOT NULL,\n', '    phone character varying(40) NOT NULL,\n'],
    ];
    const edited = edits.reduce((text, [from, to]) => {
      assert.ok(text.includes(from), `pagila holds ${from}`);
      return text.replace(from, to);
    }, pagila);
    const target = `${edited}
CREATE TABLE public.review (review_id serial PRIMARY KEY, film_id integer NOT NULL REFERENCES public.film(film_id), stars smallint CHECK (stars BETWEEN 1 AND 5));
CREATE VIEW public.film_titles AS SELECT film_id, title FROM public.film;
ALTER TABLE public.staff DROP COLUMN picture;`;
    const plan = await provenMigration([file('pagila.sql', pagila)], target);
    const sql = plan.steps.map(s => s.sql);
    assert.ok(sql.includes("ALTER TYPE mpaa_rating ADD VALUE 'X' AFTER 'NC-17';"), plan.sql);
    assert.ok(plan.steps.some(s => s.sql === 'ALTER TABLE staff DROP COLUMN picture;' && s.destructive));
    // customer_list and staff_list read address.phone: dropped before the type change, created again after it.
    for (const view of ['customer_list', 'staff_list']) {
      const dropAt = sql.indexOf(`DROP VIEW ${view};`);
      assert.ok(dropAt !== -1 && dropAt < sql.findIndex(s => s.includes('ALTER COLUMN phone TYPE')), plan.sql);
      assert.ok(sql.findIndex(s => s.startsWith(`CREATE VIEW ${view} AS`)) > dropAt);
    }
    assert.ok(!sql.includes('DROP VIEW actor_info;'), 'views that read nothing that changed stay');
  });
});
