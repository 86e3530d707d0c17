import * as assert from 'node:assert/strict';
import { keepsDownMigrations, migrationFolderCandidates, migrationNameFor, summarizeMigration } from '../../../src/artifacts/migrationOffer';
import { Phase } from '../../../src/artifacts/sql/diffSupport';
import type { MigrationPlan, MigrationStep } from '../../../src/artifacts/sql/migrate';

describe('Write as Migration: finding the migrations folder', () => {
  it('finds Flyway, Prisma and numbered folders, the fullest first', () => {
    const found = migrationFolderCandidates([
      'src/main/resources/db/migration/V1__init.sql', 'src/main/resources/db/migration/V2__orders.sql', 'src/main/resources/db/migration/V3__idx.sql',
      'prisma/migrations/20240101120000_init/migration.sql', 'prisma/migrations/20240201120000_orders/migration.sql',
      'db/migrations/0001_init.up.sql', 'db/migrations/0001_init.down.sql',
    ]);
    assert.deepEqual(found.map(f => f.dir), ['src/main/resources/db/migration', 'db/migrations', 'prisma/migrations']);
    assert.deepEqual(found[2].files, ['prisma/migrations/20240101120000_init/migration.sql', 'prisma/migrations/20240201120000_orders/migration.sql']);
  });

  it('leaves out SQL that is no migration: a schema file, seeds, test fixtures', () => {
    assert.deepEqual(migrationFolderCandidates(['db/schema.sql', 'seeds/products.sql', 'test/migrations/0001_x.sql', 'schema.sql']), []);
  });
});

describe('Write as Migration: the name a card suggests', () => {
  it('takes the words of the file name, without version or number', () => {
    assert.equal(migrationNameFor('db/add_orders.sql'), 'add orders');
    assert.equal(migrationNameFor('db/migration/V7__Add-Customer-Email.sql'), 'add customer email');
    assert.equal(migrationNameFor('migrations/0003_index_orders.up.sql'), 'index orders');
  });

  it('says "schema change" when the name tells nothing', () => {
    assert.equal(migrationNameFor('db/schema.sql'), 'schema change');
    assert.equal(migrationNameFor(undefined), 'schema change');
    assert.equal(migrationNameFor('db/V1__init.sql'), 'schema change');
  });

  it('writes a down migration only for the tools that keep them', () => {
    assert.deepEqual((['flyway', 'prisma', 'numbered', 'golang-migrate', 'dbmate', 'goose'] as const).filter(keepsDownMigrations), ['golang-migrate', 'dbmate', 'goose']);
  });
});

describe('Write as Migration: the confirmation', () => {
  const plan = (over: Partial<MigrationPlan>): MigrationPlan => ({ status: 'changes', steps: [], sql: '', confirm: [], notes: [], problems: [], ...over });
  const add: MigrationStep = { phase: Phase.AlterColumns, sql: 'ALTER TABLE products ADD COLUMN price_cents integer;', summary: 'column products.price_cents: added' };
  const drop: MigrationStep = { phase: Phase.DropColumns, sql: 'ALTER TABLE products DROP COLUMN legacy_code;', summary: 'column products.legacy_code: removed', destructive: 'drops column legacy_code of products and its data' };
  const rename: MigrationStep = { phase: Phase.RenameTables, sql: 'ALTER TABLE client RENAME TO customer;', summary: 'table client: renamed to customer', guess: 'client and customer have the same columns' };

  it('lists what loses data and what is guessed first, marked, then the rest, and says it was checked', () => {
    const s = summarizeMigration(plan({ steps: [add, drop, rename], verified: { ok: true, differences: [] } }), ['db/migration/V3__x.sql']);
    assert.equal(s.message, 'Write db/migration/V3__x.sql (3 steps, 2 to read first)?');
    assert.deepEqual(s.risky, [
      'DESTRUCTIVE: column products.legacy_code: removed (drops column legacy_code of products and its data)',
      'GUESS: table client: renamed to customer (client and customer have the same columns)',
    ]);
    const lines = s.detail.split('\n');
    assert.ok(lines.indexOf(`• ${s.risky[0]}`) < lines.indexOf('• column products.price_cents: added'), s.detail);
    assert.match(s.detail, /Checked in the embedded Postgres/);
    assert.equal(s.unverified, false);
  });

  it('warns when the SQL did not reach the card\'s schema, naming the differences', () => {
    const s = summarizeMigration(plan({ steps: [add], verified: { ok: false, differences: ['column products.price_cents: default differs'] } }), ['a.sql', 'a.down.sql']);
    assert.equal(s.unverified, true);
    assert.deepEqual(s.risky, []);
    assert.match(s.detail, /Warning: applying this SQL after the existing migrations does not give the card's schema:\n• column products\.price_cents: default differs/);
    assert.match(s.detail, /Files: a\.sql, a\.down\.sql/);
    assert.doesNotMatch(s.detail, /Checked in the embedded Postgres/);
  });
});
