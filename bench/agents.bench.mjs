// Agent-definition parser benchmark: every file in shared/corpus/agents and shared/seeds.
// Run after compiling (`npm run compile-tests` puts the parser in out/src/agents/parse.js):
//   node bench/agents.bench.mjs
//   BA_OUT_DIR=/tmp/out-agents NODE_PATH=node_modules node bench/agents.bench.mjs   (out dir outside the repo)
// Prints figures only; the target (all files read and parsed in under 100 ms) is not asserted.
import { existsSync, promises as fs, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(repoRoot, process.env.BA_OUT_DIR ?? 'out');
const sharedDir = path.resolve(process.env.BA_SHARED_DIR ?? path.join(repoRoot, '..', 'shared'));
const passes = Number(process.env.BA_BENCH_PASSES ?? 15);

const parserPath = path.join(outDir, 'src', 'agents', 'parse.js');
if (!existsSync(parserPath)) {
  console.error(`agents bench: ${parserPath} not found; compile first (npm run compile-tests) or set BA_OUT_DIR`);
  process.exit(2);
}
// An out dir outside the repository needs NODE_PATH=node_modules to find gray-matter and yaml.
const require = createRequire(import.meta.url);

if (!existsSync(path.join(sharedDir, 'corpus', 'agents'))) {
  console.log(`agents: skipped, no corpus at ${path.join(sharedDir, 'corpus', 'agents')} (set BA_SHARED_DIR)`);
  process.exit(0);
}

const listFiles = dir => readdirSync(dir, { withFileTypes: true })
  .flatMap(e => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();

const files = [...listFiles(path.join(sharedDir, 'corpus', 'agents')), ...listFiles(path.join(sharedDir, 'seeds'))];
const options = { modelMap: { sonnet: 'gpt-4.1', opus: 'o3', haiku: 'gpt-4.1-mini' } };

const loadStart = performance.now();
const { parseAgentDefinition } = require(parserPath);
const loadMs = performance.now() - loadStart;

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = ms => ms.toFixed(1);
const rate = ms => Math.round(files.length / (ms / 1000)).toLocaleString('en-US');

async function readAndParse() {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const buffers = await Promise.all(files.map(f => fs.readFile(f)));
  const read = performance.now();
  let agents = 0;
  buffers.forEach((b, i) => { if (parseAgentDefinition(b, files[i], options).agent) { agents++; } });
  const done = performance.now();
  const used = process.cpuUsage(cpu);
  return { ms: done - started, readMs: read - started, parseMs: done - read, agents, cpuMs: (used.user + used.system) / 1000 };
}

function parseOnly(buffers) {
  const started = performance.now();
  for (let i = 0; i < buffers.length; i++) { parseAgentDefinition(buffers[i], files[i], options); }
  return performance.now() - started;
}

const first = await readAndParse();
const readParse = [];
for (let i = 0; i < passes; i++) { readParse.push((await readAndParse()).ms); }
const buffers = await Promise.all(files.map(f => fs.readFile(f)));
const parse = [];
for (let i = 0; i < passes; i++) { parse.push(parseOnly(buffers)); }

const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
console.log(`agents: ${files.length} files (corpus + seeds), ${(bytes / 1024).toFixed(0)} KB, ${first.agents} agents; parser module load ${fmt(loadMs)} ms`);
// CPU time beside wall time: on a busy machine the wall clock says more about the neighbours than about us.
console.log(`agents: read+parse ${files.length} files, first pass ${fmt(first.ms)} ms (${rate(first.ms)} files/s; read ${fmt(first.readMs)} ms, parse ${fmt(first.parseMs)} ms; CPU ${fmt(first.cpuMs)} ms)`);
console.log(`agents: read+parse ${files.length} files, warm median ${fmt(median(readParse))} ms (${rate(median(readParse))} files/s) over ${passes} passes`);
console.log(`agents: parse-only ${files.length} files, warm median ${fmt(median(parse))} ms (${rate(median(parse))} files/s), best ${fmt(Math.min(...parse))} ms`);
