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

/** The files vsce puts in the .vsix, listed by vsce itself from .vscodeignore (so dist/ must be built). */
async function vsixFiles(): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- vsce ships no type declarations
  const vsce = require('@vscode/vsce') as { listFiles(o: { cwd: string; packageManager: string }): Promise<string[]> };
  return (await vsce.listFiles({ cwd: repoRoot, packageManager: 'none' })).map(f => f.split(path.sep).join('/'));
}

/** dist/ as the .vsix holds it (webview chunks left out: nothing here loads them), in a folder with no node_modules above. */
function copyShippedDist(listed: string[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vsix-dist-'));
  for (const f of listed.filter(f => f.startsWith('dist/') && !f.startsWith('dist/webview/'))) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, f), path.join(root, f));
  }
  return root;
}

const sampleWorkspace = path.join(repoRoot, 'sample-workspace');

describe('the .vsix\'s MCP server and tools run without node_modules', function () {
  this.timeout(240_000);
  let root: string;
  let listed: string[];

  before(async function () {
    if (!shipped.every(f => fs.existsSync(path.join(dist, f)))) { this.skip(); }
    listed = await vsixFiles();
    root = copyShippedDist(listed);
    assert.ok(!fs.existsSync(path.join(os.tmpdir(), 'node_modules')), 'no node_modules above the copy');
  });
  after(() => { if (root) { fs.rmSync(root, { recursive: true, force: true }); } });

  it('the .vsix holds every bundle the extension loads and none of the CLI\'s, no source maps', () => {
    for (const f of ['dist/extension.js', 'dist/mcpServer.js', 'dist/pgliteWorker.js', 'dist/pglite.wasm', 'dist/pglite/pgdata.tar', 'dist/webview/main.js', 'media/main.css', 'agents/backend-architect.md', 'package.json', 'README.md']) {
      assert.ok(listed.includes(f), `${f} is in the .vsix`);
    }
    assert.deepEqual(listed.filter(f => /(^|\/)(cli|cliMain|mcp)\.js$|\.map$|\.json$/.test(f) && f !== 'package.json'), [], 'no CLI bundle, map or data stamp');
    assert.deepEqual(listed.filter(f => !/^(dist|media|agents)\//.test(f) && !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(f)), [], 'nothing from outside dist/, media/, agents/ and the docs');
    // Each bundle names the bundles it loads ("./validators.js", path.join(__dirname, 'llm.js')): all of them ship.
    const bundles = listed.filter(f => /^dist\/[^/]+\.js$/.test(f));
    const named = new Set(bundles.flatMap(b => [...fs.readFileSync(path.join(repoRoot, b), 'utf8').matchAll(/["'](?:\.\/)?([A-Za-z]+\.js)["']/g)].map(m => `dist/${m[1]}`)));
    const missing = [...named].filter(f => fs.existsSync(path.join(repoRoot, f)) && !listed.includes(f));
    assert.ok(named.has('dist/validators.js') && named.has('dist/llm.js'), 'the scan finds the bundles extension.js loads');
    assert.deepEqual(missing, [], 'bundles loaded by a shipped bundle but left out of the .vsix');
  });

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
