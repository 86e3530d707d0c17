// MCP server cost: a warm tool call through `backend-architect mcp` over stdio (the SDK's client and
// transport, as an agent would call it) against the same tool run in this process, for each kind of
// check. Added by MCP = round trip minus the tool's own time, which the server logs for each call. Of that,
// the server's own MCP work (line framing, JSON, request checks, the SDK's argument and result validation,
// serialising the answer) is measured apart, in this process, through the same transport over in-memory
// streams; the rest is the pipe, the client's parsing, and waking two processes, which on a busy machine is
// mostly waiting for a core (it grows with the load and with the CPU the check just burned).
// Target: under 5 ms added per warm call. Prints figures only.
// Needs the build (dist/cli.js, dist/mcp.js) and the compiled sources (`npm run compile-tests`):
//   node bench/mcp.bench.mjs
//   BA_OUT_DIR=.tmp/out-mcp node bench/mcp.bench.mjs     (another compiled tree inside the repo)
// BENCH_RUNS changes the number of warm calls per tool (default 25).
import { existsSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

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
const { createArchitectServer, screenRequest } = require(path.join(outDir, 'src', 'mcp', 'server.js'));
const { LineTransport } = require(path.join(outDir, 'src', 'mcp', 'lineTransport.js'));
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

// The same server in this process, fed request lines through in-memory streams: its time to answer minus the
// tool's time is its own MCP work, with no pipe and no second process to schedule.
const memoryTimes = [];
const memoryIn = new PassThrough();
const memoryOut = new PassThrough();
let answered;
memoryOut.on('data', () => answered?.());
await createArchitectServer({
  version: 'bench', roots: [repo], cwd: repo, engines: { loadSql: env.loadSql },
  log: line => { const m = / ([\d.]+) ms$/.exec(line); if (m) { memoryTimes.push(Number(m[1])); } },
}).connect(new LineTransport(memoryIn, memoryOut, { screen: screenRequest }));
let memoryId = 0;
/** One request through the in-memory server: the server's work beside the tool's, in ms. */
async function serverOverhead(message) {
  const done = new Promise(resolve => { answered = resolve; });
  const started = performance.now();
  memoryIn.write(`${JSON.stringify({ ...message, jsonrpc: '2.0', id: ++memoryId })}\n`);
  await done;
  const total = performance.now() - started;
  return message.method === 'tools/call' ? total - memoryTimes.at(-1) : total;
}
await serverOverhead({ method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } });

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
  await serverOverhead({ method: 'tools/call', params: { name: c.tool, arguments: c.args } });
  if (firstStdio.value.isError || !firstLocal.value.ok) {
    throw new Error(`${c.tool} did not pass: ${firstStdio.value.content?.[0]?.text ?? ''} / ${firstLocal.value.text}`);
  }
  // In blocks, not interleaved: the checks here leave V8's concurrent GC threads busy after they return,
  // and on two cores those would be charged to the next call over stdio.
  const stdio = [];
  const added = [];
  for (let i = 0; i < runs; i++) {
    const s = (await timed(() => client.callTool({ name: c.tool, arguments: c.args }, undefined, options))).ms;
    stdio.push(s);
    added.push(s - await lastServerTime(++calls));
  }
  const local = [];
  for (let i = 0; i < runs; i++) { local.push((await timed(() => runArchitectTool(c.tool, c.args, env))).ms); }
  const inServer = [];
  for (let i = 0; i < runs; i++) { inServer.push(await serverOverhead({ method: 'tools/call', params: { name: c.tool, arguments: c.args } })); }
  worst = Math.max(worst, median(added));
  const kb = (JSON.stringify(c.args).length / 1024).toFixed(0);
  console.log(`mcp: ${c.label} (${kb} KB in): over stdio median ${fmt(median(stdio))} ms, in process ${fmt(median(local))} ms; ` +
    `added by MCP ${fmt(median(added))} ms median, ${fmt(quantile(added, 0.25))} ms lower quartile (round trip minus the tool's time in the server), ` +
    `of which the server's own MCP work ${fmt(median(inServer))} ms; ` +
    `first calls ${fmt(firstStdio.ms)} / ${fmt(firstLocal.ms)} ms`);
}
console.log(`mcp: largest added cost ${fmt(worst)} ms per warm call; target < 5 ms`);
await client.close();
await sqlModule.shutdownSqlValidator();
