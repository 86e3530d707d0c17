/**
 * Around a drawn diagram: zoom (Ctrl+wheel, or the wheel in full screen; buttons; + and - keys), fit to
 * width, pan (drag, or the arrow keys once the diagram has focus), full screen inside the view (Escape
 * leaves), Save as SVG and PNG (the host names the file and writes it by the writing rules), and a text
 * alternative for screen readers listing what the diagram holds.
 */
import type { DiagramImageFormat } from '../src/protocol';
import { el } from './dom';
import { makeButton } from './ui/toolkit';

/** Where a Save goes: the host is told the artifact, the format and the image. */
export type SaveImage = (format: DiagramImageFormat, data: string) => void;

const MIN = 0.1;
const MAX = 8;
const STEP = 1.25;
const PNG_MAX_SIDE = 8192;

interface Viewer {
  root: HTMLElement;
  /** Call after a new SVG was put in the figure. */
  refresh(): void;
}

const viewers = new WeakMap<HTMLElement, Viewer>();

/**
 * Gives `figure` (holding mermaid's SVG) its viewer, once; later calls refresh it. `save` is undefined when
 * the diagram belongs to no artifact (then no Save buttons).
 */
export function attachViewer(figure: HTMLElement, source: string, save?: SaveImage): void {
  const known = viewers.get(figure);
  if (known) { known.refresh(); return; }
  const viewer = createViewer(figure, source, save);
  viewers.set(figure, viewer);
  viewer.refresh();
}

function createViewer(figure: HTMLElement, source: string, save?: SaveImage): Viewer {
  const stage = el('div', 'diagram-stage');
  // The figure moves into a viewport that clips and pans it; the toolbar sits above.
  const viewport = el('div', 'diagram-viewport');
  viewport.tabIndex = 0;
  viewport.setAttribute('role', 'group');
  viewport.setAttribute('aria-roledescription', 'diagram viewer');
  viewport.title = 'Drag to pan; Ctrl+wheel or + and - to zoom; 0 fits to width; arrows pan';
  const description = el('div', 'visually-hidden diagram-description');
  const descriptionId = `diagram-text-${Math.random().toString(36).slice(2)}`;
  description.id = descriptionId;
  figure.setAttribute('aria-describedby', descriptionId);
  const zoomLabel = el('span', 'diagram-zoom-level');
  zoomLabel.setAttribute('aria-live', 'polite');
  let scale = 1;
  let x = 0;
  let y = 0;
  let fitted = true;

  const apply = (): void => {
    figure.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    zoomLabel.textContent = `${Math.round(scale * 100)}%`;
    stage.dataset.zoom = String(Math.round(scale * 100));
  };
  const natural = (): { width: number; height: number } => {
    const svg = figure.querySelector('svg');
    const box = svg?.viewBox?.baseVal;
    const width = box?.width || Number(svg?.getAttribute('width')) || svg?.getBoundingClientRect().width || 1;
    const height = box?.height || Number(svg?.getAttribute('height')) || svg?.getBoundingClientRect().height || 1;
    return { width, height };
  };
  const fit = (): void => {
    const { width, height } = natural();
    const svg = figure.querySelector('svg');
    if (svg) { svg.style.width = `${width}px`; svg.style.height = `${height}px`; svg.style.maxWidth = 'none'; }
    // Never enlarged to fit: a small diagram stays at its size; a wide one shrinks to the width.
    scale = Math.min(1, Math.max(MIN, (viewport.clientWidth - 16) / width || 1));
    x = 0;
    y = 0;
    fitted = true;
    if (!stage.classList.contains('fullscreen')) { viewport.style.height = `${Math.min(Math.max(height * scale + 16, 80), window.innerHeight * 0.7)}px`; }
    apply();
  };
  /** Zooms by `factor` keeping the point (px, py) of the viewport where it is. */
  const zoom = (factor: number, px = viewport.clientWidth / 2, py = viewport.clientHeight / 2): void => {
    const next = Math.min(MAX, Math.max(MIN, scale * factor));
    x = px - ((px - x) * next) / scale;
    y = py - ((py - y) * next) / scale;
    scale = next;
    fitted = false;
    apply();
  };
  const pan = (dx: number, dy: number): void => { x += dx; y += dy; fitted = false; apply(); };

  const fullScreen = (on: boolean): void => {
    stage.classList.toggle('fullscreen', on);
    full.textContent = on ? 'Exit Full Screen' : 'Full Screen';
    full.setAttribute('aria-pressed', String(on));
    fit();
    viewport.focus();
  };
  const zoomIn = makeButton('+', { secondary: true, ariaLabel: 'Zoom in', title: 'Zoom in (+)', className: 'diagram-zoom-in', onClick: () => zoom(STEP) });
  const zoomOut = makeButton('−', { secondary: true, ariaLabel: 'Zoom out', title: 'Zoom out (-)', className: 'diagram-zoom-out', onClick: () => zoom(1 / STEP) });
  const fitButton = makeButton('Fit to Width', { secondary: true, title: 'Fit the diagram to the width (0)', className: 'diagram-fit', onClick: fit });
  const full = makeButton('Full Screen', { secondary: true, title: 'Show the diagram over the whole view (Escape to leave)', className: 'diagram-full', onClick: () => fullScreen(!stage.classList.contains('fullscreen')) });
  const toolbar = el('div', 'diagram-toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Diagram');
  toolbar.append(zoomOut, zoomLabel, zoomIn, fitButton, full);
  if (save) {
    toolbar.append(
      makeButton('Save as SVG', { secondary: true, title: 'Save the diagram as an SVG file in the workspace', className: 'diagram-save-svg', onClick: () => save('svg', svgText(figure)) }),
      makeButton('Save as PNG', { secondary: true, title: 'Save the diagram as a PNG image in the workspace', className: 'diagram-save-png', onClick: () => { void pngBase64(figure).then(data => save('png', data)); } }),
    );
  }

  figure.replaceWith(stage);
  viewport.append(figure);
  stage.append(toolbar, viewport, description);

  viewport.addEventListener('wheel', e => {
    if (!e.ctrlKey && !e.metaKey && !stage.classList.contains('fullscreen')) { return; }
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoom(e.deltaY < 0 ? STEP : 1 / STEP, e.clientX - r.left, e.clientY - r.top);
  }, { passive: false });
  let drag: { px: number; py: number } | undefined;
  viewport.addEventListener('pointerdown', e => {
    if (e.button !== 0) { return; }
    drag = { px: e.clientX, py: e.clientY };
    viewport.setPointerCapture?.(e.pointerId);
    viewport.classList.add('dragging');
  });
  viewport.addEventListener('pointermove', e => {
    if (!drag) { return; }
    pan(e.clientX - drag.px, e.clientY - drag.py);
    drag = { px: e.clientX, py: e.clientY };
  });
  const endDrag = (): void => { drag = undefined; viewport.classList.remove('dragging'); };
  viewport.addEventListener('pointerup', endDrag);
  viewport.addEventListener('pointercancel', endDrag);
  viewport.addEventListener('keydown', e => {
    const step = e.shiftKey ? 120 : 40;
    const keys: Record<string, () => void> = {
      '+': () => zoom(STEP), '=': () => zoom(STEP), '-': () => zoom(1 / STEP), '0': fit,
      ArrowLeft: () => pan(step, 0), ArrowRight: () => pan(-step, 0), ArrowUp: () => pan(0, step), ArrowDown: () => pan(0, -step),
      Escape: () => { if (stage.classList.contains('fullscreen')) { fullScreen(false); } },
    };
    const action = keys[e.key];
    if (action && !e.altKey && !e.ctrlKey && !e.metaKey) { e.preventDefault(); e.stopPropagation(); action(); }
  });
  // A diagram keeps fitting the width while the view is resized, until the reader zooms or pans.
  new ResizeObserver(() => { if (fitted) { fit(); } }).observe(viewport);

  return {
    root: stage,
    refresh: () => {
      description.textContent = describe(figure, source);
      if (fitted) { fit(); } else { apply(); }
    },
  };
}

