import * as assert from 'node:assert/strict';
import { formatListing } from '../../../src/context/listing';

describe('workspace listing for the prompt', () => {
  it('lists files sorted, with manifests and schemas kept when the list is cut', () => {
    const many = Array.from({ length: 400 }, (_, i) => `src/deep/nested/module${String(i).padStart(3, '0')}.ts`);
    const out = formatListing([...many, 'package.json', 'prisma/schema.prisma', 'db/migrations/0001_init.sql'], 20);
    const lines = out.split('\n');
    assert.equal(lines.length, 21);
    assert.ok(lines.includes('- package.json'));
    assert.ok(lines.includes('- prisma/schema.prisma'));
    assert.ok(lines.includes('- db/migrations/0001_init.sql'));
    assert.equal(lines.at(-1), '- … and 383 more files');
  });

  it('shows everything when it fits, in path order, without duplicates or backslashes', () => {
    assert.equal(formatListing(['b.ts', 'a\\x.ts', 'a/x.ts', 'b.ts']), '- a/x.ts\n- b.ts');
  });
});
