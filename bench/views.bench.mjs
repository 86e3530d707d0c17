#!/usr/bin/env node
/**
 * The answer view's renderers, as the webview runs them (compiled webview code under jsdom, which is slower
 * than Chromium at DOM work): the endpoint view of a 1,000-line spec (the Redocly museum API grown with its
 * paths repeated under /v2, /v3, ..., as bench/artifacts.bench.mjs grows it) and the table view of a
 * 30-table schema (pagila as Postgres built it: 15 tables, 7 partitions, 8 views). Targets: under 100 ms
 * each. Also the models' build time on the host (spec text to endpoint model).
 *
 *   node bench/views.bench.mjs        (after `npm run compile-tests`; BA_OUT_DIR overrides <repo>/out)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.resolve(process.env.BA_OUT_DIR ?? path.join(repo, 'out'));
process.env.NODE_PATH = [path.join(repo, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
require('node:module').Module._initPaths();

function thousandLineSpec() {
  const { parseDocument } = require('yaml');
  const doc = parseDocument(readFileSync(path.join(repo, 'test/fixtures/artifacts/openapi/valid/redocly-museum-3.1.yaml'), 'utf8'));
  const original = doc.toJS().paths;
  for (let copy = 2; ; copy++) {
    for (const [p, item] of Object.entries(original)) {
      const clone = structuredClone(item);
      for (const op of Object.values(clone)) { if (op && typeof op === 'object' && op.operationId) { op.operationId += `V${copy}`; } }
      doc.setIn(['paths', `/v${copy}${p}`], doc.createNode(clone));
    }
    const text = doc.toString({ lineWidth: 0 });
    if (text.split('\n').length >= 1000) { return text; }
  }
}

/** Median of `runs` timings of fn (after one warm-up run). */
async function median(runs, fn) {
  await fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://webview.test/' });
for (const name of ['document', 'window', 'HTMLElement', 'HTMLDetailsElement', 'Node', 'Event']) { globalThis[name] = dom.window[name]; }
const load = rel => require(path.join(out, rel));
const { endpointModelOfText } = load('src/artifacts/endpointModel.js');
const { renderEndpoints } = load('webview/renderers/endpointView.js');
const { renderTables } = load('webview/renderers/tableView.js');

const spec = thousandLineSpec();
const modelMs = await median(9, () => endpointModelOfText(spec));
const model = await endpointModelOfText(spec);
const endpointMs = await median(9, () => {
  const target = document.createElement('div');
  document.body.append(target);
  renderEndpoints(model, target, 'bench');
  target.remove();
});
// Opening every operation builds its parameters, bodies and responses (what a reader does one at a time).
const openAllMs = await median(5, () => {
  const target = document.createElement('div');
  document.body.append(target);
  renderEndpoints(model, target, 'bench');
  for (const d of target.querySelectorAll('details.endpoint')) { d.open = true; d.dispatchEvent(new dom.window.Event('toggle')); }
  target.remove();
});
const tables = JSON.parse(readFileSync(path.join(repo, 'test/fixtures/artifacts/sql/pagila.tables.json'), 'utf8'));
const tableMs = await median(9, () => {
  const target = document.createElement('div');
  document.body.append(target);
  // The ER diagram beside the tables is mermaid's, drawn in the browser afterwards: not part of this figure.
  renderTables({ ...tables, er: undefined }, target, 'bench');
  target.remove();
});

const f = ms => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
console.log(`views (jsdom ${require('jsdom/package.json').version}): endpoint view of a ${spec.split('\n').length}-line spec (${model.operations.length} operations, ` +
  `${Object.keys(model.schemas).length} schemas) ${f(endpointMs)} ms (target < 100), with every operation opened ${f(openAllMs)} ms; ` +
  `its model from the text ${f(modelMs)} ms; table view of ${tables.tables.length} tables (pagila) ${f(tableMs)} ms (target < 100)`);