/**
 * The text alternative: the kind of diagram and the labels it shows, in order (what a sighted reader
 * scans first); the Source tab has the full text.
 */
export function describe(figure: HTMLElement, source: string): string {
  const kind = /^\s*(?:%%.*\n\s*)*([A-Za-z-]+)/.exec(source)?.[1] ?? 'diagram';
  const names: Record<string, string> = { flowchart: 'Flowchart', graph: 'Flowchart', erDiagram: 'Entity-relationship diagram', sequenceDiagram: 'Sequence diagram',
    classDiagram: 'Class diagram', stateDiagram: 'State diagram', 'stateDiagram-v2': 'State diagram', C4Context: 'C4 context diagram' };
  const labels: string[] = [];
  for (const t of Array.from(figure.querySelectorAll('svg text'))) {
    const text = (t.textContent ?? '').trim();
    if (text && !labels.includes(text)) { labels.push(text); }
    if (labels.length >= 80) { break; }
  }
  return `${names[kind] ?? 'Diagram'}${labels.length ? ` showing: ${labels.join('; ')}` : ''}.`;
}

/** The SVG as a standalone document (namespaced, so any viewer opens it). */
export function svgText(figure: HTMLElement): string {
  const svg = figure.querySelector('svg');
  if (!svg) { return ''; }
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.removeAttribute('style');
  // Its own size, as a file: the page's 100% means nothing there.
  const box = svg.viewBox?.baseVal;
  if (box?.width) { copy.setAttribute('width', String(Math.ceil(box.width))); copy.setAttribute('height', String(Math.ceil(box.height))); }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** The diagram drawn into a canvas at twice its size (within 8192 px a side), as base64 PNG. */
async function pngBase64(figure: HTMLElement): Promise<string> {
  const text = svgText(figure);
  const svg = figure.querySelector('svg');
  const box = svg?.viewBox?.baseVal;
  const width = box?.width || svg?.getBoundingClientRect().width || 800;
  const height = box?.height || svg?.getBoundingClientRect().height || 600;
  const factor = Math.min(2, PNG_MAX_SIDE / Math.max(width, height));
  const image = new Image();
  // A data: URL is what the CSP allows for images (img-src data:); nothing leaves the webview.
  image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * factor);
  canvas.height = Math.ceil(height * factor);
  const ctx = canvas.getContext('2d');
  if (!ctx) { throw new Error('no canvas'); }
  // Diagrams are drawn for the theme's background; the image gets that background so it reads anywhere.
  ctx.fillStyle = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background') || '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
