import * as assert from 'node:assert/strict';
import { checkArtifactPath } from '../../../src/artifacts/paths';
import { refusedPaths as refused, sensitivePaths as sensitive } from './pathTable';

describe('artifact path rules (THREATS T5, T6)', () => {
  for (const [p, why] of refused) {
    it(`refuses ${JSON.stringify(p)}`, () => {
      const v = checkArtifactPath(p);
      assert.equal(v.ok, false);
      assert.match((v as { reason: string }).reason, why);
    });
  }

  for (const [p, risk] of sensitive) {
    it(`asks a second confirmation for ${p}`, () => {
      const v = checkArtifactPath(p);
      assert.equal(v.ok, true);
      assert.match((v as { sensitive?: string }).sensitive ?? '', risk);
    });
  }

  it('accepts ordinary paths, normalised', () => {
    assert.deepEqual(checkArtifactPath('docs/api/openapi.yaml'), { ok: true, path: 'docs/api/openapi.yaml' });
    assert.deepEqual(checkArtifactPath('./db//schema.sql'), { ok: true, path: 'db/schema.sql' });
    assert.deepEqual(checkArtifactPath('docs\\adr\\0001-use-postgres.md'), { ok: true, path: 'docs/adr/0001-use-postgres.md' });
    assert.deepEqual(checkArtifactPath('docs/.well-known/x.json'), { ok: true, path: 'docs/.well-known/x.json' });
    assert.deepEqual(checkArtifactPath('docs/environment.md'), { ok: true, path: 'docs/environment.md' });
  });
});
