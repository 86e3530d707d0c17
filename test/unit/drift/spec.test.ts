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

describe('drift: the quick reading of a spec', () => {
  it('finds what the full YAML reading finds, on every fixture spec and on awkward documents', () => {
    const awkward = [
      "openapi: '3.1.0' # a comment\nservers:\n  - url: https://x.example/v1\npaths:\n  # a comment\n  '/a/{id}':\n    summary: s\n    description: |\n      get:\n        not an operation\n    get:\n      operationId: \"getA\"\n      responses: {}\n    x-post: {}\n    post: {responses: {}}\n  \"/b\":\n    parameters:\n      - name: q\n        in: query\n    delete:\n      operationId: delB # trailing\ncomponents: {}\n",
      '{\n  "swagger": "2.0",\n  "basePath": "/v2",\n  "paths": {\n    "/p": {\n      "parameters": [{"name": "a", "in": "query"}],\n      "put": {"operationId": "putP", "responses": {"x": {"description": "}{"}}},\n      "get": {}\n    }\n  }\n}\n',
    ];
    const texts: [string, string][] = [
      [SHARED_SPEC, sharedSpecText],
      ['swagger.yaml', fs.readFileSync(driftFixture('echo-conduit/docs/swagger.yaml'), 'utf8')],
      ...awkward.map((t, i): [string, string] => [`awkward${i}.yaml`, t]),
    ];
    for (const [file, text] of texts) {
      assert.deepEqual(readSpec(file, text), readSpec(file, text, { full: true }), file);
    }
    assert.deepEqual(readSpec('awkward0.yaml', awkward[0]).spec!.operations.map(o => `${o.method} ${o.path} ${o.line} ${o.operationId}`),
      ['GET /a/{id} 11 getA', 'POST /a/{id} 15 undefined', 'DELETE /b 20 delB']);
  });

  it('leaves documents it cannot read quickly to the full reading (anchors, flow mappings)', () => {
    const anchors = 'openapi: 3.0.0\npaths:\n  /a:\n    get: &op\n      responses: {}\n  /b:\n    get: *op\n';
    const flow = 'openapi: 3.0.0\npaths:\n  /a: {get: {responses: {}}}\n';
    for (const text of [anchors, flow]) {
      assert.deepEqual(readSpec('x.yaml', text), readSpec('x.yaml', text, { full: true }));
    }
    assert.deepEqual(readSpec('x.yaml', flow).spec!.operations.map(o => o.line), [3]);
  });
});
