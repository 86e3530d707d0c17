import { randomBytes } from 'node:crypto';
import type { ViewMode } from '../protocol';

export interface WebviewHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** `asWebviewUri` of dist/webview/main.js. */
  scriptUri: string;
  /** `asWebviewUri` of media/main.css. */
  styleUri: string;
  mode: ViewMode;
  title: string;
  /** Injected by tests; a fresh random one otherwise. */
  nonce?: string;
}

/** A fresh nonce per HTML document: 128 bits, base64 without padding. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64').replace(/=+$/, '');
}

/**
 * The Content-Security-Policy of every webview: scripts only with this document's nonce, no network at all
 * (connect/frame/form/base denied, images and fonts only from the extension), inline styles allowed because
 * mermaid's SVG carries <style>; that is safe only because img-src and font-src admit no remote host
 * (THREATS T1, T4).
 */
export function buildCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    `connect-src 'none'`,
    `frame-src 'none'`,
    `worker-src 'none'`,
    `form-action 'none'`,
    `base-uri 'none'`,
  ].join('; ');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The whole HTML document of a chat view or answer panel. Pure, so the CSP is unit-tested. */
export function buildWebviewHtml(o: WebviewHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(buildCsp(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeAttr(o.title)}</title>
</head>
<body data-mode="${escapeAttr(o.mode)}">
<div id="app" role="main" aria-label="${escapeAttr(o.title)}"></div>
<script type="module" nonce="${nonce}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}
