import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { validateOpenApi } from '../../../src/artifacts/openapi';
import { proposeOperation, type OperationProposal } from '../../../src/drift/propose';
import { readSpec } from '../../../src/drift/spec';
import { checkDrift } from '../../../src/drift/drift';
import type { CodeRoute, SpecDocument } from '../../../src/drift/types';
import { driftFixture, driftOf, SHARED_SPEC, sharedSpecText, withSharedSpec } from './driftFixtures';

const sharedSpec = (): SpecDocument => readSpec(SHARED_SPEC, sharedSpecText).spec!;

function ok(p: OperationProposal | { error: string }): OperationProposal {
  if ('error' in p) { throw new Error(p.error); }
  return p;
}

function route(method: CodeRoute['method'], path: string): CodeRoute {
  return { method, path, file: 'src/app.ts', line: 7, framework: 'Express' };
}

describe('drift: Add to spec', () => {
  it('adds a new path where its neighbours are, valid, and the drift is gone when the spec is re-checked', async () => {
    const r = await driftOf('gin-conduit');
    const ping = r.items.find(i => i.kind === 'missing-in-spec')!;
    const p = ok(proposeOperation(ping, sharedSpec(), sharedSpecText));
    assert.equal(p.file, SHARED_SPEC);
    const after = readSpec(SHARED_SPEC, p.text).spec!;
    assert.equal(after.operations.length, 20);
    const added = after.operations.find(o => o.path === '/ping')!;
    assert.equal(added.method, 'GET');
    assert.equal(added.line, p.line);
    assert.match(p.snippet, /^\/ping:\n {2}get:\n {4}operationId: getPing\n/);
    assert.match(p.text, /Declared in hello\.go:\d+\. Describe its request and responses\./);
    assert.equal((await validateOpenApi(p.text)).status, 'valid');
    // Only the lines added differ; the rest of the document is as it was.
    const lines = p.text.split('\n');
    lines.splice(p.line - 2, p.snippet.trimEnd().split('\n').length);
    assert.equal(lines.join('\n'), sharedSpecText);
    const again = await checkDrift(withSharedSpec('gin-conduit', p.text));
    assert.deepEqual(again.items.map(i => `${i.kind} ${i.path}`), ['missing-in-code /articles/feed']);
  });

  it('puts a new path after the one sharing the most segments, with its path parameters', async () => {
    const r = await driftOf('nestjs-conduit');
    const del = r.items.find(i => i.path === '/users/{slug}')!;
    const p = ok(proposeOperation(del, sharedSpec(), sharedSpecText));
    const lines = p.text.split('\n');
    assert.equal(lines[p.line - 2], '  /users/{slug}:');
    assert.equal(lines[p.line - 1], '    delete:');
    // Right after the /users path item.
    const usersAt = lines.indexOf('  /users:');
    const nextPath = lines.findIndex((l, i) => i > usersAt && /^ {2}\//.test(l));
    assert.equal(nextPath, p.line - 2);
    assert.match(p.snippet, /parameters:\n {6}- name: slug\n {8}in: path\n {8}required: true\n {8}schema:\n {10}type: string\n/);
    assert.match(p.snippet, /responses:\n {6}'204':\n {8}description: No Content\n/);
    assert.equal((await validateOpenApi(p.text)).status, 'valid');
  });

  it('adds a method under a path the spec already has, in the document\'s indentation', async () => {
    const p = ok(proposeOperation({ route: route('POST', '/api/tags'), path: '/tags' }, sharedSpec(), sharedSpecText));
    const after = readSpec(SHARED_SPEC, p.text).spec!;
    const tags = after.operations.filter(o => o.path === '/tags');
    assert.deepEqual(tags.map(o => o.method), ['GET', 'POST']);
    assert.equal(tags[1].line, p.line);
    assert.equal(tags[1].operationId, 'postTags');
    assert.equal((await validateOpenApi(p.text)).status, 'valid');
  });

  it('writes Swagger 2.0 parameters for a 2.0 document', async () => {
    const text = fs.readFileSync(driftFixture('echo-conduit/docs/swagger.yaml'), 'utf8');
    const spec = readSpec('docs/swagger.yaml', text).spec!;
    const p = ok(proposeOperation({ route: route('GET', '/api/articles/{slug}/history'), path: '/articles/{slug}/history' }, spec, text));
    assert.match(p.snippet, /- name: slug\n {8}in: path\n {8}required: true\n {8}type: string\n/);
    assert.equal((await validateOpenApi(p.text)).status, 'valid');
    assert.equal(readSpec('docs/swagger.yaml', p.text).spec!.operations.length, 20);
  });

  it('rewrites a JSON document with its indentation and reports the new line', () => {
    const json = `${JSON.stringify({ openapi: '3.0.0', info: { title: 't', version: '1' }, paths: { '/a': { get: { responses: { 200: { description: 'OK' } } } } } }, null, 4)}\n`;
    const spec = readSpec('openapi.json', json).spec!;
    const p = ok(proposeOperation({ route: route('DELETE', '/a'), path: '/a' }, spec, json));
    const after = readSpec('openapi.json', p.text).spec!;
    assert.deepEqual(after.operations.map(o => o.method), ['GET', 'DELETE']);
    assert.equal(after.operations[1].line, p.line);
    assert.match(p.text, /^ {4}"openapi"/m);
  });

  it('declines what cannot be one operation, or is already there', () => {
    assert.match((proposeOperation({ route: route('ALL', '/x'), path: '/x' }, sharedSpec(), sharedSpecText) as { error: string }).error, /answers every method/);
    assert.match((proposeOperation({ route: route('GET', '/api/tags'), path: '/tags' }, sharedSpec(), sharedSpecText) as { error: string }).error, /already has GET \/tags/);
  });
});
