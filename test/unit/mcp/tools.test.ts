import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unwrapFence } from '../../../src/mcp/artifactTools';
import { placeInside, tooBroadToScan } from '../../../src/mcp/folders';
import { toolJsonSchema } from '../../../src/mcp/toolSchemas';
import { ARCHITECT_TOOLS, runArchitectTool, structuredResult } from '../../../src/mcp/tools';
import type { ToolEnv } from '../../../src/mcp/toolTypes';
import type { SqlValidator } from '../../../src/artifacts/validate';

/** The catalog as a front end without its own argument checks (VS Code's invoke) would use it. */
describe('agent tool catalog (shared by MCP and VS Code)', () => {
  const env: ToolEnv = { roots: async () => [process.cwd()] };

  it('describes five tools with JSON Schema a package.json can hold', () => {
    assert.deepEqual(ARCHITECT_TOOLS.map(t => t.name), ['validate_openapi', 'validate_sql', 'validate_mermaid', 'extract_artifacts', 'workspace_context']);
    assert.deepEqual(toolJsonSchema(ARCHITECT_TOOLS[1].inputSchema, 'input'), {
      type: 'object',
      properties: {
        content: { type: 'string', maxLength: 5_000_000, description: 'The SQL script: statements separated by semicolons.' },
        path: {
          type: 'string', maxLength: 4096,
          description: 'Where the artifact lives or will live in the project (e.g. docs/api/openapi.yaml), relative to the project folder. Optional; used in messages.',
        },
      },
      required: ['content'],
    });
    for (const tool of ARCHITECT_TOOLS) {
      const output = toolJsonSchema(tool.outputSchema, 'output') as { required: string[] };
      assert.deepEqual(output.required.slice(0, 2), ['ok', 'problems'], tool.name);
      assert.ok(!JSON.stringify(output).includes('$schema'), tool.name);
    }
  });

  it('answers arguments that do not fit with ok false and the reason, without running anything', async () => {
    let loaded = false;
    const watching: ToolEnv = { ...env, loadSql: async () => { loaded = true; throw new Error('must not load'); } };
    for (const [args, why] of [[{}, /content: content must be a string/], [{ content: 7 }, /content must be a string/],
      [{ content: 'x', path: 3 }, /path: path must be a string/], [{ content: 'x'.repeat(5_000_001) }, /longer than 5,000,000 characters/],
      [null, /content must be a string/]] as const) {
      const outcome = await runArchitectTool('validate_sql', args, watching);
      assert.equal(outcome.ok, false);
      assert.match(outcome.text, /^Invalid arguments for validate_sql: /);
      assert.match(outcome.text, why);
    }
    assert.equal(loaded, false);
    assert.match((await runArchitectTool('rm_rf', {}, env)).text, /^Unknown tool "rm_rf": the tools are validate_openapi, /);
  });

  it('runs a check with the engine it is given, and shapes MCP\'s structured result', async () => {
    const sql: SqlValidator = {
      validateSql: async () => ({ status: 'invalid', problems: [{ line: 2, column: 5, severity: 'error', message: 'boom', source: 'postgres:42601' }] }),
      validateMigrations: async () => ({ status: 'valid', problems: [] }),
    };
    const outcome = await runArchitectTool('validate_sql', { content: 'SELECT 1;\nbroken;\n', path: 'db/x.sql' }, { ...env, loadSql: async () => sql });
    assert.deepEqual(structuredResult(outcome), {
      ok: false, status: 'invalid', problems: [{ line: 2, column: 5, severity: 'error', message: 'boom', source: 'postgres:42601' }],
    });
    assert.equal(outcome.text, 'Invalid SQL script: 1 error.\ndb/x.sql:2:5: error: boom [postgres:42601]');
  });

  it('follows no $ref to other files when the only folder is the file-system root (a client started it in /)', async () => {
    const spec = 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          $ref: "../../etc/hostname"\n';
    const outcome = await runArchitectTool('validate_openapi', { content: spec, path: 'srv/api/openapi.yaml' }, { roots: async () => ['/'] });
    assert.match(outcome.text, /References to other files were not followed: the server's folder is \/, not a project/);
    assert.deepEqual(outcome.problems.map(p => [p.line, p.severity, p.message]), [[8, 'warning', '$ref "../../etc/hostname" points to another file, which was not checked.']]);
  });

  it('unwraps an artifact delivered inside one Markdown fence, counting the lines it took', () => {
    assert.deepEqual(unwrapFence('```sql\nCREATE TABLE a (id int);\n```\n'), { content: 'CREATE TABLE a (id int);\n', offset: 1 });
    assert.deepEqual(unwrapFence('\n\n~~~~yaml file=x.yaml\na: 1\nb: 2\n~~~~'), { content: 'a: 1\nb: 2\n', offset: 3 });
    // Text around the fence, or two blocks: not one fenced artifact, left as it is.
    // The last one would take hours with a backtracking pattern (mocha's 2 s timeout catches that).
    for (const text of ['Here:\n```sql\nx\n```\n', '```sql\na\n```\n```sql\nb\n```\n', 'flowchart LR\n  a --> b\n', `\`\`\`\n\n\`\`\`${' '.repeat(200_000)}x`]) {
      assert.deepEqual(unwrapFence(text), { content: text, offset: 0 }, text);
    }
  });
});

describe('folders the agent tools may read', () => {
  let root: string;
  let outside: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-roots-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-outside-')));
    fs.mkdirSync(path.join(root, 'docs'));
    fs.symlinkSync(outside, path.join(root, 'docs', 'escape'));
    fs.symlinkSync(path.join(root, 'docs'), path.join(root, 'alias'));
  });

  after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('places relative and absolute paths inside a root, including files not written yet', async () => {
    assert.deepEqual(await placeInside([root], 'docs/api/openapi.yaml'),
      { ok: true, root, abs: path.join(root, 'docs/api/openapi.yaml'), real: path.join(root, 'docs/api/openapi.yaml'), rel: 'docs/api/openapi.yaml' });
    assert.equal((await placeInside([root], root)).ok && (await placeInside([root], root) as { rel: string }).rel, '.');
    const viaLink = await placeInside([root], 'alias/x.yaml');
    assert.ok(viaLink.ok && viaLink.real === path.join(root, 'docs', 'x.yaml'), 'a link that stays inside is fine');
  });

  it('refuses paths outside every root, links that lead out, NUL bytes, and having no root', async () => {
    const reasons = await Promise.all([
      placeInside([root], '../x'), placeInside([root], outside), placeInside([root], 'docs/escape/secret.txt'),
      placeInside([root], 'docs/\0x'), placeInside([], 'x'),
    ]);
    assert.deepEqual(reasons.map(r => r.ok), [false, false, false, false, false]);
    const why = reasons.map(r => (r.ok ? '' : r.reason));
    assert.match(why[0], /outside the folders this server may read/);
    assert.match(why[2], /leads outside .* through a symbolic link/);
    assert.match(why[3], /NUL/);
    assert.match(why[4], /no folder is shared/);
  });

  it('will not scan the file-system root or the home folder as a project', () => {
    assert.equal(tooBroadToScan('/'), true);
    assert.equal(tooBroadToScan(os.homedir()), true);
    assert.equal(tooBroadToScan(root), false);
  });
});
