import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidateCommand } from '../../../src/artifacts/cliArtifacts';
import { validateOpenApi } from '../../../src/artifacts/openapi';
import type { ArtifactProblem } from '../../../src/artifacts/types';
import { artifactFixtures, fixtureText, lineOf } from './artifactPaths';

const errors = (problems: ArtifactProblem[]): ArtifactProblem[] => problems.filter(p => p.severity === 'error');
const warnings = (problems: ArtifactProblem[]): ArtifactProblem[] => problems.filter(p => p.severity === 'warning');
/** The text of a 1-based line, trimmed: where a problem points, in the person's own words. */
const at = (text: string, line: number): string => text.split('\n')[line - 1]?.trim() ?? '';

describe('OpenAPI verdicts on real specs (issue #17)', function () {
  this.timeout(30_000);

  describe('valid specs are valid, with warnings where a tool merely recommends', () => {
    it('a large vendor spec: nullable without type and $ref siblings are warnings (Twilio)', async () => {
      const conversations = fixtureText('openapi', 'valid', 'twilio_conversations_v1-3.0.yaml');
      const result = await validateOpenApi(conversations);
      assert.equal(result.status, 'valid');
      const nullable = result.problems.filter(p => p.source === 'redocly:nullable-type-sibling');
      assert.ok(nullable.length > 10);
      assert.ok(nullable.every(p => p.severity === 'warning' && /^nullable: true/.test(at(conversations, p.line))));
      const numbers = fixtureText('openapi', 'valid', 'twilio_numbers_v3-3.0.yaml');
      const siblings = await validateOpenApi(numbers);
      assert.equal(siblings.status, 'valid');
      assert.ok(warnings(siblings.problems).some(p => p.source === 'redocly:spec-ref-siblings'));
    });

    it('3.1 boolean schemas are legal JSON Schema 2020-12', async () => {
      const result = await validateOpenApi(fixtureText('openapi', 'valid', 'oai-test-3.1-valid_schema_types.yaml'));
      assert.deepEqual(result, { status: 'valid', problems: [] });
    });

    it('a 3.1 keyword nobody defined is a warning on its line, and a discriminator may map to a schema name', async () => {
      const mega = fixtureText('openapi', 'valid', 'oai-test-3.1-mega.yaml');
      const result = await validateOpenApi(mega);
      assert.equal(result.status, 'valid');
      assert.deepEqual(result.problems.map(p => [p.line, p.severity]), [[lineOf(mega, 'myArbitraryKeyword'), 'warning']]);
    });

    it('3.1 $refs to a schema\'s own $id resolve (the specification\'s generic data structure example)', async () => {
      const result = await validateOpenApi(fixtureText('openapi', 'valid', 'oai-spec-3.1.1-generic-data-structure.yaml'));
      assert.deepEqual(result, { status: 'valid', problems: [] });
    });

    it('a 3.1 $ref to an $anchor resolves', async () => {
      const museum = fixtureText('openapi', 'valid', 'redocly-museum-3.1.yaml')
        .replace('    TicketType:\n', '    TicketType:\n      $anchor: ticket-type\n')
        .replace("$ref: '#/components/schemas/TicketType'", "$ref: '#ticket-type'");
      assert.match(museum, /\$ref: '#ticket-type'/);
      const result = await validateOpenApi(museum);
      assert.deepEqual(errors(result.problems), []);
      assert.equal(result.status, 'valid');
    });

    it('a 3.1 document that still says nullable is valid, with one warning per use (OpenAI)', async () => {
      const openai = fixtureText('openapi', 'valid', 'openai-3.1-trimmed.yaml');
      const result = await validateOpenApi(openai);
      assert.equal(result.status, 'valid');
      // Each `nullable: true` but one (beside a `$ref`) gets a warning: "no effect in 3.1" or "no type beside it".
      const nullableLines = openai.split('\n').filter(l => l.trim() === 'nullable: true').length;
      const warned = result.problems.filter(p => at(openai, p.line) === 'nullable: true');
      assert.equal(new Set(warned.map(p => p.line)).size, nullableLines - 1);
      assert.ok(warned.every(p => p.severity === 'warning'));
      assert.ok(warned.filter(p => /`nullable` is not part of OpenAPI 3.1/.test(p.message)).length > 10);
    });
  });

  describe('invalid specs are invalid, on the line at fault', () => {
    it('duplicate entries in required (OpenAI\'s ContainerResource)', async () => {
      const text = fixtureText('openapi', 'invalid', 'openai-3.1-containers-trimmed.yaml');
      const result = await validateOpenApi(text);
      assert.equal(result.status, 'invalid');
      assert.deepEqual(errors(result.problems).map(p => [at(text, p.line), p.message]), ['id', 'name', 'created_at', 'status']
        .map(n => [`- ${n}`, `\`required\` lists "${n}" more than once.`]));
    });

    it('a pattern that is not a regular expression', async () => {
      const text = fixtureText('openapi', 'valid', 'redocly-museum-3.1.yaml').replace('      format: date\n', () => "      format: date\n      pattern: '(?i)^[0-9-]+$'\n");
      const result = await validateOpenApi(text);
      assert.equal(result.status, 'invalid');
      const [problem] = errors(result.problems);
      assert.equal(problem.line, lineOf(text, "pattern: '(?i)"));
      assert.match(problem.message, /^`pattern` is not a valid regular expression: Invalid group\.$/);
    });

    it('example and examples side by side', async () => {
      const text = fixtureText('openapi', 'invalid', 'oai-test-3.1-example-examples.yaml');
      const result = await validateOpenApi(text);
      assert.deepEqual(errors(result.problems).map(p => [p.line, p.message]),
        [[lineOf(text, 'examples:'), 'Parameter "animal" has both `example` and `examples`: they are mutually exclusive.']]);
    });

    for (const [file, where] of [['header-object-allowReserved', 'not to headers'], ['parameter-object-header-allowReserved', 'is in: header'],
      ['parameter-object-path-allowReserved', 'is in: path'], ['parameter-object-cookie-form-allowReserved', 'is in: cookie']]) {
      it(`allowReserved outside a query parameter (${file})`, async () => {
        const text = fixtureText('openapi', 'invalid', `oai-test-3.1-${file}.yaml`);
        const result = await validateOpenApi(text);
        const found = errors(result.problems).filter(p => p.source === 'openapi:allow-reserved');
        assert.deepEqual(found.map(p => at(text, p.line).split(':')[0]), ['allowReserved']);
        assert.ok(found[0].message.includes(where), found[0].message);
      });
    }

    it('3.0 and 2019-09 habits a 3.1 schema rejects: boolean exclusiveMinimum, boolean $recursiveAnchor (OpenAI)', async () => {
      const tuning = fixtureText('openapi', 'invalid', 'openai-3.1-fine-tuning-trimmed.yaml');
      const found = errors((await validateOpenApi(tuning)).problems);
      assert.ok(found.length > 0 && found.every(p => at(tuning, p.line) === 'exclusiveMinimum: true'));
      const search = fixtureText('openapi', 'invalid', 'openai-3.1-vector-store-search-trimmed.yaml');
      assert.deepEqual(errors((await validateOpenApi(search)).problems).map(p => [at(search, p.line), p.message]),
        [['$recursiveAnchor: true', '`$recursiveAnchor` must be string.']]);
    });

    it('Swagger 2.0 is checked against the 2.0 schema (swagger-parser\'s fixtures)', async () => {
      const text = fixtureText('openapi', 'invalid', 'swagger-parser-2.0-schema-multi-header-param.yaml');
      const result = await validateOpenApi(text);
      assert.deepEqual(errors(result.problems).map(p => [at(text, p.line), p.source]), [['collectionFormat: multi # <--- Not valid for header params', 'openapi-schema']]);
    });

    it('Swagger 1.2 is named as not supported', async () => {
      const text = fixtureText('openapi', 'invalid', 'oai-swagger-1.2-greetings.json');
      const result = await validateOpenApi(text);
      assert.deepEqual(result.problems.map(p => [p.line, p.severity]), [[2, 'error']]);
      assert.match(result.problems[0].message, /^Swagger 1\.2 is not supported/);
    });

    it('a YAML file that is no API description is reported as such', async () => {
      const text = fixtureText('openapi', 'invalid', 'not-an-api-oai-github-workflow.yaml');
      const result = await validateOpenApi(text);
      assert.equal(result.status, 'invalid');
      assert.match(result.problems[0].message, /^Not an API description/);
    });
  });

  describe('the CLI decides the kind the same way', () => {
    it('a Swagger 1.2 JSON file and a non-API file named openapi.yaml are checked as specs, a plain YAML file as YAML', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-verdicts-'));
      try {
        const workflow = fs.readFileSync(path.join(artifactFixtures, 'openapi', 'invalid', 'not-an-api-oai-github-workflow.yaml'), 'utf8');
        fs.writeFileSync(path.join(dir, 'openapi.yaml'), workflow);
        fs.writeFileSync(path.join(dir, 'ci.yaml'), workflow);
        fs.copyFileSync(path.join(artifactFixtures, 'openapi', 'invalid', 'oai-swagger-1.2-greetings.json'), path.join(dir, 'greetings.json'));
        let out = '';
        const code = await runValidateCommand(['--json', 'openapi.yaml', 'ci.yaml', 'greetings.json'], { stdout: t => { out += t; }, stderr: () => {} }, { cwd: dir });
        const reports = JSON.parse(out) as { file: string; kind: string; status: string; problems: { message: string }[] }[];
        assert.deepEqual(reports.map(r => [r.file, r.kind, r.status]), [
          ['openapi.yaml', 'openapi', 'invalid'], ['ci.yaml', 'yaml', 'valid'], ['greetings.json', 'openapi', 'invalid'],
        ]);
        assert.match(reports[0].problems[0].message, /^Not an API description/);
        assert.equal(code, 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
