#!/usr/bin/env node
/**
 * Streaming-render benchmark (MEASURED.md, "Streaming markdown"): a ~20,000-token answer (prose, lists, a
 * table, yaml/sql/mermaid fences) arrives in 5,000 deltas and is rendered after every delta, once by
 * StreamingMarkdownView (finished blocks once, the tail again) and once by re-rendering the whole text into
 * the container each time. Runs the compiled webview code under jsdom, which is slower than Chromium at DOM
 * work: read the ratio, not the milliseconds.
 *
 *   node bench/render.bench.mjs [--deltas 5000] [--full-every 10]
 *
 * Then the same deltas as the webview really renders them: coalesced per animation frame, with the view's
 * own scheduling, at three arrival rates (a simulated clock, real render costs).
 *
 * Loads <repo>/out/webview/markdown/*.js (`npm run compile-tests`); BA_OUT_DIR overrides <repo>/out. The
 * full re-render (quadratic) runs only with --full-every N: timed on every Nth delta and scaled up (a
 * Riemann sum of a smooth, growing cost: within a few per cent of timing all of them).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { JSDOM } from 'jsdom';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.env.BA_OUT_DIR ?? path.join(repo, 'out'));

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} needs a positive integer`);
  }
  return value;
}

async function loadModule(name) {
  const file = path.join(outDir, 'webview', 'markdown', `${name}.js`);
  const module = await import(pathToFileURL(file).href).catch((error) => {
    throw new Error(`cannot load ${file} (run \`npm run compile-tests\` or set BA_OUT_DIR): ${error.message}`);
  });
  // tsc's CommonJS output arrives as `default` when Node cannot see its named exports.
  return Object.keys(module).length === 1 && module.default ? module.default : module;
}

/** Deterministic source of randomness, so every run measures the same answer and the same deltas. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About 80,000 characters, i.e. about 20,000 tokens at the usual four characters per token. */
function makeAnswer(random, targetChars = 80_000) {
  const words = ['service', 'orders', 'the', 'queue', 'latency', 'idempotency', 'Postgres', 'index', 'tenant', 'retry',
    'events', 'API', 'schema', 'consistency', 'cache', 'writes', 'reads', 'partition', 'payments', 'audit'];
  const sentence = () => {
    const n = 8 + Math.floor(random() * 14);
    const parts = Array.from({ length: n }, () => words[Math.floor(random() * words.length)]);
    if (random() < 0.3) parts.splice(2, 0, '`orders.created_at`');
    if (random() < 0.2) parts.splice(4, 0, '**must**');
    if (random() < 0.1) parts.push('([RFC 9110](https://www.rfc-editor.org/rfc/rfc9110))');
    return `${parts.join(' ')}.`;
  };
  const paragraph = () => Array.from({ length: 3 + Math.floor(random() * 4) }, sentence).join(' ');
  const yaml = (i) => `\`\`\`yaml file=docs/api/openapi-${i}.yaml\nopenapi: 3.1.0\ninfo:\n  title: Orders API\n  version: 1.${i}.0\npaths:\n` +
    Array.from({ length: 12 }, (_, p) => `  /orders/{id}/items/${p}:\n    get:\n      operationId: getItem${p}\n      responses:\n        '200':\n          description: OK\n\n`).join('') +
    '```';
  const sql = () => '```sql\n' + Array.from({ length: 6 }, (_, t) =>
    `CREATE TABLE t${t} (\n  id uuid PRIMARY KEY,\n  tenant_id uuid NOT NULL REFERENCES tenants(id),\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n\nCREATE INDEX t${t}_tenant ON t${t} (tenant_id, created_at);\n`).join('\n') + '```';
  const mermaid = () => '```mermaid\nerDiagram\n' + Array.from({ length: 10 }, (_, e) => `  TENANT ||--o{ ENTITY${e} : owns\n  ENTITY${e} {\n    uuid id\n    text name\n  }`).join('\n') + '\n```';
  const list = () => Array.from({ length: 4 + Math.floor(random() * 4) }, (_, i) => `${random() < 0.5 ? '-' : `${i + 1}.`} ${sentence()}`).join('\n');
  const table = () => '| Endpoint | Method | Latency budget |\n|:--|:-:|--:|\n' +
    Array.from({ length: 6 }, (_, i) => `| /orders/${i} | GET | ${20 + i * 5} ms |`).join('\n');

  const blocks = [];
  let size = 0;
  for (let i = 0; size < targetChars; i++) {
    const kind = i % 12;
    const block =
      kind === 0 ? `## ${sentence().slice(0, 40)}` :
      kind === 3 ? list() :
      kind === 5 ? yaml(i) :
      kind === 7 ? sql() :
      kind === 9 ? mermaid() :
      kind === 10 ? table() :
      paragraph();
    blocks.push(block);
    size += block.length + 2;
  }
  return blocks.join('\n\n') + '\n';
}

