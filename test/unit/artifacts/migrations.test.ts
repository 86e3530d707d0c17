import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describeMigrationFolder, groupMigrations, MigrationFolder, migrationUpText } from '../../../src/artifacts/migrations';
import { nextMigrationFiles } from '../../../src/artifacts/nextMigration';

const p = (...parts: string[]): string => path.join(...parts);

describe('migration sequences', () => {
  it('orders numbered files by number, not by name, and drops down migrations', () => {
    const { sequences, standalone } = groupMigrations([
      p('db', 'migrations', '10_add_index.sql'), p('db', 'migrations', '2_users.sql'), p('db', 'migrations', '1_init.up.sql'),
      p('db', 'migrations', '1_init.down.sql'), p('db', 'schema.sql'),
    ]);
    assert.deepEqual(sequences, [{ dir: p('db', 'migrations'), files: [p('db', 'migrations', '1_init.up.sql'), p('db', 'migrations', '2_users.sql'), p('db', 'migrations', '10_add_index.sql')] }]);
    assert.deepEqual(standalone, [p('db', 'schema.sql')]);
  });

  it('orders Flyway versions part by part, repeatables last, undo files out', () => {
    const dir = p('src', 'main', 'resources', 'db', 'migration');
    const { sequences } = groupMigrations(['V1.10__c.sql', 'V1.2__b.sql', 'R__views.sql', 'V1__a.sql', 'U1__undo.sql', 'V2__d.sql'].map(f => p(dir, f)));
    assert.deepEqual(sequences[0].files.map(f => path.basename(f)), ['V1__a.sql', 'V1.2__b.sql', 'V1.10__c.sql', 'V2__d.sql', 'R__views.sql']);
  });

  it('reads Prisma\'s one-folder-per-step layout as one sequence named by the migrations folder', () => {
    const base = p('prisma', 'migrations');
    const { sequences, standalone } = groupMigrations([
      p(base, '20240301090000_add_orders', 'migration.sql'), p(base, '20240101120000_init', 'migration.sql'),
    ]);
    assert.deepEqual(sequences, [{ dir: base, files: [p(base, '20240101120000_init', 'migration.sql'), p(base, '20240301090000_add_orders', 'migration.sql')] }]);
    assert.deepEqual(standalone, []);
  });

  it('leaves a lone numbered file and unnumbered files standing alone', () => {
    assert.deepEqual(groupMigrations([p('a', '0001_init.sql'), p('b', 'seed.sql')]), { sequences: [], standalone: [p('a', '0001_init.sql'), p('b', 'seed.sql')] });
  });
});

