import * as assert from 'node:assert/strict';
import type { Finding } from '../../../src/context/findings';
import { nodeToolFiles } from '../../../src/tools/nodeToolFiles';
import { verifyFindings } from '../../../src/tools/verifyFindings';
import { fixtureDir, secretsAppDir } from '../context/contextFixtures';

const f = (file?: string, line?: number): Finding => ({ severity: 'warning', title: `${file}:${line}`, rationale: 'r', ...(file && { file }), ...(line && { line }) });

describe('findings checked against the reviewed folder', () => {
  it('a real file and line is verified; a missing file, a line past the end or a path out of the folder is not', async () => {
    const files = nodeToolFiles(fixtureDir('express-prisma'));
    const out = await verifyFindings([
      f('src/routes/orders.js', 15), f('src/routes/orders.js', 16), f('src/routes/orders.js'), f('src/payments.js', 1),
      f('../go-chi/go.mod', 1), f('/etc/passwd', 1), f(), f('src/routes/orders.js', 1),
    ], files);
    assert.deepEqual(out.map(x => x.verified), [true, false, true, false, false, false, undefined, true]);
    assert.equal(out[0].title, 'src/routes/orders.js:15', 'the finding is kept as it was');
  });

  it('a secret file is only looked for, never read: it exists, its line is not checked', async () => {
    const out = await verifyFindings([f('.env', 2), f('.env', 9999), f('.env.nope', 1)], nodeToolFiles(secretsAppDir));
    assert.deepEqual(out.map(x => x.verified), [true, true, false]);
  });
});