/** Cuts `text` into exactly `count` deltas of random sizes. */
function cut(random, text, count) {
  const points = new Set();
  while (points.size < count - 1) {
    points.add(1 + Math.floor(random() * (text.length - 1)));
  }
  const sorted = [0, ...[...points].sort((a, b) => a - b), text.length];
  return sorted.slice(1).map((end, i) => text.slice(sorted[i], end));
}

const ms = (value) => Math.round(value).toLocaleString('en-US');

/**
 * The answer streamed through the view as the webview runs it: deltas arrive at `deltasPerSecond`, renders
 * are coalesced per animation frame (60 per second) and scheduled by the view itself. Time is simulated:
 * the clock is real time plus the idle time skipped while nothing is due, so every render's cost is real.
 */
function streamInFrames(incremental, document, deltas, deltasPerSecond) {
  const container = document.createElement('div');
  document.body.append(container);
  let skipped = 0;
  const clock = () => performance.now() + skipped;
  let pending;
  const view = new incremental.StreamingMarkdownView(container, { clock, schedule: (callback, delayMs) => { pending = { callback, due: clock() + delayMs }; } });
  const frameMs = 1000 / 60;
  const start = clock();
  let next = 0;
  let busy = 0;
  let frames = 0;
  let worst = 0;
  let ending = false;
  while (next < deltas.length || pending) {
    if (next === deltas.length && !ending) {
      // The answer ended (answer/end): the view finishes once its frames caught up.
      ending = true;
      void view.finishWhenRendered();
      if (!pending) { break; }
    }
    const arrival = next < deltas.length ? start + (next * 1000) / deltasPerSecond : Infinity;
    const frame = pending ? Math.ceil(Math.max(pending.due, clock()) / frameMs) * frameMs : Infinity;
    const at = Math.min(arrival, frame);
    if (at > clock()) { skipped += at - clock(); }
    const t0 = performance.now();
    if (arrival <= frame) {
      view.append(deltas[next++]);
    } else {
      const run = pending.callback;
      pending = undefined;
      run();
      frames++;
      worst = Math.max(worst, performance.now() - t0);
      if (process.env.BENCH_FRAMES && performance.now() - t0 > 30) { console.log("frame", frames, (performance.now() - t0).toFixed(1), next); }
    }
    busy += performance.now() - t0;
  }
  if (!ending) { view.finish(); }
  return { busy, frames, worst, seconds: deltas.length / deltasPerSecond, html: container.innerHTML };
}

