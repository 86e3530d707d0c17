import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import type { FileEntry, FileSource } from '../../../src/context/types';
import { checkDrift } from '../../../src/drift/drift';
import { appendDriftContext } from '../../../src/drift/format';
import { driftProblems, driftSummary, recheckOnSave } from '../../../src/drift/problems';
import type { DriftReport } from '../../../src/drift/types';
import { repoRoot } from '../agents/agentPaths';
import { driftFixture } from './driftFixtures';

/** The sample workspace (an Express shop API) with the spec written for it under docs/. */
const SPEC = 'docs/shop-api.yaml';
const specText = fs.readFileSync(driftFixture('shop-api/openapi.yaml'), 'utf8');
function shopApi(): FileSource {
  const inner = nodeFileSource(path.join(repoRoot, 'sample-workspace'));
  return {
    list: async signal => [...await (inner.list(signal) as Promise<FileEntry[]>), { path: SPEC }],
    read: async (p, max) => (p === SPEC ? Buffer.from(specText).subarray(0, max) : inner.read(p, max)),
  };
}
const lineIn = (text: string, needle: string): number => text.split('\n').findIndex(l => l.includes(needle)) + 1;
const productsJs = fs.readFileSync(path.join(repoRoot, 'sample-workspace/src/routes/products.js'), 'utf8');

describe('drift: entries for the Problems panel', () => {
  let report: DriftReport;
  before(async () => { report = await checkDrift(shopApi()); });

  it('puts a route the spec lacks on the route\'s line, and a mirror where the spec would take it', () => {
    const problems = driftProblems(report).filter(p => p.code === 'route-not-in-spec');
    const onRoute = problems.find(p => p.side === 'item')!;
    assert.equal(onRoute.file, 'src/routes/products.js');
    assert.equal(onRoute.line, lineIn(productsJs, "productsRouter.get('/:id'"));
    assert.equal(onRoute.severity, 'warning');
    assert.match(onRoute.message, /^GET \/products\/\{id\} is not in docs\/shop-api\.yaml/);
    assert.equal(onRoute.other?.file, SPEC);
    const onSpec = problems.find(p => p.side === 'related')!;
    assert.equal(onSpec.file, SPEC);
    assert.equal(onSpec.severity, 'info');
    assert.equal(onSpec.line, onRoute.other?.line);
    assert.deepEqual(onSpec.other, { file: 'src/routes/products.js', line: onRoute.line, label: 'the route' });
  });

  it('puts an operation with no route on its line in the spec, and a mirror on the closest route', () => {
    const problems = driftProblems(report).filter(p => p.code === 'operation-without-route');
    const onSpec = problems.find(p => p.side === 'item')!;
    assert.equal(onSpec.file, SPEC);
    assert.equal(onSpec.line, lineIn(specText, 'delete:'));
    assert.match(onSpec.message, /^DELETE \/orders\/\{id\} has no route/);
    const onRoute = problems.find(p => p.side === 'related')!;
    assert.equal(onRoute.file, 'src/routes/orders.js', 'the closest route is an /orders one');
    assert.equal(onRoute.severity, 'info');
    assert.deepEqual(onRoute.other, { file: SPEC, line: onSpec.line, label: 'the operation' });
    assert.equal(report.items[onRoute.item].method, 'DELETE');
  });

  it('says in one sentence what was found', () => {
    assert.equal(driftSummary(report), 'API drift: 1 operation without a route, 1 route not in the spec.');
    assert.equal(driftSummary({ ...report, items: [] }), 'No API drift: 4 operations in docs/shop-api.yaml and 4 routes in the code agree.');
    assert.match(driftSummary({ ...report, spec: null, specs: [] }), /^No OpenAPI document was found/);
  });
});

describe('drift: which saves call for a new check', () => {
  const base: DriftReport = { spec: 'docs/api.yaml', specs: [], basePath: '', frameworks: [], routes: [], operations: [], items: [], notes: [], inputs: ['docs/api.yaml', 'src/routes.js'] };
  const never = (): string => { throw new Error('the text is only read when it decides'); };

  it('before any check: any file that can hold routes or a spec, not a README or a test', () => {
    assert.equal(recheckOnSave('src/app.ts', undefined, never), true);
    assert.equal(recheckOnSave('docs/api.yaml', undefined, never), true);
    assert.equal(recheckOnSave('README.md', undefined, never), false);
    assert.equal(recheckOnSave('test/app.test.ts', undefined, never), false);
  });

  it('after a check that found no spec: only a YAML or JSON file that now is one', () => {
    const none = { ...base, spec: null };
    assert.equal(recheckOnSave('src/app.ts', none, never), false);
    assert.equal(recheckOnSave('docs/api.yaml', none, () => 'openapi: 3.1.0\ninfo: {}\n'), true);
    assert.equal(recheckOnSave('docker-compose.yml', none, () => 'services:\n  db: {}\n'), false);
  });

  it('after a check with a spec: its inputs and any source that could declare routes', () => {
    assert.equal(recheckOnSave('src/routes.js', base, never), true);
    assert.equal(recheckOnSave('src/other.py', base, never), true);
    assert.equal(recheckOnSave('notes.txt', base, never), false);
  });
});

describe('drift: Review\'s context', () => {
  it('adds the drift block after what the scan chose, or after the bare listing', () => {
    assert.deepEqual(appendDriftContext({ folderName: 'shop', contextText: 'Stack: Express' }, 'API drift: x'), { folderName: 'shop', contextText: 'Stack: Express\n\nAPI drift: x' });
    assert.deepEqual(appendDriftContext({ folderName: 'shop', listing: 'src/app.js' }, 'API drift: x'),
      { folderName: 'shop', listing: 'src/app.js', contextText: 'Files (a partial listing):\nsrc/app.js\n\nAPI drift: x' });
    const ctx = { folderName: 'shop', contextText: 'Stack' };
    assert.equal(appendDriftContext(ctx, ''), ctx, 'nothing to add without a spec');
  });
});
