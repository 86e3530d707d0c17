// Streaming overhead of our client (`streamChat`) against the bare `openai` package, on the same
// 5,000-chunk stream from a ModelServer running in a worker thread (so its writes do not share the
// event loop being measured). Usage: node bench/stream.bench.mjs  (after `npm run compile-tests`;
// BA_OUT_DIR points at another compiled tree, BENCH_RUNS / BENCH_CHUNKS change the size).
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.env.BA_OUT_DIR ?? path.join(repo, 'out'));
const require = createRequire(path.join(repo, 'package.json'));
const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

if (!isMainThread) {
  const { ModelServer } = require(path.join(workerData.outDir, 'test/support/modelServer.js'));
  const chunks = Array.from({ length: workerData.chunks }, (_, i) => (i % 10 === 9 ? 'word\n' : 'word '));
  const server = await ModelServer.start({ quiet: true, defaultAnswer: () => ({ chunks, chunkDelayMs: 0 }) });
  parentPort.postMessage(server.url);
  parentPort.once('message', async () => {
    await server.close();
    process.exit(0);
  });
} else {
  await main();
}

async function main() {
  const { streamChat } = require(path.join(outDir, 'src/llm/openaiStream.js'));
  const { OpenAI } = require('openai');
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { outDir, chunks: CHUNKS } });
  const url = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  const messages = [{ role: 'user', content: 'bench' }];

  const ours = async () => {
    let count = 0;
    let first = 0;
    const start = performance.now();
    const result = await streamChat({ endpoint: { baseURL: url, model: 'bench' }, messages }, {
      onDelta() {
        if (count++ === 0) first = performance.now();
      },
    });
    if (result.status !== 'complete') throw new Error(`ours ended ${result.status}: ${result.error?.message}`);
    return { count, first: first - start, total: performance.now() - start, streaming: performance.now() - first };
  };

  const bare = async () => {
    let count = 0;
    let first = 0;
    const start = performance.now();
    // Same client settings as ours (no retries, no SDK logging), so the ratio is the cost of our wrapper alone.
    const client = new OpenAI({ apiKey: 'bench', baseURL: url, maxRetries: 0, logLevel: 'off' });
    const stream = await client.chat.completions.create({ model: 'bench', messages, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta?.content;
      if (content && count++ === 0) first = performance.now();
    }
    return { count, first: first - start, total: performance.now() - start, streaming: performance.now() - first };
  };

  for (let i = 0; i < 3; i++) {
    await ours();
    await bare();
  }
  const samples = { ours: [], bare: [] };
  for (let i = 0; i < RUNS; i++) {
    // Alternate the order so neither side always runs on a warmer connection pool.
    const pair = i % 2 ? [['bare', bare], ['ours', ours]] : [['ours', ours], ['bare', bare]];
    for (const [name, fn] of pair) samples[name].push(await fn());
  }
  worker.postMessage('stop');

  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const summary = (list) => ({
    rate: median(list.map((s) => (s.count - 1) / (s.streaming / 1000))),
    first: median(list.map((s) => s.first)),
    total: median(list.map((s) => s.total)),
    count: list[0].count,
  });
  const o = summary(samples.ours);
  const b = summary(samples.bare);
  if (o.count !== CHUNKS || b.count !== CHUNKS) throw new Error(`expected ${CHUNKS} deltas, got ours ${o.count}, bare ${b.count}`);
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log(
    `stream (${fmt(CHUNKS)} chunks, median of ${RUNS}, Node ${process.versions.node}): ` +
      `ours ${fmt(o.rate)} chunks/s, bare ${fmt(b.rate)} chunks/s (ratio ${(o.rate / b.rate).toFixed(2)}); ` +
      `first delta ours ${o.first.toFixed(1)} ms, bare ${b.first.toFixed(1)} ms; ` +
      `whole answer ours ${o.total.toFixed(1)} ms, bare ${b.total.toFixed(1)} ms`,
  );
  if (o.rate / b.rate < 0.9) process.exitCode = 1;
}