async function main() {
  const deltaCount = option('deltas', 5000);
  const fullEvery = process.argv.includes('--full-every') ? option('full-every', 10) : 0;

  // tsc's CommonJS output requires markdown-it and dompurify by name; when BA_OUT_DIR points outside the
  // repository, let those resolve from the repository's node_modules.
  process.env.NODE_PATH = [path.join(repo, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  require('node:module').Module._initPaths();

  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://webview.test/' });
  const sanitize = await loadModule('sanitize');
  const render = await loadModule('render');
  const incremental = await loadModule('incremental');
  sanitize.setDomWindow(dom.window);
  const document = dom.window.document;

  const random = seededRandom(20_000);
  const text = makeAnswer(random);
  const deltas = cut(random, text, deltaCount);
  const expected = render.renderMarkdown(text);

  // Warm up the JIT and the parser on a different text of the same kind.
  render.renderMarkdown(makeAnswer(seededRandom(1), 20_000));

  // One final render of the whole answer, best of five.
  let finalMs = Infinity;
  for (let i = 0; i < 5; i++) {
    const target = document.createElement('div');
    const started = performance.now();
    target.append(render.renderMarkdownFragment(text));
    finalMs = Math.min(finalMs, performance.now() - started);
  }

  // Incremental with a flush after every delta (no coalescing at all: the worst case, and the old figure).
  const streamed = document.createElement('div');
  document.body.append(streamed);
  const view = new incremental.StreamingMarkdownView(streamed, { schedule: () => undefined });
  let worstFlush = 0;
  const incrementalStart = performance.now();
  for (const delta of deltas) {
    view.append(delta);
    const flushStart = performance.now();
    view.flush();
    worstFlush = Math.max(worstFlush, performance.now() - flushStart);
  }
  view.finish();
  const incrementalMs = performance.now() - incrementalStart;
  let identical = streamed.innerHTML === expected;

  console.log(`answer: ${text.length.toLocaleString('en-US')} characters (~${Math.round(text.length / 4).toLocaleString('en-US')} tokens), ` +
    `${text.split('```').length >> 1} fenced blocks, ${deltaCount.toLocaleString('en-US')} deltas; jsdom ${require('jsdom/package.json').version}, Node ${process.version}; ` +
    `one final render ${ms(finalMs)} ms`);
  console.log(`render after every delta: ${ms(incrementalMs)} ms in total (x${(incrementalMs / finalMs).toFixed(1)} the final render), slowest ${worstFlush.toFixed(1)} ms`);

  // As the webview runs it: coalesced per animation frame, at three arrival rates. The host posts at most one
  // message per 16 ms, so 60 deltas a second is what the slowest frame-by-frame stream looks like to the view;
  // 500 a second is a fast provider (about 2,000 tokens/s); 5,000 a second a burst (a reconnect replay).
  for (const [rate, label] of [[5000, 'burst'], [500, 'fast provider'], [60, 'one post per frame']]) {
    const r = streamInFrames(incremental, document, deltas, rate);
    identical &&= r.html === expected;
    console.log(`frame-coalesced, ${rate} deltas/s (${label}, ${r.seconds.toFixed(0)} s of streaming): ${ms(r.busy)} ms in total ` +
      `(x${(r.busy / finalMs).toFixed(1)} the final render), ${r.frames.toLocaleString('en-US')} renders, slowest frame ${r.worst.toFixed(1)} ms`);
  }

  if (fullEvery) {
    // Full re-render per delta: the whole text so far, into the container, every time (quadratic).
    const full = document.createElement('div');
    document.body.append(full);
    let fullMs = 0;
    let sofar = '';
    for (let i = 0; i < deltas.length; i++) {
      sofar += deltas[i];
      if (i % fullEvery !== fullEvery - 1) {
        continue;
      }
      const started = performance.now();
      full.replaceChildren(render.renderMarkdownFragment(sofar));
      fullMs += (performance.now() - started) * fullEvery;
    }
    console.log(`full re-render per delta: ${ms(fullMs)} ms (timed on every ${fullEvery}th delta, x${fullEvery})`);
  }
  console.log(`final HTML identical to renderMarkdown(answer) in every run: ${identical ? 'yes' : 'NO'}`);
  if (!identical) {
    process.exitCode = 1;
  }
}

await main();
