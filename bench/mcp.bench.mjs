// MCP server cost: a warm tool call through `backend-architect mcp` over stdio (the SDK's client and
// transport, as an agent would call it) against the same tool run in this process, for each kind of
// check. What MCP adds is the round trip minus the tool's own time, which the server logs for each call:
// JSON over a pipe, the SDK's argument and result validation, the client's check of structuredContent.
// (Round trip minus the in-process time says the same on a quiet machine; on a busy one the two processes
// are scheduled differently and that difference mostly measures the load.) Target: under 5 ms added per
// warm call. Prints figures only.
// Needs the build (dist/cli.js, dist/mcp.js) and the compiled sources (`npm run compile-tests`):
//   node bench/mcp.bench.mjs
//   BA_OUT_DIR=.tmp/out-mcp node bench/mcp.bench.mjs     (another compiled tree inside the repo)
// BENCH_RUNS changes the number of warm calls per tool (default 25).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(repo, process.env.BA_OUT_DIR ?? 'out');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const require = createRequire(path.join(repo, 'package.json'));
const toolsModule = path.join(outDir, 'src', 'mcp', 'tools.js');
for (const needed of [path.join(repo, 'dist', 'cli.js'), path.join(repo, 'dist', 'mcp.js'), toolsModule]) {
  if (!existsSync(needed)) {
    console.error(`mcp bench: ${needed} not found; build (npm run build) and compile (npm run compile-tests) first`);
    process.exit(2);
  }
}
const { runArchitectTool } = require(toolsModule);
const { createArchitectServer } = require(path.join(outDir, 'src', 'mcp', 'server.js'));
const sqlModule = require(path.join(outDir, 'src', 'artifacts', 'sql', 'validateSql.js'));

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * q)];
const median = xs => quantile(xs, 0.5);
const fmt = ms => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const fixture = (...p) => readFileSync(path.join(repo, 'test', 'fixtures', ...p), 'utf8');
async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

// In this process, the SQL check runs in the same worker bundle and data dir as the server's (dist/).
const workerPath = path.join(repo, 'dist', 'pgliteWorker.js');
const env = {
  roots: async () => [repo],
  loadSql: async () => ({
    validateSql: text => sqlModule.validateSql(text, { workerPath }),
    validateMigrations: files => sqlModule.validateMigrations(files, { workerPath }),
  }),
};

// The same server and client in this process, linked in memory: the SDK's own cost without a pipe or a
// second process to schedule.
const memory = new Client({ name: 'mcp-bench-memory', version: '1' });
{
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await createArchitectServer({ version: 'bench', roots: [repo], cwd: repo, log: () => {}, engines: { loadSql: env.loadSql } }).connect(serverSide);
  await memory.connect(clientSide);
}

const cases = [
  { tool: 'validate_openapi', label: 'OpenAPI, 679-line museum spec', args: { content: fixture('artifacts', 'openapi', 'valid', 'redocly-museum-3.1.yaml') } },
  { tool: 'validate_sql', label: 'SQL, 10-table schema in Postgres', args: { content: fixture('artifacts', 'sql', 'bench-ten-tables.sql') } },
  { tool: 'validate_mermaid', label: 'mermaid, OpenTelemetry service map', args: { content: fixture('artifacts', 'mermaid', 'valid', 'otel-demo-services.mmd') } },
  { tool: 'extract_artifacts', label: 'extract, 4-artifact answer', args: { content: fixture('artifacts', 'answers', 'design-contract.md') } },
  { tool: 'workspace_context', label: 'workspace_context, express-prisma fixture', args: { path: 'test/fixtures/context/express-prisma' } },
];

console.log(`mcp: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores while measuring; ${runs} warm calls per tool`);
const transport = new StdioClientTransport({ command: process.execPath, args: [path.join(repo, 'dist', 'cli.js'), 'mcp', '--root', repo], cwd: repo, stderr: 'pipe' });
// The server's log line for each call ends with the tool's own time: "validate_sql: ok, 0 problem(s), 41.3 ms".
const serverTimes = [];
let logText = '';
transport.stderr.on('data', d => {
  logText += d;
  for (let nl; (nl = logText.indexOf('\n')) >= 0; logText = logText.slice(nl + 1)) {
    const m = / problem\(s\), ([\d.]+) ms$/.exec(logText.slice(0, nl));
    if (m) { serverTimes.push(Number(m[1])); }
  }
});
/** The time the server logged for the latest call; the log line can trail the answer by a moment. */
async function lastServerTime(count) {
  while (serverTimes.length < count) { await new Promise(resolve => setTimeout(resolve, 1)); }
  return serverTimes[count - 1];
}
let calls = 0;
const client = new Client({ name: 'mcp-bench', version: '1' });
const connect = await timed(() => client.connect(transport));
const options = { timeout: 300_000 };
const pings = [];
for (let i = 0; i < runs; i++) { pings.push((await timed(() => client.ping(options))).ms); }
console.log(`mcp: start + initialize ${fmt(connect.ms)} ms (process start, SDK load); ping round trip median ${fmt(median(pings))} ms`);

let worst = 0;
for (const c of cases) {
  // First calls load the engines (redocly, mermaid under jsdom, Postgres in its worker) on both sides.
  const firstStdio = await timed(() => client.callTool({ name: c.tool, arguments: c.args }, undefined, options));
  calls++;
  const firstLocal = await timed(() => runArchitectTool(c.tool, c.args, env));
  await memory.callTool({ name: c.tool, arguments: c.args }, undefined, options);
  if (firstStdio.value.isError || !firstLocal.value.ok) {
    throw new Error(`${c.tool} did not pass: ${firstStdio.value.content?.[0]?.text ?? ''} / ${firstLocal.value.text}`);
  }
  const stdio = [];
  const local = [];
  const added = [];
  const vsLocal = [];
  const inMemory = [];
  // Interleaved, so a burst of load on the shared machine hits both sides alike.
  for (let i = 0; i < runs; i++) {
    const s = (await timed(() => client.callTool({ name: c.tool, arguments: c.args }, undefined, options))).ms;
    const inServer = await lastServerTime(++calls);
    const l = (await timed(() => runArchitectTool(c.tool, c.args, env))).ms;
    const m = (await timed(() => memory.callTool({ name: c.tool, arguments: c.args }, undefined, options))).ms;
    stdio.push(s);
    local.push(l);
    inMemory.push(m - l);
    added.push(s - inServer);
    vsLocal.push(s - l);
  }
  worst = Math.max(worst, median(added));
  const kb = (JSON.stringify(c.args).length / 1024).toFixed(0);
  console.log(`mcp: ${c.label} (${kb} KB in): over stdio median ${fmt(median(stdio))} ms, in process ${fmt(median(local))} ms; ` +
    `added by MCP ${fmt(median(added))} ms median, ${fmt(quantile(added, 0.25))} ms lower quartile (round trip minus the server's own time; ` +
    `minus the in-process time: ${fmt(median(vsLocal))} ms; the SDK alone, in memory: ${fmt(median(inMemory))} ms); ` +
    `first calls ${fmt(firstStdio.ms)} / ${fmt(firstLocal.ms)} ms`);
}
console.log(`mcp: largest added cost ${fmt(worst)} ms per warm call; target < 5 ms`);
await client.close();
await memory.close();
await sqlModule.shutdownSqlValidator();
