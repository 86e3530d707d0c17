import * as assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import { endpointModel, endpointModelOfText, endpointSummaries, HTTP_METHODS } from '../../../src/artifacts/endpointModel';
import { validateArtifact } from '../../../src/artifacts/validate';
import type { EndpointModel, OperationView } from '../../../src/protocol';
import { fixtureNames, fixtureText } from './artifactPaths';

/** Counted without the model: every method key of every path item, the way a reader of the spec counts. */
function operationsInPaths(text: string): string[] {
  const doc = parseYaml(text) as { paths?: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths ?? {}).flatMap(([p, item]) =>
    Object.keys(item).filter(k => (HTTP_METHODS as readonly string[]).includes(k)).map(m => `${m.toUpperCase()} ${p}`));
}

async function model(name: string, edit: (text: string) => string = t => t): Promise<EndpointModel> {
  const m = await endpointModelOfText(edit(fixtureText('openapi', 'valid', name)));
  assert.ok(m, `${name} gave no model`);
  return m;
}

const op = (m: EndpointModel, method: string, path: string): OperationView => {
  const found = m.operations.find(o => o.method === method && o.path === path);
  assert.ok(found, `no ${method} ${path} in ${m.operations.map(o => `${o.method} ${o.path}`).join(', ')}`);
  return found;
};

