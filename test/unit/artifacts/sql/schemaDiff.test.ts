/**
 * The schema comparison and the diff's ordering on hand-made snapshots (no Postgres): what the comparison
 * sees and leaves aside, and the order and marking of steps. migrate.test.ts proves the SQL in Postgres.
 */
import * as assert from 'node:assert/strict';
import { diffSchemas } from '../../../../src/artifacts/sql/schemaDiff';
import { snapshotDifferences } from '../../../../src/artifacts/sql/schemaCompare';
import type { SchemaSnapshot, SnapshotTable } from '../../../../src/artifacts/sql/schemaSnapshot';
import { isWidening } from '../../../../src/artifacts/sql/diffSupport';

const empty: SchemaSnapshot = { schemas: ['public'], extensions: [], enums: [], domains: [], sequences: [], tables: [], views: [], functions: [], triggers: [], keywords: ['user', 'order'] };

const table = (name: string, extra: Partial<SnapshotTable> = {}): SnapshotTable => ({
  schema: 'public', name,
  columns: [{ name: 'id', type: 'integer', notNull: true }, { name: 'label', type: 'text', notNull: false }],
  constraints: [{ name: `${name}_pkey`, type: 'p', definition: 'PRIMARY KEY (id)' }], indexes: [], ...extra,
});
const snap = (extra: Partial<SchemaSnapshot>): SchemaSnapshot => ({ ...empty, ...extra });

describe('schema comparison', () => {
  it('sees defaults, nullability, indexes and enum order', () => {
    const a = snap({ enums: [{ schema: 'public', name: 'mood', labels: ['a', 'b'] }], tables: [table('t')] });
    const b = snap({
      enums: [{ schema: 'public', name: 'mood', labels: ['b', 'a'] }],
      tables: [table('t', {
        columns: [{ name: 'id', type: 'integer', notNull: true }, { name: 'label', type: 'text', notNull: true, default: "'x'::text" }],
        indexes: [{ name: 'i', definition: 'CREATE INDEX i ON public.t USING btree (label)' }],
      })],
    });
    const found = snapshotDifferences(a, b).join('\n');
    for (const part of ['enums > public.mood', 'columns > label > notNull', 'columns > label > default', 'public.t > indexes']) {
      assert.ok(found.includes(part), `${part} in\n${found}`);
    }
  });

  it('leaves aside constraint and index names, serial sequence names and column order', () => {
    const a = snap({ tables: [table('t', { indexes: [{ name: 'a_idx', definition: 'CREATE INDEX a_idx ON public.t USING btree (label)' }] })] });
    const b = snap({ tables: [table('t', {
      columns: [{ name: 'label', type: 'text', notNull: false }, { name: 'id', type: 'integer', notNull: true }],
      constraints: [{ name: 'other_name', type: 'p', definition: 'PRIMARY KEY (id)' }],
      indexes: [{ name: 'b_idx', definition: 'CREATE INDEX b_idx ON public.t USING btree (label)' }],
    })] });
    assert.deepEqual(snapshotDifferences(a, b), []);
  });
});

describe('schema diff', () => {
  it('creates types first, tables in foreign-key order, foreign keys after the tables, and drops last', () => {
    const parent = table('order');
    const child = table('line', { constraints: [...table('line').constraints, { name: 'line_fk', type: 'f', definition: 'FOREIGN KEY (id) REFERENCES "order"(id)', refText: '"order"', refSchema: 'public', refTable: 'order' }] });
    const from = snap({ tables: [table('old_stuff', { columns: [{ name: 'x', type: 'uuid', notNull: false }] })] });
    const to = snap({ enums: [{ schema: 'public', name: 'state', labels: ['on'] }], tables: [child, parent] });
    const sql = diffSchemas(from, to).steps.map(s => s.sql);
    assert.deepEqual(sql.map(s => s.split(/[ (\n]/).slice(0, 3).join(' ')), [
      'CREATE TYPE state', 'CREATE TABLE "order"', 'CREATE TABLE line', 'ALTER TABLE line', 'DROP TABLE old_stuff;',
    ]);
    assert.ok(sql[1].includes('CONSTRAINT order_pkey PRIMARY KEY (id)'), 'keywords are quoted, keys go inside CREATE TABLE');
  });

  it('guesses a rename only when one table matches one other', () => {
    const one = diffSchemas(snap({ tables: [table('a')] }), snap({ tables: [table('b')] })).steps;
    assert.deepEqual(one.map(s => [s.sql, !!s.guess]), [['ALTER TABLE a RENAME TO b;', true]]);
    const two = diffSchemas(snap({ tables: [table('a'), table('c')] }), snap({ tables: [table('b'), table('d')] })).steps;
    assert.ok(!two.some(s => s.guess), 'two candidates: no guess, drop and create');
    assert.equal(two.filter(s => s.destructive).length, 2);
  });

  it('knows widening type changes from narrowing ones', () => {
    assert.ok(isWidening('character varying(20)', 'character varying(40)'));
    assert.ok(isWidening('character varying(20)', 'text'));
    assert.ok(isWidening('integer', 'bigint'));
    assert.ok(isWidening('numeric(10,2)', 'numeric(12,2)'));
    assert.ok(!isWidening('character varying(40)', 'character varying(20)'));
    assert.ok(!isWidening('bigint', 'integer'));
    assert.ok(!isWidening('text', 'integer'));
    assert.ok(!isWidening('numeric(10,2)', 'numeric(12,1)'));
  });
});
