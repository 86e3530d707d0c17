// The MCP server and the language-model tools as the .vsix ships them: dist/ without node_modules anywhere
// above it. Their checks come from dist/validators.js (scripts/build.mjs maps them there); anything that still
// needed a package would fail to load here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { repoRoot } from '../agents/agentPaths';
import type { McpToolsBundle } from '../../../src/lazy';
import { CALL_OPTIONS, textOf } from './mcpSupport';

const dist = path.join(repoRoot, 'dist');
const shipped = ['mcpServer.js', 'mcpTools.js', 'validators.js'];

/** dist/ as the .vsix holds it (.vscodeignore leaves out cli.js, cliMain.js, mcp.js and source maps), in a folder with no node_modules above. */
function copyShippedDist(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-dist-'));
  fs.cpSync(dist, path.join(root, 'dist'), {
    recursive: true,
    filter: src => !/\.map$/.test(src) && !['cli.js', 'cliMain.js', 'mcp.js'].includes(path.basename(src)) && !src.includes(`${path.sep}webview`),
  });
  return root;
}

const sampleWorkspace = path.join(repoRoot, 'sample-workspace');

describe('the .vsix\'s MCP server and tools run without node_modules', function () {
  this.timeout(240_000);
  let root: string;

  before(function () {
    if (!shipped.every(f => fs.existsSync(path.join(dist, f)))) { this.skip(); }
    root = copyShippedDist();
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), 'node_modules')), 'no node_modules above the copy');
  });
  after(() => { if (root) { fs.rmSync(root, { recursive: true, force: true }); } });

  it('dist/mcpServer.js serves the five tools with their verdicts; mermaid says where it can be checked', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(root, 'dist', 'mcpServer.js'), '--root', sampleWorkspace], cwd: root, stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
    const client = new Client({ name: 'vsix-test', version: '1.0.0' });
    await client.connect(transport, CALL_OPTIONS);
    try {
      const call = async (name: string, args: Record<string, unknown>): Promise<CallToolResult> =>
        await client.callTool({ name, arguments: args }, undefined, CALL_OPTIONS) as CallToolResult;
      assert.deepEqual((await client.listTools()).tools.map(t => t.name), ['validate_openapi', 'validate_sql', 'validate_mermaid', 'extract_artifacts', 'workspace_context']);
      const badSpec = await call('validate_openapi', { content: 'openapi: 3.1.0\ninfo:\n  title: x\npaths: {}\n', path: 'docs/api.yaml' });
      assert.equal(badSpec.isError, true);
      assert.match(textOf(badSpec), /^Invalid OpenAPI document: .*\ndocs\/api\.yaml:2:\d+: error: .*version/s);
      assert.equal(textOf(await call('validate_openapi', { content: 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n' })), 'Valid OpenAPI document.');
      const sql = await call('validate_sql', { content: 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES nope(id));\n' });
      assert.equal(sql.isError, true);
      assert.match(textOf(sql), /line 2, column \d+: error: relation "nope" does not exist \[postgres:42P01\]/);
      const mermaid = await call('validate_mermaid', { content: 'flowchart LR\n  a --> b\n' });
      assert.match(textOf(mermaid), /^The mermaid diagram was not checked\.\n.*comes with the VS Code extension has no mermaid parser.*#validateMermaid/s);
      assert.match(textOf(await call('extract_artifacts', { content: '```sql file=db/x.sql\nSELECT 1;\n```\n' })), /^1 artifact .*\na1 {2}sql {2}db\/x\.sql {2}lines 2-2/s);
      assert.match(textOf(await call('workspace_context', {})), /Stack: JavaScript · Express · Prisma/);
    } finally {
      await client.close();
    }
    assert.doesNotMatch(stderr, /Cannot find module|ERR_MODULE_NOT_FOUND/);
  });

  it('dist/mcpTools.js (the language-model tools\' bundle) checks with validators.js beside it', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the copied bundle, as the extension host loads it
    const tools = require(path.join(root, 'dist', 'mcpTools.js')) as McpToolsBundle;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const validators = require(path.join(root, 'dist', 'validators.js')) as { shutdownSqlValidator(): Promise<void> };
    try {
      const env = { roots: async () => [sampleWorkspace] };
      const sql = await tools.runArchitectTool('validate_sql', { content: 'CREATE TABLE t (id int PRIMARY KEY, n text NOT NULL);\n' }, env);
      assert.equal(sql.ok, true);
      assert.match(sql.text, /^Valid SQL script\.[\s\S]*erDiagram/);
      const spec = await tools.runArchitectTool('validate_openapi', { content: '{"openapi":"3.0.3","info":{"title":"x","version":"1"},"paths":{"/a/{id}":{"get":{"responses":{"200":{"description":"ok"}}}}}}' }, env);
      assert.equal(spec.ok, false);
      assert.match(spec.text, /id/);
      const refused = await tools.runArchitectTool('workspace_context', {}, { ...env, noReading: 'this workspace is in Restricted Mode' });
      assert.deepEqual([refused.ok, refused.text], [false, 'Not read: this workspace is in Restricted Mode.']);
      const noRefs = await tools.runArchitectTool('validate_openapi', { content: 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n', path: 'docs/api.yaml' }, { ...env, noReading: 'this workspace is in Restricted Mode' });
      assert.match(noRefs.text, /^Valid OpenAPI document\.\nReferences to other files were not followed: this workspace is in Restricted Mode\.$/);
    } finally {
      await validators.shutdownSqlValidator();
    }
  });
});
