/** What the drift check reads and skips in a workspace, through the scanner's FileSource. */
import * as assert from 'node:assert/strict';
import { checkDrift, mayAffectDrift } from '../../../src/drift/drift';
import type { FileEntry, FileSource } from '../../../src/context/types';

/** An in-memory workspace that records what was read. */
function memory(files: Record<string, string>): FileSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    list: async (): Promise<FileEntry[]> => Object.keys(files).map(path => ({ path })),
    read: async (p, max) => { reads.push(p); return Buffer.from(files[p] ?? '').subarray(0, max); },
  };
}

const SPEC = 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths:\n  /items:\n    get:\n      responses: {"200": {description: OK}}\n';
const APP = "const app = require('express')();\napp.get('/items', list);\n";

describe('drift: checking a workspace', () => {
  it('skips dependencies, build output, tests and secrets, and never reads them', async () => {
    const src = memory({
      'openapi.yaml': SPEC,
      'src/app.js': APP,
      'node_modules/lib/index.js': "const app = require('express')();\napp.get('/vendored', h);\n",
      'dist/app.js': "const app = require('express')();\napp.get('/built', h);\n",
      'test/app.test.js': "const app = require('express')();\napp.get('/in-a-test', h);\n",
      '.env': 'SECRET=1',
      'package.json': '{"dependencies": {"express": "4"}}',
    });
    const r = await checkDrift(src);
    assert.deepEqual(r.routes.map(x => x.path), ['/items']);
    assert.deepEqual(r.items, []);
    assert.ok(!src.reads.some(p => /node_modules|dist|test\/|\.env/.test(p)), src.reads.join(', '));
    assert.deepEqual(r.inputs, ['openapi.yaml', 'src/app.js']);
  });

  it('finds every OpenAPI document by its content, whatever its name, and ignores other YAML', async () => {
    const r = await checkDrift(memory({
      'api/conduit.yml': SPEC,
      'docker-compose.yml': 'services:\n  db:\n    image: postgres\n',
      'src/app.js': APP,
    }));
    assert.equal(r.spec, 'api/conduit.yml');
    assert.deepEqual(r.specs.map(s => s.file), ['api/conduit.yml']);
  });

  it('says what it could not see: no spec, no routes, frameworks it does not read', async () => {
    const r = await checkDrift(memory({ 'package.json': '{"dependencies": {"hono": "4"}}', 'src/index.ts': 'export default 1;\n' }));
    assert.equal(r.spec, null);
    assert.deepEqual(r.notes.map(n => n.message), ['Routes declared with Hono are not analysed.', 'No routes were found (stack: Hono).', 'No OpenAPI document was found.']);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await assert.rejects(checkDrift(memory({ 'openapi.yaml': SPEC, 'src/app.js': APP }), { signal: controller.signal }), /stopped/);
  });

  it('tells the editor which saved files call for a re-check', async () => {
    const r = await checkDrift(memory({ 'openapi.yaml': SPEC, 'src/app.js': APP }));
    assert.equal(mayAffectDrift('openapi.yaml', r), true);
    assert.equal(mayAffectDrift('src/new-routes.ts', r), true);
    assert.equal(mayAffectDrift('src/app.test.ts', r), false);
    assert.equal(mayAffectDrift('README.md', r), false);
  });
});
