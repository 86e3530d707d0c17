// The language-model tools in the extension host: what the first call costs (dist/mcpTools.js, and
// dist/validators.js it takes the checks from, required on first use; Postgres starts on the first SQL check)
// and a warm call of each tool, as `invoke` runs them (without VS Code's own round trip, about 13-24 ms in
// code-server, see CHAT-APIS.md). Mermaid is left out: in the extension it is parsed in a webview.
// Needs the build: node scripts/build.mjs && node bench/chatTools.bench.mjs   (BENCH_RUNS, default 25)
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(repo, 'dist');
const runs = Number(process.env.BENCH_RUNS ?? 25);
if (!existsSync(path.join(dist, 'mcpTools.js'))) { console.error('chat tools bench: dist/mcpTools.js not found; run node scripts/build.mjs first'); process.exit(2); }
const require = createRequire(path.join(repo, 'package.json'));

const spec = 'openapi: 3.1.0\ninfo: {title: Shop, version: "1"}\npaths:\n  /orders/{id}:\n    get:\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {"200": {description: OK}}\n';
const ddl = 'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id), total numeric(10,2));\n';
const answer = `Design.\n\n\`\`\`yaml file=docs/api.yaml\n${spec}\`\`\`\n\n\`\`\`sql file=db/schema.sql\n${ddl}\`\`\`\n`;
const env = { roots: async () => [path.join(repo, 'sample-workspace')] };
const calls = [['validate_openapi', { content: spec }], ['validate_sql', { content: ddl }], ['extract_artifacts', { content: answer }], ['workspace_context', {}]];

const median = xs => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let t = performance.now();
const tools = require(path.join(dist, 'mcpTools.js'));
const loadMs = performance.now() - t;
const validators = require(path.join(dist, 'validators.js'));
try {
  const first = [];
  for (const [name, input] of calls) {
    t = performance.now();
    const outcome = await tools.runArchitectTool(name, input, env);
    first.push(`${name} ${(performance.now() - t).toFixed(0)} ms${outcome.ok ? '' : ' (NOT OK)'}`);
  }
  console.log(`chat tools: require dist/mcpTools.js ${loadMs.toFixed(1)} ms; first calls: ${first.join(', ')}`);
  const warm = [];
  for (const [name, input] of calls) {
    const times = [];
    for (let i = 0; i < runs; i++) { t = performance.now(); await tools.runArchitectTool(name, input, env); times.push(performance.now() - t); }
    warm.push(`${name} ${median(times).toFixed(1)} ms`);
  }
  console.log(`chat tools: warm median of ${runs}: ${warm.join(', ')}`);
} finally {
  await validators.shutdownSqlValidator();
}
