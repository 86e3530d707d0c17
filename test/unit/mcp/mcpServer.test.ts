import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListRootsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { toolJsonSchema } from '../../../src/mcp/toolSchemas';
import { ARCHITECT_TOOLS } from '../../../src/mcp/tools';
import { repoRoot } from '../agents/agentPaths';
import { fixtureText, lineOf } from '../artifacts/artifactPaths';
import { findSecretLeaks, secretsAppDir } from '../context/contextFixtures';
import { builtCliExists, call, CALL_OPTIONS, connectServer, textOf, type Connected } from './mcpSupport';

const TOOL_NAMES = ['validate_openapi', 'validate_sql', 'validate_mermaid', 'extract_artifacts', 'workspace_context'];

describe('backend-architect mcp through the SDK client over stdio', function () {
  this.timeout(300_000);
  let server: Connected;
  /** The project folder the server is started on: a spec split over files, a secret beside it, a link out. */
  let project: string;

  before(async function () {
    if (!builtCliExists()) { this.skip(); }
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-mcp-'));
    fs.mkdirSync(path.join(project, 'api'));
    fs.writeFileSync(path.join(project, 'api', 'pet.yaml'), 'type: object\nrequired: [id]\nproperties:\n  id: {type: integer}\n');
    fs.writeFileSync(path.join(project, '.env'), 'DATABASE_URL=postgres://app:MCP-PLANTED-SECRET@db/app\n');
    fs.symlinkSync(os.tmpdir(), path.join(project, 'outside'));
    // A second root: the context fixtures, reached by absolute paths.
    server = await connectServer(['--root', project, '--root', path.join(repoRoot, 'test', 'fixtures', 'context')]);
  });

  after(async () => {
    await server?.close();
    if (project) { fs.rmSync(project, { recursive: true, force: true }); }
  });

  it('initializes as backend-architect with its version, tools and instructions', () => {
    const version = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;
    assert.deepEqual([server.client.getServerVersion()?.name, server.client.getServerVersion()?.version], ['backend-architect', version]);
    assert.ok(server.client.getServerCapabilities()?.tools);
    assert.match(server.client.getInstructions() ?? '', /validate_openapi.*validate_sql.*validate_mermaid/s);
  });

  it('lists the five tools, read-only, with the catalog\'s schemas', async () => {
    const { tools } = await server.client.listTools(undefined, CALL_OPTIONS);
    assert.deepEqual(tools.map(t => t.name), TOOL_NAMES);
    for (const tool of tools) {
      const own = ARCHITECT_TOOLS.find(t => t.name === tool.name)!;
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.ok((tool.description ?? '').length > 100, tool.name);
      // What the extension would put in package.json is exactly what MCP clients are shown.
      const { $schema: _in, ...input } = tool.inputSchema as Record<string, unknown>;
      const { $schema: _out, ...output } = tool.outputSchema as Record<string, unknown>;
      assert.deepEqual(input, toolJsonSchema(own.inputSchema, 'input'), tool.name);
      assert.deepEqual(output, toolJsonSchema(own.outputSchema, 'output'), tool.name);
      assert.deepEqual((tool.outputSchema as { required: string[] }).required.slice(0, 2), ['ok', 'problems']);
    }
    const validate = tools[0].inputSchema as { properties: Record<string, { type: string }>; required: string[] };
    assert.deepEqual([validate.properties.content.type, validate.properties.path.type, validate.required], ['string', 'string', ['content']]);
    assert.deepEqual(Object.keys((tools[4].inputSchema as { properties: object }).properties), ['path']);
  });

  it('validate_openapi: a valid spec is ok; a broken one is an error with its line and column', async () => {
    const valid = await call(server.client, 'validate_openapi', { content: fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml') });
    assert.equal(valid.isError, undefined);
    assert.deepEqual([valid.structuredContent.ok, valid.structuredContent.status, valid.structuredContent.problems], [true, 'valid', []]);
    assert.match(textOf(valid), /^Valid OpenAPI document\./);

    const invalid = await call(server.client, 'validate_openapi', {
      content: fixtureText('openapi', 'invalid', 'oai-callback-example-3.0-at-0a5b58e.yaml'), path: 'docs/api/callbacks.yaml',
    });
    assert.equal(invalid.isError, true);
    assert.deepEqual(invalid.structuredContent, {
      ok: false, status: 'invalid',
      problems: [{ line: 51, column: 27, severity: 'error', message: 'Can\'t resolve $ref "#/components/schemas/UserLogData".', source: 'redocly:no-unresolved-refs' }],
    });
    assert.match(textOf(invalid), /^Invalid OpenAPI document: 1 error\.\ndocs\/api\/callbacks\.yaml:51:27: error: Can't resolve \$ref/);
  });

  it('validate_openapi follows $refs inside the project, never into secret files or through links out of it', async () => {
    const spec = (ref: string): string => `openapi: 3.1.0\ninfo: {title: Pets, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      operationId: listPets\n` +
      `      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '${ref}'\n`;
    const followed = await call(server.client, 'validate_openapi', { content: spec('./pet.yaml'), path: 'api/openapi.yaml' });
    assert.deepEqual([followed.structuredContent.status, followed.structuredContent.problems], ['valid', []]);

    // Refused files are warnings, as for any file not checked: the spec itself may be right.
    const secret = await call(server.client, 'validate_openapi', { content: spec('../.env'), path: 'api/openapi.yaml' });
    assert.deepEqual(secret.structuredContent.problems.map((p: { line: number; severity: string; message: string }) => [p.line, p.severity, p.message]),
      [[13, 'warning', '$ref "../.env" points to a file that was not read: secret: environment file, never read.']]);
    assert.doesNotMatch(JSON.stringify(secret), /MCP-PLANTED-SECRET/);

    const linked = await call(server.client, 'validate_openapi', { content: spec('../outside/x.yaml'), path: 'api/openapi.yaml' });
    assert.match(linked.structuredContent.problems[0].message, /^\$ref "\.\.\/outside\/x\.yaml" points to a file that was not read: .* leads outside .* through a symbolic link\.$/);

    const away = await call(server.client, 'validate_openapi', { content: spec('./pet.yaml'), path: '../../elsewhere/openapi.yaml' });
    assert.match(textOf(away), /References to other files were not followed: .*outside the folders this server may read/);
  });

  it('validate_sql: Postgres runs valid DDL and draws its ER diagram; MySQL DDL fails on the right lines', async () => {
    const valid = await call(server.client, 'validate_sql', { content: fixtureText('sql', 'valid', 'sqlc-booktest-postgresql.sql') });
    assert.equal(valid.isError, undefined, textOf(valid));
    assert.equal(valid.structuredContent.status, 'valid');
    assert.match(valid.structuredContent.erDiagram, /^erDiagram\n/);
    assert.match(textOf(valid), /ER diagram of the tables Postgres built:\n```mermaid\nerDiagram/);

    const invalid = await call(server.client, 'validate_sql', { content: fixtureText('sql', 'invalid', 'sqlc-booktest-mysql.sql') });
    assert.equal(invalid.isError, true);
    assert.deepEqual(invalid.structuredContent.problems.map((p: { line: number; column: number }) => [p.line, p.column]), [[2, 38], [6, 34], [9, 36], [20, 33]]);
    assert.match(textOf(invalid), /^Invalid SQL script: 4 errors\.\nline 2, column 38: error: syntax error at or near "AUTO_INCREMENT" \[postgres:42601\]/);
  });

  it('counts lines from the text as given when the artifact comes wrapped in a Markdown fence', async () => {
    const wrapped = '\n```sql\nCREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES missing(id));\n```\n';
    const result = await call(server.client, 'validate_sql', { content: wrapped });
    assert.deepEqual(result.structuredContent.problems.map((p: { line: number; message: string }) => [p.line, p.message]), [[4, 'relation "missing" does not exist']]);
  });

  it('validate_mermaid: valid, repaired with the fixed text, or invalid on the blamed line', async () => {
    const valid = await call(server.client, 'validate_mermaid', { content: fixtureText('mermaid', 'valid', 'otel-demo-services.mmd') });
    assert.deepEqual([valid.isError, valid.structuredContent.status], [undefined, 'valid']);

    const repaired = await call(server.client, 'validate_mermaid', { content: 'flowchart LR\n  start --> end\n' });
    assert.equal(repaired.isError, undefined);
    assert.equal(repaired.structuredContent.status, 'repaired');
    assert.equal(repaired.structuredContent.repaired, 'flowchart LR\n  start --> End\n');
    assert.deepEqual(repaired.structuredContent.changes, ['line 2: renamed the node id `end` to `End` (`end` is a keyword)']);
    assert.match(textOf(repaired), /Corrected diagram:\n```mermaid\nflowchart LR\n {2}start --> End\n```/);

    const broken = fixtureText('mermaid', 'valid', 'undici-client-lifecycle.mmd').replace('idle --> pending : connect', 'idle -> pending : connect');
    const invalid = await call(server.client, 'validate_mermaid', { content: broken, path: 'docs/lifecycle.mmd' });
    assert.equal(invalid.isError, true);
    assert.equal(invalid.structuredContent.status, 'invalid');
    assert.equal(invalid.structuredContent.problems[0].line, lineOf(broken, 'idle -> pending'));
    assert.match(textOf(invalid), new RegExp(`^Invalid mermaid diagram: 1 error\\.\\ndocs/lifecycle\\.mmd:${lineOf(broken, 'idle -> pending')}:`));
  });

  it('extract_artifacts lists the files of a real answer with their kinds, paths and lines', async () => {
    const answer = fixtureText('answers', 'design-contract.md');
    const result = await call(server.client, 'extract_artifacts', { content: answer });
    assert.equal(result.isError, undefined);
    const rows = result.structuredContent.artifacts.map((a: Record<string, unknown>) => [a.id, a.kind, a.path, a.startLine, a.endLine]);
    const lines = answer.split('\n');
    const closing = (from: number): number => lines.findIndex((l, i) => i >= from && /^```\s*$/.test(l)) + 1;
    assert.deepEqual(rows, [
      ['a1', 'mermaid', 'docs/architecture/services.mmd', 7, closing(6) - 1],
      ['a2', 'openapi', 'docs/api/openapi.yaml', 19, closing(18) - 1],
      ['a3', 'sql', 'db/schema.sql', 41, closing(40) - 1],
      ['a4', 'adr', 'docs/adr/0001-modular-monolith.md', 50, lines.lastIndexOf('```')],
    ]);
    assert.equal(result.structuredContent.artifacts[2].content, 'CREATE TABLE orders (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n');
    assert.match(textOf(result), /^4 artifacts \(lines are the answer's\):\na1 {2}mermaid {2}docs\/architecture\/services\.mmd {2}lines 7-13, mermaid\n/);
  });

  it('workspace_context describes a backend and never shows a planted secret', async () => {
    const result = await call(server.client, 'workspace_context', { path: secretsAppDir });
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(result.structuredContent.folder, 'secrets-app');
    assert.match(textOf(result), /^Folder: secrets-app\nStack: /);
    const overview = result.structuredContent.overview as { files: { path: string }[]; skipped: { path: string; why: string }[] };
    assert.ok(overview.files.some(f => f.path === 'config.ts'));
    assert.match(overview.skipped.find(s => s.path === '.env')?.why ?? '', /^secret: .*never read$/);
    assert.deepEqual(findSecretLeaks(JSON.stringify(result)), []);
    // The hidden instruction in src/notes.js is named as a warning on its file.
    assert.deepEqual(result.structuredContent.problems.map((p: { file: string; severity: string }) => [p.file, p.severity]), [['src/notes.js', 'warning']]);
  });

  it('workspace_context refuses folders outside the roots, files, and links that lead out', async () => {
    for (const [where, why] of [['..', /outside the folders this server may read/], ['api/pet.yaml', /is not a folder/],
      ['outside', /leads outside .* through a symbolic link/], ['no-such-folder', /does not exist/]] as const) {
      const result = await call(server.client, 'workspace_context', { path: where });
      assert.equal(result.isError, true, where);
      assert.match(textOf(result), why, where);
      assert.deepEqual([result.structuredContent.ok, result.structuredContent.problems], [false, []]);
    }
  });

  it('answers a bad call with a clear error and keeps serving', async () => {
    const wrongType = await call(server.client, 'validate_sql', { content: 42 });
    assert.equal(wrongType.isError, true);
    assert.match(textOf(wrongType), /content must be a string/);
    const huge = await call(server.client, 'validate_openapi', { content: 'x'.repeat(5_000_001) });
    assert.equal(huge.isError, true);
    assert.match(textOf(huge), /content is longer than 5,000,000 characters/);
    await assert.rejects(server.client.callTool({ name: 'deploy_to_prod', arguments: {} }, undefined, CALL_OPTIONS),
      (e: McpError) => e.code === -32602 && /Unknown tool: deploy_to_prod/.test(e.message));
    await assert.rejects(server.client.request({ method: 'tools/call', params: { name: 5 } } as never, z.object({}), CALL_OPTIONS),
      (e: McpError) => e.code === -32602 && /params\.name/.test(e.message));
    await assert.rejects(server.client.request({ method: 'resources/list' } as never, z.object({}), CALL_OPTIONS),
      (e: McpError) => e.code === -32601);
    // A message over the transport's 16 MiB line limit: skipped to its end and refused with its own id.
    await assert.rejects(server.client.callTool({ name: 'validate_sql', arguments: { content: 'y'.repeat(17 * 1024 * 1024) } }, undefined, CALL_OPTIONS),
      (e: McpError) => e.code === -32600 && /longer than 16777216 bytes/.test(e.message));
    assert.equal((await server.client.listTools(undefined, CALL_OPTIONS)).tools.length, 5);
    await server.client.ping(CALL_OPTIONS);
  });

  it('writes nothing but protocol messages to stdout, and its log to stderr', () => {
    assert.deepEqual(server.clientErrors.map(e => e.message), []);
    assert.match(server.stderr(), /^backend-architect mcp: ready on stdin\/stdout; folders: /);
    assert.match(server.stderr(), /validate_sql: not ok, 4 problem\(s\)/);
  });
});

describe('backend-architect mcp without --root: the client\'s roots decide what it reads', function () {
  this.timeout(120_000);
  let server: Connected;
  let shared = path.join(repoRoot, 'test', 'fixtures', 'context', 'express-prisma');

  before(async function () {
    if (!builtCliExists()) { this.skip(); }
    const client = new Client({ name: 'roots-client', version: '1.0.0' }, { capabilities: { roots: { listChanged: true } } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: pathToFileURL(shared).href, name: 'project' }] }));
    // Started in a folder of its own: the roots, not the working folder, must be what it describes.
    server = await connectServer([], { client, cwd: os.tmpdir() });
  });

  after(async () => { await server?.close(); });

  it('describes the first root, refuses the working folder, and follows a change of roots', async () => {
    const first = await call(server.client, 'workspace_context', {});
    assert.equal(first.structuredContent.folder, '.');
    assert.match(textOf(first), /^Folder: \.\nStack: JavaScript · Express · Prisma/);
    assert.equal((await call(server.client, 'workspace_context', { path: os.tmpdir() })).isError, true);

    shared = path.join(repoRoot, 'test', 'fixtures', 'context', 'go-chi');
    await server.client.sendRootsListChanged();
    const second = await call(server.client, 'workspace_context', {});
    assert.match(textOf(second), /^Folder: \.\nStack: Go/);
  });
});
