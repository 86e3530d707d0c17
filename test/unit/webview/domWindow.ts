/**
 * One jsdom window shared by the webview renderer tests, bound to the sanitiser before any test renders,
 * plus the seeded random source the property tests use (a failure names its seed, so it can be replayed).
 */
import { JSDOM } from 'jsdom';
import { setDomWindow } from '../../../webview/markdown/sanitize';

export const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'https://webview.test/' });
setDomWindow(dom.window as unknown as Parameters<typeof setDomWindow>[0]);

export const document: Document = dom.window.document;

/** A fresh element attached to the document, as the webview shell would pass one. */
export function newContainer(): HTMLElement {
  const element = document.createElement('div');
  document.body.append(element);
  return element;
}

/** Parses HTML into an inert fragment for structural assertions. */
export function parseHtml(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** mulberry32: small, fast, and good enough to spread test cases; deterministic for a given seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a list. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
