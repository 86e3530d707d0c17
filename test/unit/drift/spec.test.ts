import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readSpec } from '../../../src/drift/spec';
import { driftFixture, SHARED_SPEC, sharedSpecText, specLine } from './driftFixtures';

describe('drift: operations of an OpenAPI document', () => {
  it('lists each operation with the line of its method key and the servers path as the base', () => {
    const { spec, notes } = readSpec(SHARED_SPEC, sharedSpecText);
    assert.deepEqual(notes, []);
    assert.equal(spec!.operations.length, 19);
    assert.deepEqual(spec!.basePaths, ['/api']);
    const feed = spec!.operations.find(o => o.path === '/articles/feed')!;
    assert.equal(feed.method, 'GET');
    assert.equal(feed.line, specLine('    get:', '  /articles/feed:'));
    assert.equal(feed.pathLine, specLine('  /articles/feed:'));
    assert.equal(feed.operationId, 'getArticlesFeed');
    assert.equal(spec!.pathsLine, specLine('paths:'));
  });

  it('reads Swagger 2.0 basePath, and server variables by their defaults', () => {
    const swagger = fs.readFileSync(driftFixture('echo-conduit/docs/swagger.yaml'), 'utf8');
    const s2 = readSpec('docs/swagger.yaml', swagger).spec!;
    assert.equal(s2.version, '2.0');
    assert.deepEqual(s2.basePaths, ['/api']);
    assert.equal(s2.operations.length, 19);
    const vars = readSpec('v.yaml', 'openapi: 3.1.0\nservers:\n  - url: "{scheme}://example.com/{base}/v2"\n    variables:\n      scheme: {default: https}\n      base: {default: api}\npaths: {}\n').spec!;
    assert.deepEqual(vars.basePaths, ['/api/v2']);
    const rel = readSpec('r.yaml', 'openapi: 3.0.0\nservers:\n  - url: /\n  - url: /v1\npaths: {}\n').spec!;
    assert.deepEqual(rel.basePaths, ['', '/v1']);
  });

  it('reads JSON documents with their lines', () => {
    const json = '{\n  "openapi": "3.0.0",\n  "paths": {\n    "/pets/{id}": {\n      "get": {"responses": {}},\n      "delete": {"responses": {}}\n    }\n  }\n}\n';
    const spec = readSpec('openapi.json', json).spec!;
    assert.equal(spec.json, true);
    assert.deepEqual(spec.operations.map(o => [o.method, o.path, o.line]), [['GET', '/pets/{id}', 5], ['DELETE', '/pets/{id}', 6]]);
  });

  it('notes what it cannot read instead of failing', () => {
    assert.match(readSpec('bad.yaml', 'openapi: 3.0.0\npaths: [\n').notes[0].message, /could not be read/);
    const ref = readSpec('ref.yaml', 'openapi: 3.0.0\npaths:\n  /a:\n    $ref: "./a.yaml"\n');
    assert.equal(ref.spec!.operations.length, 0);
    assert.deepEqual(ref.notes.map(n => n.line), [3]);
    assert.match(readSpec('list.yaml', '- a\n- b\n').notes[0].message, /not a mapping/);
  });
});