describe('endpoint model (OpenAPI 3.0, 3.1, Swagger 2.0)', () => {
  for (const name of fixtureNames('openapi', 'valid')) {
    it(`${name}: one endpoint per operation in paths, in document order`, async () => {
      const m = await model(name);
      const summaries = endpointSummaries(m);
      assert.deepEqual(summaries.map(e => `${e.method} ${e.path}`), operationsInPaths(fixtureText('openapi', 'valid', name)));
    });
  }

  it('3.1 (Redocly museum): tags, operationIds, parameters, bodies and named schemas kept as references', async () => {
    const m = await model('redocly-museum-3.1.yaml');
    assert.equal(m.specVersion, '3.1.0');
    assert.equal(m.title, 'Redocly Museum API');
    assert.deepEqual([...new Set(m.operations.flatMap(o => o.tags))], ['Operations', 'Events', 'Tickets']);
    const hours = op(m, 'get', '/museum-hours');
    assert.equal(hours.operationId, 'getMuseumHours');
    assert.deepEqual(hours.parameters.map(p => `${p.in}:${p.name}`), ['query:startDate', 'query:page', 'query:limit']);
    assert.deepEqual(hours.parameters[2].schema?.constraints, ['maximum 30']);
    assert.deepEqual(hours.responses.map(r => r.status), ['200', '400', '404']);
    assert.deepEqual(hours.responses[0].content, [{ type: 'application/json', schema: { ref: 'GetMuseumHoursResponse' } }]);
    const create = op(m, 'post', '/special-events');
    assert.equal(create.requestBody?.required, true);
    assert.equal(create.requestBody?.content[0].schema?.ref, 'CreateSpecialEventRequest');
    assert.deepEqual(m.schemas.CreateSpecialEventRequest.properties?.find(p => p.name === 'name'), { name: 'name', required: true, schema: { ref: 'EventName' } });
    assert.deepEqual(m.securitySchemes.map(s => [s.name, s.detail]), [['MuseumPlaceholderAuth', 'HTTP basic']]);
    assert.deepEqual(m.security, [['MuseumPlaceholderAuth']]);
    assert.deepEqual(m.servers, [{ url: 'https://api.fake-museum-example.com/v1' }]);
  });

  it('3.1 webhooks are shown but are not endpoints of the API', async () => {
    const m = await model('oai-webhook-example-3.1.yaml');
    assert.deepEqual(m.operations.map(o => [o.method, o.path, !!o.webhook]), [['get', '/pets', false], ['post', 'newPet', true]]);
    assert.deepEqual(endpointSummaries(m).map(e => e.path), ['/pets']);
  });

  it('3.0 (petstore-expanded): path parameters, allOf, a default error response', async () => {
    const m = await model('oai-petstore-expanded-3.0.yaml');
    const del = op(m, 'delete', '/pets/{id}');
    assert.deepEqual(del.parameters.map(p => [p.name, p.in, p.required]), [['id', 'path', true]]);
    assert.deepEqual(del.responses.map(r => r.status), ['204', 'default']);
    assert.deepEqual(m.schemas.Pet.allOf?.map(s => s.ref ?? s.type), ['NewPet', 'object']);
  });

  it('Swagger 2.0: the body parameter becomes the request body, servers come from host and basePath', async () => {
    const m = await model('oai-petstore-2.0.yaml');
    assert.equal(m.specVersion, '2.0');
    assert.deepEqual(m.servers, [{ url: 'http://petstore.swagger.io/v1' }]);
    const list = op(m, 'get', '/pets');
    assert.equal(list.parameters[0].name, 'limit');
    assert.equal(list.parameters[0].schema?.type, 'integer');
    assert.deepEqual(list.responses[0].content.map(c => [c.type, c.schema?.ref]), [['application/json', 'Pets']]);
    assert.deepEqual(m.schemas.Pets.items, { ref: 'Pet' });
  });

  it('a schema that refers to itself stays a reference: the cycle is a link, not an endless tree', async () => {
    const m = await model('oai-petstore-3.0.yaml', t => t.replace(/(\n {8}tag:\n {10}type: string\n)/,
      '$1        children:\n          type: array\n          items:\n            $ref: "#/components/schemas/Pet"\n'));
    assert.deepEqual(m.schemas.Pet.properties?.find(p => p.name === 'children')?.schema, { type: 'array', items: { ref: 'Pet' } });
  });

  it('resolves other local references in place, and names the ones it cannot follow', async () => {
    const m = await model('oai-petstore-3.0.yaml', t => t.replace(/(\n {8}tag:\n {10}type: string\n)/,
      '$1        alias:\n          $ref: "#/components/schemas/Pet/properties/name"\n        remote:\n          $ref: "https://example.com/x.yaml"\n'));
    const props = m.schemas.Pet.properties ?? [];
    assert.deepEqual(props.find(p => p.name === 'alias')?.schema, { type: 'string' });
    assert.deepEqual(props.find(p => p.name === 'remote')?.schema, { unresolved: 'https://example.com/x.yaml' });
  });

  it('deprecated operations are marked, and operation-level security and servers win', async () => {
    const m = await model('oai-petstore-3.0.yaml', t => t.replace('      operationId: showPetById\n',
      '      operationId: showPetById\n      deprecated: true\n      security: []\n      servers:\n        - url: https://old.example.com\n'));
    const show = op(m, 'get', '/pets/{petId}');
    assert.equal(show.deprecated, true);
    assert.deepEqual(show.security, []);
    assert.deepEqual(show.servers, [{ url: 'https://old.example.com' }]);
    assert.deepEqual(endpointSummaries(m).filter(e => e.deprecated).map(e => e.operationId), ['showPetById']);
  });

  it('reads JSON as well as YAML', async () => {
    const doc = parseYaml(fixtureText('openapi', 'valid', 'oai-uspto-3.0.yaml'));
    const m = await endpointModelOfText(JSON.stringify(doc));
    assert.deepEqual(m && endpointSummaries(m).map(e => e.operationId), ['list-data-sets', 'list-searchable-fields', 'perform-search']);
  });

  it('gives no model for what is not a spec, and for YAML aliases that expand too far', async () => {
    assert.equal(endpointModel(['openapi']), undefined);
    assert.equal(endpointModel({ info: { title: 'x' } }), undefined);
    assert.equal(await endpointModelOfText('openapi: [unclosed'), undefined);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) =>
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n');
    assert.equal(await endpointModelOfText(`openapi: 3.1.0\n${bomb}\n`), undefined);
  });

  it('validateArtifact returns the model with the check, for the card and the CLI', async function () {
    this.timeout(20_000);
    const result = await validateArtifact({ kind: 'openapi', content: fixtureText('openapi', 'valid', 'redocly-museum-3.1.yaml') });
    assert.equal(result.status, 'valid');
    assert.equal(result.endpoints?.operations.length, 8);
  });
});
