import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { validateOpenApi } from '../../../src/artifacts/openapi';
import type { ArtifactProblem } from '../../../src/artifacts/types';
import { fixtureNames, fixtureText, lineOf } from './artifactPaths';

const errors = (problems: ArtifactProblem[]): ArtifactProblem[] => problems.filter(p => p.severity === 'error');
const brief = (problems: ArtifactProblem[]): string[] => problems.map(p => `${p.line} ${p.source}`);

/** A local HTTP server that counts every request: the proof that nothing was fetched. */
async function canary(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = http.createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end('type: object\n');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, hits: () => hits, close: () => new Promise(resolve => server.close(() => resolve())) };
}

describe('OpenAPI validation (redocly)', function () {
  // The first call imports redocly (0.4-0.9 s on this machine).
  this.timeout(20_000);

  for (const name of fixtureNames('openapi', 'valid').filter(n => !n.endsWith('.md'))) {
    it(`accepts ${name} without errors`, async () => {
      const result = await validateOpenApi(fixtureText('openapi', 'valid', name));
      assert.deepEqual(errors(result.problems), []);
      assert.equal(result.status, 'valid');
    });
  }

  for (const name of fixtureNames('openapi', 'invalid').filter(n => !n.endsWith('.md'))) {
    it(`rejects ${name}, each error on a line of the file`, async () => {
      const text = fixtureText('openapi', 'invalid', name);
      const result = await validateOpenApi(text);
      assert.equal(result.status, 'invalid');
      const lines = text.split('\n').length;
      assert.ok(errors(result.problems).every(p => p.line >= 1 && p.line <= lines), JSON.stringify(result.problems.slice(0, 3)));
    });
  }

  it('finds every mistake fixed upstream in the early Swagger 2.0 petstore, on its line', async () => {
    const text = fixtureText('openapi', 'invalid', 'oai-petstore-2.0-at-291dbd9.yaml');
    const result = await validateOpenApi(text);
    assert.equal(result.status, 'invalid');
    const shortRefs = text.split('\n').map((l, i) => (/\$ref: (Pets|Error|Pet)$/.test(l) ? i + 1 : 0)).filter(Boolean);
    assert.deepEqual(brief(result.problems), [
      `${lineOf(text, '- x-next:')} redocly:struct`,
      ...shortRefs.slice(0, 3).map(l => `${l} redocly:no-unresolved-refs`),
      `${lineOf(text, '- name: petId')} openapi:path-parameter-required`,
      ...shortRefs.slice(3).map(l => `${l} redocly:no-unresolved-refs`),
    ]);
    assert.match(result.problems[1].message, /\$ref "Pets" is neither a JSON pointer nor a file: write '#\/definitions\/Pets'/);
  });

  it('finds the unresolved $ref of the old callback example on line 51', async () => {
    const result = await validateOpenApi(fixtureText('openapi', 'invalid', 'oai-callback-example-3.0-at-0a5b58e.yaml'));
    assert.deepEqual(result.problems.map(p => [p.line, p.column, p.message]), [[51, 27, 'Can\'t resolve $ref "#/components/schemas/UserLogData".']]);
  });

  it('reports the duplicated keys of the edited petstore-expanded at the first duplicate', async () => {
    const text = fixtureText('openapi', 'invalid', 'oai-petstore-expanded-3.0-at-0476371.yaml');
    const result = await validateOpenApi(text);
    assert.equal(result.status, 'invalid');
    assert.deepEqual(result.problems.map(p => [p.line, p.message]), [[lineOf(text, 'operationId: findPets'), 'YAML: duplicated mapping key']]);
  });

  describe('derived mistakes in the Redocly museum spec', () => {
    const museum = fixtureText('openapi', 'valid', 'redocly-museum-3.1.yaml');
    const cases: { what: string; edit: (t: string) => string; expect: (t: string) => [number, string][] }[] = [
      {
        what: 'a duplicated operationId',
        edit: t => t.replace('operationId: listSpecialEvents', 'operationId: createSpecialEvent'),
        // Redocly walks get before post, so the post (the first in the file) is the one it names.
        expect: t => [[lineOf(t, 'operationId: createSpecialEvent'), 'operationId "createSpecialEvent" is used by more than one operation.']],
      },
      {
        what: 'a path template whose parameter is not declared',
        edit: t => t.replace('/tickets/{ticketId}/qr:', '/tickets/{ticket}/qr:'),
        expect: t => [
          // The declared parameter is a $ref: redocly points at the shared definition it resolves to.
          [lineOf(t, 'name: ticketId'), 'Path parameter `ticketId` is not used in the path `/tickets/{ticket}/qr`.'],
          [lineOf(t, 'parameters:', lineOf(t, '/tickets/{ticket}/qr:')), 'The operation does not define the path parameter `{ticket}` expected by path `/tickets/{ticket}/qr`.'],
        ],
      },
      {
        what: 'a $ref to a schema that does not exist',
        edit: t => t.replace("$ref: '#/components/schemas/GetTicketCodeResponse'", "$ref: '#/components/schemas/TicketImage'"),
        expect: t => [[lineOf(t, 'TicketImage'), 'Can\'t resolve $ref "#/components/schemas/TicketImage".']],
      },
      {
        what: 'a wrong schema type (3.1)',
        edit: t => t.replace('      type: number\n      format: float', '      type: float'),
        expect: t => [[lineOf(t, 'type: float'), '`type` can be one of the following only: "object", "array", "string", "number", "integer", "boolean", "null".']],
      },
      {
        what: 'a security scheme that is not defined',
        edit: t => t.replace('  - MuseumPlaceholderAuth: [] ', '  - MuseumPlaceholderAuth: []\n  - BearerAuth: []'),
        expect: t => [[lineOf(t, '- BearerAuth: []'), 'Security scheme "BearerAuth" is not defined in components.securitySchemes.']],
      },
    ];
    for (const c of cases) {
      it(`reports ${c.what} on its line`, async () => {
        const text = c.edit(museum);
        assert.notEqual(text, museum, 'the edit applies');
        const result = await validateOpenApi(text);
        assert.equal(result.status, 'invalid');
        assert.deepEqual(errors(result.problems).map(p => [p.line, p.message]).sort(), c.expect(text).sort());
      });
    }
  });

  it('gives lines in a JSON spec too', async () => {
    const spec = parseYaml(fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml')) as { paths: Record<string, { get: { parameters: { required?: boolean }[] } }> };
    delete spec.paths['/pets/{petId}'].get.parameters[0].required;
    const json = JSON.stringify(spec, null, 2);
    const result = await validateOpenApi(json);
    assert.deepEqual(result.problems.map(p => [p.line, p.source]), [[lineOf(json, '"name": "petId"') - 1, 'openapi:path-parameter-required']]);
  });

  it('refuses documents that are not OpenAPI, or name a version it does not know', async () => {
    assert.match((await validateOpenApi('title: hello\n')).problems[0].message, /no `openapi: 3.1.0`/);
    assert.deepEqual((await validateOpenApi('info: {}\nopenapi: 3.1\n')).problems.map(p => [p.line, p.message]), [[2, '`openapi` must be a string such as "3.1.0", not 3.1.']]);
    assert.match((await validateOpenApi('openapi: "4.0.0"\n')).problems[0].message, /Unsupported OpenAPI version "4.0.0"/);
    assert.match((await validateOpenApi('- a\n- b\n')).problems[0].message, /expected a mapping/);
    assert.deepEqual((await validateOpenApi('openapi: 3.1.0\ninfo:\n  title: [unclosed\n')).problems.map(p => p.source), ['yaml']);
  });

  it('stops a YAML alias bomb quickly (THREATS T11)', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const result = await validateOpenApi(`openapi: 3.1.0\n${levels.join('\n')}\n`);
    assert.equal(result.status, 'invalid');
    assert.match(result.problems[0].message, /aliases expand too far/);
    assert.ok(performance.now() - started < 1000);
  });

  it('never fetches a remote $ref, $schema or externalValue, and warns about each (THREATS T10)', async () => {
    const server = await canary();
    try {
      // OpenAPI 3.1 schemas may carry $schema and $id; an example may point at an externalValue.
      const spec = fixtureText('openapi', 'valid', 'oai-webhook-example-3.1.yaml')
        .replace('    Pet:\n      required:', `    Pet:\n      $schema: "${server.url}/dialect?d=SECRET"\n      $id: "${server.url.replace('http:', '')}/pet"\n      required:`)
        .replace('                $ref: "#/components/schemas/Pets"', `                $ref: "${server.url}/pets.yaml?d=SECRET"\n              examples:\n                one:\n                  externalValue: "${server.url}/example.json"`);
      const result = await validateOpenApi(spec);
      assert.equal(server.hits(), 0, 'the canary server was never contacted');
      const remote = result.problems.filter(p => p.source === 'remote-url');
      const expected = ['pets.yaml', 'example.json', '$schema:', '$id:'].map(n => lineOf(spec, n));
      assert.deepEqual(remote.map(p => p.line), expected);
      assert.ok(remote.every(p => p.severity === 'warning' && /was not fetched/.test(p.message)));
      assert.deepEqual(errors(result.problems), [], 'a remote reference is the person\'s call, not an error');
      // The canary does count: one request made on purpose shows up.
      await fetch(`${server.url}/probe`).then(r => r.text());
      assert.equal(server.hits(), 1);
    } finally {
      await server.close();
    }
  });

  it('control: redocly left to its defaults does fetch the same URL, so the blocking above is ours', async () => {
    const server = await canary();
    try {
      const core = await import('@redocly/openapi-core');
      const config = await core.createConfig({ extends: ['spec'] });
      await core.lintFromString({ source: `openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: "${server.url}/a.yaml"\n`, config });
      assert.equal(server.hits(), 1);
    } finally {
      await server.close();
    }
  });

  it('reads relative $refs only inside the allowed folder, and never over the network', async () => {
    const server = await canary();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-openapi-'));
    try {
      fs.mkdirSync(path.join(dir, 'api'));
      fs.writeFileSync(path.join(dir, 'api', 'pet.yaml'), 'type: object\nproperties:\n  id:\n    type: strin\n');
      fs.writeFileSync(path.join(os.tmpdir(), 'ba-outside.yaml'), 'type: object\n');
      const spec = fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml')
        .replace('$ref: "#/components/schemas/Pet"', "$ref: './pet.yaml'")
        .replace('          type: string\n    Pets:', `          type: string\n        outside:\n          $ref: '../../ba-outside.yaml'\n        remote:\n          $ref: '${server.url}/x.yaml'\n    Pets:`);
      const file = path.join(dir, 'api', 'openapi.yaml');
      const result = await validateOpenApi(spec, { sourcePath: file, allowFilesUnder: dir });
      const inPet = result.problems.find(p => p.file === path.join(dir, 'api', 'pet.yaml'));
      assert.deepEqual(inPet && [inPet.line, inPet.severity], [4, 'error'], 'problems in the referenced file carry its name and line');
      const outside = result.problems.find(p => /ba-outside/.test(p.message) || p.line === lineOf(spec, 'ba-outside.yaml'));
      assert.equal(outside?.severity, 'warning');
      assert.equal(server.hits(), 0);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(path.join(os.tmpdir(), 'ba-outside.yaml'), { force: true });
    }
  });
});
