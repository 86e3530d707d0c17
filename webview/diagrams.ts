/**
 * Mermaid in the webview: the host's parse requests, and diagrams drawn under their source blocks. Mermaid
 * loads on first use (its own chunk), in strict mode with HTML labels off; its SVG is sanitised again before
 * it reaches the DOM (THREATS T2), and no remote load can happen under the CSP.
 */
import DOMPurify from 'dompurify';
import type { Mermaid } from 'mermaid';
import { attachViewer, type SaveImage } from './diagramViewer';

let mermaidPromise: Promise<Mermaid> | undefined;
let renderCount = 0;

function themeName(): 'dark' | 'default' | 'neutral' {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') && !c.contains('vscode-high-contrast-light')) { return 'dark'; }
  if (c.contains('vscode-high-contrast-light')) { return 'neutral'; }
  return c.contains('vscode-dark') ? 'dark' : 'default';
}

async function loadMermaid(): Promise<Mermaid> {
  mermaidPromise ??= import('mermaid').then(m => {
    const mermaid = m.default;
    configure(mermaid);
    return mermaid;
  });
  return mermaidPromise;
}

function configure(mermaid: Mermaid): void {
  // Only initialize() can set these; %%{init}%% directives in a diagram cannot loosen them.
  mermaid.initialize({
    startOnLoad: false, securityLevel: 'strict', htmlLabels: false, maxTextSize: 50_000, maxEdges: 500,
    theme: themeName(), flowchart: { htmlLabels: false }, suppressErrorRendering: true,
  });
}

/** Parses with mermaid's own parser; the error's text is what the host turns into problems. */
export async function parseDiagram(text: string): Promise<{ ok: boolean; error?: string }> {
  try {
    const mermaid = await loadMermaid();
    await mermaid.parse(text);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: String((e as Error)?.message ?? e).slice(0, 4000) };
  }
}

/** Mermaid's SVG, minus anything that could run or load: no foreignObject, images, links, scripts or url() in styles. */
function cleanSvg(svg: string): DocumentFragment {
  const fragment = DOMPurify.sanitize(svg, {
    USE_PROFILES: { svg: true, svgFilters: true },
    ADD_TAGS: ['style'],
    FORBID_TAGS: ['foreignObject', 'image', 'use', 'a', 'script', 'iframe'],
    FORBID_ATTR: ['href', 'xlink:href'],
    RETURN_DOM_FRAGMENT: true,
  }) as unknown as DocumentFragment;
  for (const style of Array.from(fragment.querySelectorAll('style'))) {
    style.textContent = (style.textContent ?? '').replace(/@import[^;]*;?/gi, '').replace(/url\s*\([^)]*\)/gi, 'none');
  }
  return fragment;
}

/** Every figure drawn, with its source and where it saves to, so a theme change can draw them again. */
const figures = new Map<HTMLElement, { source: string; save?: SaveImage }>();

async function drawInto(figure: HTMLElement, source: string, save?: SaveImage): Promise<void> {
  const mermaid = await loadMermaid();
  figures.set(figure, { source, save });
  figure.setAttribute('aria-label', `Diagram: ${source.split('\n')[0].slice(0, 80)}`);
  try {
    const { svg } = await mermaid.render(`ba-diagram-${++renderCount}`, source);
    figure.replaceChildren(cleanSvg(svg));
    figure.dataset.state = 'ok';
    if (figure.isConnected) { attachViewer(figure, source, save); }
  } catch (e) {
    figure.textContent = `Diagram not drawn: ${String((e as Error)?.message ?? e).split('\n').slice(0, 3).join(' ')}`;
    figure.dataset.state = 'error';
  }
}

function newFigure(): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'diagram';
  figure.setAttribute('role', 'img');
  return figure;
}

/**
 * Draws `source` into the figure of `container` (made on first use): a card's Rendered tab, with the
 * viewer's zoom, pan and full screen; `save` adds Save as SVG and PNG.
 */
export async function drawDiagram(container: HTMLElement, source: string, save?: SaveImage): Promise<void> {
  let figure = container.querySelector<HTMLElement>('figure.diagram');
  if (!figure) {
    figure = newFigure();
    container.replaceChildren(figure);
  }
  await drawInto(figure, source, save);
}

/**
 * Draws every mermaid block in `root` that has no diagram yet and no card (a card draws its own in its
 * Rendered tab), above the block.
 */
export async function renderDiagrams(root: HTMLElement): Promise<void> {
  const blocks = Array.from(root.querySelectorAll<HTMLElement>('pre > code.language-mermaid')).filter(c => !c.closest('[data-card]'));
  for (const code of blocks) {
    const pre = code.parentElement as HTMLElement;
    const before = pre.previousElementSibling as HTMLElement | null;
    if (before?.classList.contains('diagram') || before?.classList.contains('diagram-stage')) { continue; }
    const figure = newFigure();
    pre.before(figure);
    await drawInto(figure, code.textContent ?? '');
  }
}

/** Redraws every diagram on the page when the colour theme changes (VS Code swaps body classes). */
export function followTheme(): void {
  let last = themeName();
  new MutationObserver(() => {
    const now = themeName();
    if (now === last || !mermaidPromise) { return; }
    last = now;
    void mermaidPromise.then(async mermaid => {
      configure(mermaid);
      for (const [figure, { source, save }] of [...figures]) {
        if (figure.isConnected) { await drawInto(figure, source, save); } else { figures.delete(figure); }
      }
    });
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
