// `npm run bench`: production build and .vsix, then every bench/*.bench.mjs, each printing its figures.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, quiet = false) => spawnSync(process.execPath, args, { cwd: root, stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
const kb = f => `${(fs.statSync(path.join(root, f)).size / 1024).toFixed(0)} KB`;

if (run([path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'test'], true).status !== 0) { console.error('bench: tsc failed'); process.exit(1); }
const pkg = run(['scripts/package.mjs'], true);
if (pkg.status !== 0) { console.error(pkg.stdout, pkg.stderr); process.exit(1); }
const webview = fs.readdirSync(path.join(root, 'dist/webview'), { recursive: true }).map(String).filter(f => f.endsWith('.js'));
const lazy = name => webview.filter(f => path.basename(f).startsWith(name)).map(f => kb(path.join('dist/webview', f))).join(' + ') || 'missing';
const chunksKb = webview.filter(f => f !== 'main.js').reduce((n, f) => n + fs.statSync(path.join(root, 'dist/webview', f)).size, 0) / 1024;
console.log(`sizes: host dist/extension.js ${kb('dist/extension.js')}, cli dist/cli.js ${kb('dist/cli.js')} + dist/cliMain.js ${kb('dist/cliMain.js')} (+ dist/mcp.js ${kb('dist/mcp.js')} for \`mcp\`), in the .vsix: MCP server dist/mcpServer.js ${kb('dist/mcpServer.js')}, language-model tools dist/mcpTools.js ${kb('dist/mcpTools.js')}, .vsix ${kb('backend-architect.vsix')}; ` +
  `webview: initial bundle main.js ${kb('dist/webview/main.js')} (target < 250 KB), loaded on first use: endpoint view ${lazy('endpointView')}, ` +
  `table view ${lazy('tableView')}, highlighter ${lazy('hljs')}, mermaid and the rest ${webview.length - 1} chunks ${chunksKb.toFixed(0)} KB`);
let failed = 0;
for (const f of fs.readdirSync(path.join(root, 'bench')).filter(f => f.endsWith('.bench.mjs')).sort()) {
  const r = run([path.join('bench', f)]);
  if (r.status !== 0) { failed++; console.error(`bench ${f} failed (exit ${r.status})`); }
}
process.exit(failed ? 1 : 0);
