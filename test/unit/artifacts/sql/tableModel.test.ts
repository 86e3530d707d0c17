import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidateCommand, type ValidateReport } from '../../../../src/artifacts/cliArtifacts';
import { tableSummaries } from '../../../../src/artifacts/sql/tableModel';
import { shutdownSqlValidator, validateMigrations, validateSql } from '../../../../src/artifacts/sql/validateSql';
import type { TableModel, TableView } from '../../../../src/protocol';
import { ensureDataDump, readFixture, sqlFixtures, testOptions } from './sqlTestSupport';

async function modelOf(sql: string): Promise<TableModel> {
  const result = await validateSql(sql, testOptions());
  assert.notEqual(result.status, 'invalid', JSON.stringify(result.problems));
  assert.ok(result.tables, 'no table model');
  return result.tables;
}

const table = (m: TableModel, name: string): TableView => {
  const t = m.tables.find(x => x.name === name);
  assert.ok(t, `no ${name} in ${m.tables.map(x => x.name).join(', ')}`);
  return t;
};

describe('table model: what Postgres built, from the catalog of the check', function () {
  this.timeout(120_000);
  before(ensureDataDump);
  after(shutdownSqlValidator);

  let pagila: TableModel;
  before(async () => { pagila = await modelOf(readFixture('valid/pagila-schema.sql')); });

  it('pagila: the view tests\' snapshot of the model is what the model gives today (UPDATE_FIXTURES=1 rewrites it)', () => {
    const file = path.join(sqlFixtures, 'pagila.tables.json');
    if (process.env.UPDATE_FIXTURES === '1') { fs.writeFileSync(file, `${JSON.stringify(pagila, null, 1)}\n`); }
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(pagila)));
  });

  it('pagila: 15 tables, the 7 partitions of payment right after it, then 8 views', () => {
    const kinds = pagila.tables.map(t => t.kind);
    assert.equal(kinds.filter(k => k === 'table' || k === 'partitioned table').length, 15);
    assert.equal(kinds.filter(k => k === 'partition').length, 7);
    assert.deepEqual(pagila.tables.filter(t => t.kind.includes('view')).map(t => `${t.name}:${t.kind}`), [
      'actor_info:view', 'customer_list:view', 'film_list:view', 'nicer_but_slower_film_list:view',
      'rental_by_category:materialized view', 'sales_by_film_category:view', 'sales_by_store:view', 'staff_list:view',
    ]);
    const at = pagila.tables.findIndex(t => t.name === 'payment');
    assert.deepEqual(pagila.tables.slice(at + 1, at + 8).map(t => t.name), Array.from({ length: 7 }, (_, i) => `payment_p2022_0${i + 1}`));
  });

  it('pagila: the partitioned table, its key and bounds; each partition with its own keys', () => {
    const payment = table(pagila, 'payment');
    assert.equal(payment.kind, 'partitioned table');
    assert.equal(payment.partitionKey, 'RANGE (payment_date)');
    assert.deepEqual(payment.primaryKey, ['payment_date', 'payment_id']);
    assert.equal(payment.partitions?.length, 7);
    const january = table(pagila, 'payment_p2022_01');
    assert.equal(january.partitionOf, 'payment');
    assert.match(january.bound ?? '', /^FOR VALUES FROM \('2022-01-01 00:00:00\+00'\) TO \('2022-02-01 00:00:00\+00'\)$/);
    assert.deepEqual(january.primaryKey, ['payment_date', 'payment_id']);
    assert.deepEqual(january.foreignKeys.map(f => `${f.columns.join(',')}->${f.references.table}(${f.references.columns.join(',')})`).sort(),
      ['customer_id->customer(customer_id)', 'rental_id->rental(rental_id)', 'staff_id->staff(staff_id)']);
  });

  it('pagila: composite primary key, foreign keys with their rules, indexes, defaults and the enum', () => {
    const filmActor = table(pagila, 'film_actor');
    assert.deepEqual(filmActor.primaryKey, ['actor_id', 'film_id']);
    assert.equal(filmActor.foreignKeys.find(f => f.columns[0] === 'actor_id')?.definition,
      'FOREIGN KEY (actor_id) REFERENCES actor(actor_id) ON UPDATE CASCADE ON DELETE RESTRICT');
    assert.deepEqual(filmActor.indexes.map(i => [i.name, i.columns.join(','), i.primary]), [['film_actor_pkey', 'actor_id,film_id', true], ['idx_fk_film_id', 'film_id', false]]);
    assert.deepEqual(filmActor.columns.map(c => [c.name, c.type, c.nullable, c.default]), [
      ['actor_id', 'integer', false, null], ['film_id', 'integer', false, null], ['last_update', 'timestamp with time zone', false, 'now()'],
    ]);
    const film = table(pagila, 'film');
    assert.deepEqual(film.columns.find(c => c.name === 'rating'), { name: 'rating', type: 'mpaa_rating', nullable: true, default: "'G'::mpaa_rating" });
    assert.deepEqual(pagila.enums, [{ name: 'mpaa_rating', values: ['G', 'PG', 'PG-13', 'R', 'NC-17'] }]);
    assert.match(pagila.er ?? '', /^erDiagram\n/);
  });

  it('validate --json lists every table Postgres built, partitions included and views not', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-tables-'));
    try {
      fs.copyFileSync(path.join(sqlFixtures, 'valid', 'pagila-schema.sql'), path.join(tmp, 'pagila.sql'));
      let stdout = '';
      const code = await runValidateCommand(['--json', 'pagila.sql'], { stdout: s => { stdout += s; }, stderr: () => undefined },
        { cwd: tmp, loadSql: async () => ({ validateSql: text => validateSql(text, testOptions()), validateMigrations: files => validateMigrations(files, testOptions()) }) });
      assert.equal(code, 0);
      const [report] = JSON.parse(stdout) as ValidateReport[];
      assert.equal(report.tables?.length, 22);
      assert.deepEqual(report.tables, tableSummaries(pagila));
      const address = report.tables?.find(t => t.name === 'address');
      assert.deepEqual(address?.columns[0], { name: 'address_id', type: 'integer', nullable: false, default: "nextval('address_address_id_seq'::regclass)" });
      assert.deepEqual(address?.foreignKeys.map(f => f.references), [{ table: 'city', columns: ['city_id'] }]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('sqlc booktest: the enum, an array column, keys added to tables', async () => {
    const m = await modelOf(readFixture('valid/sqlc-booktest-postgresql.sql'));
    assert.ok(m.enums.some(e => e.name === 'book_type' && e.values.join() === 'FICTION,NONFICTION'), JSON.stringify(m.enums));
    const books = table(m, 'books');
    assert.ok(books.columns.some(c => c.type === 'character varying[]' || c.type.endsWith('[]')), JSON.stringify(books.columns));
    assert.deepEqual(books.foreignKeys.map(f => f.references.table), ['authors']);
  });

  it('migrations applied in order give the model of the final schema', async () => {
    const dir = path.join(sqlFixtures, 'migrations', 'sqlc-ondeck-mixed');
    const files = fs.readdirSync(dir).sort().slice(0, 2).map(f => ({ path: f, content: fs.readFileSync(path.join(dir, f), 'utf8') }));
    const result = await validateMigrations(files, testOptions());
    const venue = result.tables?.tables.find(t => t.name === 'venues');
    assert.ok(venue, JSON.stringify(result.tables?.tables.map(t => t.name)));
    assert.deepEqual(venue.foreignKeys.map(f => [f.columns, f.references]), [[['city'], { table: 'city', columns: ['slug'] }]]);
  });

  it('identity and generated columns, checks, unique keys, partial indexes, other schemas', async () => {
    // Written for this test: the catalog details a design answer commonly uses beyond pagila.
    const m = await modelOf(`CREATE SCHEMA billing;
CREATE TABLE billing.invoice (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number text NOT NULL UNIQUE,
  net numeric(10,2) NOT NULL CHECK (net >= 0),
  gross numeric(10,2) GENERATED ALWAYS AS (net * 1.2) STORED,
  voided_at timestamptz
);
CREATE INDEX open_invoices ON billing.invoice (number) WHERE voided_at IS NULL;`);
    const invoice = table(m, 'billing.invoice');
    assert.equal(invoice.schema, 'billing');
    assert.deepEqual(invoice.columns.map(c => [c.name, c.nullable, c.default, !!c.generated]), [
      ['id', false, 'generated always as identity', false], ['number', false, null, false], ['net', false, null, false],
      ['gross', true, '(net * 1.2)', true], ['voided_at', true, null, false],
    ]);
    assert.deepEqual(invoice.uniqueKeys.map(u => u.columns), [['number']]);
    assert.deepEqual(invoice.checks.map(c => c.definition), ['CHECK (net >= 0::numeric)']);
    assert.equal(invoice.indexes.find(i => i.name === 'open_invoices')?.definition,
      'CREATE INDEX open_invoices ON billing.invoice USING btree (number) WHERE (voided_at IS NULL)');
  });
});
