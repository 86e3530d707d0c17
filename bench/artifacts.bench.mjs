// Artifact checks: OpenAPI validation of a 1,000-line spec (target under 50 ms warm), mermaid parse of a
// 30-node flowchart (target under 40 ms; measured in Node under jsdom, the CLI's setup, not the webview's
// browser), and extraction from a long streamed answer. Prints figures; asserts nothing.
// Run after compiling (`npm run compile-tests` puts the code in out/):
//   node bench/artifacts.bench.mjs
//   BA_OUT_DIR=.tmp/out-art node bench/artifacts.bench.mjs   (another compiled tree inside the repo)
// BENCH_RUNS changes the number of warm runs (default 25).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(repo, process.env.BA_OUT_DIR ?? 'out');
const runs = Number(process.env.BENCH_RUNS ?? 25);
const require = createRequire(path.join(repo, 'package.json'));
const artifacts = path.join(outDir, 'src', 'artifacts');
if (!existsSync(path.join(artifacts, 'openapi.js'))) {
  console.error(`artifacts bench: ${artifacts}/openapi.js not found; compile first (npm run compile-tests) or set BA_OUT_DIR`);
  process.exit(2);
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = ms => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const n = x => x.toLocaleString('en-US');
async function timed(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/**
 * A real spec grown to 1,000 lines: the Redocly museum API (679 lines, MIT) with its paths repeated under
 * /v2, /v3, ... (operationIds suffixed so they stay unique) until the text reaches 1,000 lines.
 */
function thousandLineSpec() {
  const { parseDocument } = require('yaml');
  const museum = readFileSync(path.join(repo, 'test/fixtures/artifacts/openapi/valid/redocly-museum-3.1.yaml'), 'utf8');
  const doc = parseDocument(museum);
  const original = doc.toJS().paths;
  for (let copy = 2; ; copy++) {
    for (const [p, item] of Object.entries(original)) {
      const clone = structuredClone(item);
      for (const op of Object.values(clone)) { if (op && typeof op === 'object' && op.operationId) { op.operationId += `V${copy}`; } }
      doc.setIn(['paths', `/v${copy}${p}`], doc.createNode(clone));
    }
    const text = doc.toString({ lineWidth: 0 });
    const lines = text.split('\n').length;
    if (lines >= 1000) { return { text, lines }; }
  }
}

/** 30 nodes in three subgraphs, 40 edges, labels with spaces and shapes: a service map of a realistic size. */
function thirtyNodeFlowchart() {
  const lines = ['flowchart LR'];
  const groups = ['edge', 'services', 'data'];
  for (let g = 0; g < 3; g++) {
    lines.push(`  subgraph ${groups[g]}[${groups[g]} tier]`);
    for (let i = 0; i < 10; i++) {
      const id = `n${g * 10 + i}`;
      lines.push(g === 2 ? `    ${id}[(Store ${i})]` : `    ${id}[Service ${g * 10 + i} API]`);
    }
    lines.push('  end');
  }
  for (let e = 0; e < 40; e++) { lines.push(`  n${e % 30} -->|call ${e}| n${(e * 7 + 3) % 30}`); }
  return `${lines.join('\n')}\n`;
}

async function benchOpenApi() {
  const load = await timed(() => require(path.join(artifacts, 'openapi.js')));
  const { validateOpenApi } = load.value;
  const { text, lines } = thousandLineSpec();
  const cold = await timed(() => validateOpenApi(text));
  if (cold.value.status !== 'valid') { throw new Error(`bench spec is not valid: ${JSON.stringify(cold.value.problems.slice(0, 3))}`); }
  const warm = [];
  for (let i = 0; i < runs; i++) { warm.push((await timed(() => validateOpenApi(text))).ms); }
  console.log(`openapi: ${n(lines)}-line spec warm median ${fmt(median(warm))} ms, best ${fmt(Math.min(...warm))} ms over ${runs} runs ` +
    `(cold ${fmt(cold.ms)} ms including the redocly import; module load ${fmt(load.ms)} ms); target < 50 ms warm`);
}

async function benchMermaid() {
  const { loadMermaidForNode, parseMermaidInNode } = require(path.join(artifacts, 'mermaidNode.js'));
  const setup = await timed(() => loadMermaidForNode());
  const diagram = thirtyNodeFlowchart();
  const first = await timed(() => parseMermaidInNode(diagram));
  const warm = [];
  for (let i = 0; i < runs; i++) { warm.push((await timed(() => parseMermaidInNode(diagram))).ms); }
  console.log(`mermaid (Node+jsdom): 30-node flowchart parse median ${fmt(median(warm))} ms, best ${fmt(Math.min(...warm))} ms over ${runs} runs ` +
    `(first ${fmt(first.ms)} ms), setup ${fmt(setup.ms)} ms (jsdom + mermaid import + self-test); target < 40 ms`);
}

async function benchExtract() {
  const { ArtifactStream, extractArtifacts } = require(path.join(artifacts, 'extract.js'));
  const answer = readFileSync(path.join(repo, 'test/fixtures/artifacts/answers/design-contract.md'), 'utf8').repeat(40);
  const deltas = answer.match(/[\s\S]{1,16}/g);
  const whole = [];
  const streamed = [];
  let count = 0;
  for (let i = 0; i < runs; i++) {
    whole.push((await timed(() => extractArtifacts(answer, { final: true }))).ms);
    streamed.push((await timed(() => {
      const stream = new ArtifactStream();
      count = 0;
      for (const d of deltas) { count += stream.push(d).length; }
      count += stream.finish().length;
    })).ms);
  }
  console.log(`extract: ${n(answer.length)}-char answer, ${count} artifacts: whole median ${fmt(median(whole))} ms, ` +
    `streamed in ${n(deltas.length)} deltas median ${fmt(median(streamed))} ms`);
}

// Medians on a shared machine move with its load; the best run is closer to the unloaded figure.
console.log(`artifacts: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores while measuring`);
await benchOpenApi();
await benchMermaid();
await benchExtract();
