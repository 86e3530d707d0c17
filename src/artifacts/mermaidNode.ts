/**
 * Mermaid's own parser in Node (the CLI and unit tests). The extension parses in the webview's browser
 * instead; this file is never imported at activation.
 *
 * Why a DOM shim: mermaid sanitises labels with DOMPurify, which binds to `window` when its module is first
 * evaluated. Without one, flowcharts with labels fail in plain Node (`DOMPurify.addHook is not a function`,
 * MEASURED.md). So `window` and `document` from a jsdom page exist while mermaid is imported, and are taken
 * away again afterwards: parsing needs only what DOMPurify captured, and other code in the process should
 * not find a fake browser on `globalThis`. Setup costs 0.5–0.7 s once; later parses take milliseconds.
 */
import type { Mermaid } from 'mermaid';

let loading: Promise<Mermaid> | undefined;

/** Mermaid's configuration for checking (never rendering): strict, with its own size limits (THREATS T2, T14). */
export const MERMAID_CHECK_CONFIG = {
  startOnLoad: false,
  securityLevel: 'strict',
  maxTextSize: 50_000,
  maxEdges: 500,
  suppressErrorRendering: true,
} as const;

/** Loads mermaid under a jsdom window, once; later calls share the same promise. */
export function loadMermaidForNode(): Promise<Mermaid> {
  loading ??= load().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

async function load(): Promise<Mermaid> {
  const { JSDOM } = await import('jsdom');
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://mermaid.invalid/' });
  const scope = globalThis as Record<string, unknown>;
  // Only fill what is missing: a real browser-like global (a test's, or the webview's) is left alone.
  const installed = ['window', 'document'].filter(key => scope[key] === undefined);
  if (installed.includes('window')) { scope.window = dom.window; }
  if (installed.includes('document')) { scope.document = dom.window.document; }
  let mermaid: Mermaid;
  try {
    mermaid = (await import('mermaid')).default;
  } finally {
    for (const key of installed) { delete scope[key]; }
  }
  mermaid.initialize({ ...MERMAID_CHECK_CONFIG });
  await selfTest(mermaid);
  return mermaid;
}

/**
 * A flowchart with a label goes through DOMPurify: if the shim did not take (DOMPurify was already loaded
 * without a window by someone else), say so plainly instead of blaming every diagram.
 */
async function selfTest(mermaid: Mermaid): Promise<void> {
  try {
    await mermaid.parse('flowchart LR\n  a["label (x)"] --> b');
  } catch (err) {
    throw new Error(`mermaid could not start under jsdom: ${(err as Error).message}`);
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Parses with mermaid's own parser in Node; resolves when the diagram is valid, throws mermaid's error
 * otherwise. Calls run one at a time: mermaid keeps the diagram being parsed in module state, and a parse
 * awaits (diagram code loads lazily), so two at once could clear each other's database.
 */
export function parseMermaidInNode(text: string): Promise<void> {
  const run = queue.then(async () => {
    const mermaid = await loadMermaidForNode();
    await mermaid.parse(text);
  });
  queue = run.catch(() => undefined);
  return run;
}