describe('migration folders: tool, what is not read, the up part', () => {
  it('names the tool and lists code migrations, down files and stray SQL as not read, with the reason', () => {
    const dir = p('db', 'migrations');
    const folder = describeMigrationFolder(dir, [
      { path: p(dir, '000002_users.up.sql') }, { path: p(dir, '000001_init.up.sql') }, { path: p(dir, '000001_init.down.sql') },
      { path: p(dir, '20240101_seed.js') }, { path: p(dir, 'env.py') }, { path: p(dir, 'notes.sql') }, { path: p(dir, 'README.md') },
    ]);
    assert.equal(folder.tool, 'golang-migrate');
    assert.deepEqual(folder.files, [p(dir, '000001_init.up.sql'), p(dir, '000002_users.up.sql')]);
    assert.deepEqual(folder.notRead.map(n => [path.basename(n.file), n.reason.split(/[:(]/)[0].trim()]), [
      ['000001_init.down.sql', 'a down migration'], ['20240101_seed.js', 'written as JavaScript/TypeScript code'],
      ['env.py', 'written as Python code'], ['notes.sql', 'not named as a migration step'],
    ]);
  });

  it('tells dbmate and goose from their markers, Prisma and Flyway from their names', () => {
    const one = (file: string, content = ''): string => describeMigrationFolder('m', [{ path: p('m', file), content }]).tool;
    assert.equal(one('20240101120000_init.sql', '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n'), 'dbmate');
    assert.equal(one('00001_init.sql', '-- +goose Up\nCREATE TABLE a (id int);\n'), 'goose');
    assert.equal(one(p('20240101120000_init', 'migration.sql')), 'prisma');
    assert.equal(one('V1__init.sql'), 'flyway');
    assert.equal(one('0001_init.sql', 'CREATE TABLE a (id int);'), 'numbered');
  });

  it('applies only the up part of a dbmate or goose file, keeping line numbers', () => {
    const dbmate = '-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n';
    assert.equal(migrationUpText(dbmate), '-- migrate:up\nCREATE TABLE a (id int);\n\n');
    assert.equal(migrationUpText('-- +goose Up\nCREATE TABLE a (id int);\n-- +goose Down\nDROP TABLE a;\n'), '-- +goose Up\nCREATE TABLE a (id int);\n');
    assert.equal(migrationUpText('CREATE TABLE a (id int);\n-- migrate:down is only a comment here\n'), 'CREATE TABLE a (id int);\n-- migrate:down is only a comment here\n');
  });
});

describe('the next migration file', () => {
  const now = new Date('2026-03-04T05:06:07Z');
  const folder = (tool: MigrationFolder['tool'], files: string[], notRead: string[] = []): MigrationFolder =>
    ({ dir: 'mig', tool, files: files.map(f => p('mig', f)), notRead: notRead.map(f => ({ file: p('mig', f), reason: '' })) });
  const names = (f: MigrationFolder, down?: string): string[] => nextMigrationFiles(f, { name: 'Add orders!', up: 'SELECT 1;', down, now }).map(x => x.path);

  it('takes the next Flyway version, Prisma timestamp, number in the same width and separator', () => {
    assert.deepEqual(names(folder('flyway', ['V5__a.sql', 'V6__b.sql', 'R__views.sql'])), [p('mig', 'V7__add_orders.sql')]);
    assert.deepEqual(names(folder('flyway', ['V1_1__a.sql', 'V1_2__b.sql'])), [p('mig', 'V1_3__add_orders.sql')]);
    assert.deepEqual(names(folder('prisma', [p('20240101120000_init', 'migration.sql')])), [p('mig', '20260304050607_add_orders', 'migration.sql')]);
    assert.deepEqual(names(folder('numbered', ['0009-a.sql'])), [p('mig', '0010-add_orders.sql')]);
    assert.deepEqual(names(folder('numbered', ['20240101120000_a.sql'])), [p('mig', '20260304050607_add_orders.sql')]);
  });

  it('never goes back in time: a clock behind the newest timestamp takes the next second', () => {
    assert.deepEqual(names(folder('prisma', [p('20990101000000_future', 'migration.sql')])), [p('mig', '20990101000001_add_orders', 'migration.sql')]);
  });

  it('writes golang-migrate up and down files, dbmate and goose sections', () => {
    assert.deepEqual(names(folder('golang-migrate', ['000006_b.up.sql'], ['000006_b.down.sql']), 'DROP TABLE x;'),
      [p('mig', '000007_add_orders.up.sql'), p('mig', '000007_add_orders.down.sql')]);
    const [dbmate] = nextMigrationFiles(folder('dbmate', ['20240101120000_a.sql']), { name: 'x', up: 'CREATE TABLE x (id int);', down: 'DROP TABLE x;', now });
    assert.equal(dbmate.content, '-- migrate:up\nCREATE TABLE x (id int);\n\n-- migrate:down\nDROP TABLE x;\n');
    assert.equal(migrationUpText(dbmate.content), '-- migrate:up\nCREATE TABLE x (id int);\n\n', 'what we write reads back as its up part');
    const [goose] = nextMigrationFiles(folder('goose', ['00003_a.sql']), { name: 'x', up: 'SELECT 1;', now });
    assert.equal(goose.path, p('mig', '00004_x.sql'));
    assert.match(goose.content, /^-- \+goose Up\n-- \+goose StatementBegin\nSELECT 1;\n-- \+goose StatementEnd\n\n-- \+goose Down\n$/);
  });
});
