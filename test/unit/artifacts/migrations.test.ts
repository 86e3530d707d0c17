import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { groupMigrations } from '../../../src/artifacts/migrations';

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
