import * as assert from 'node:assert/strict';
import { buildCsp, buildWebviewHtml, makeNonce } from '../../../src/views/html';

/** Parses a CSP string into directive -> sources. */
function parseCsp(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map(d => d.trim()).filter(Boolean).map(d => {
    const [name, ...sources] = d.split(/\s+/);
    return [name, sources];
  }));
}

function cspOf(html: string): string {
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(m, 'the document carries a CSP meta tag');
  return m[1].replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('webview HTML and its Content-Security-Policy', () => {
  const cspSource = 'https://abc.vscode-cdn.net';
  const html = buildWebviewHtml({ cspSource, scriptUri: `${cspSource}/dist/webview/main.js`, styleUri: `${cspSource}/media/main.css`, mode: 'design', title: 'Design: shop', nonce: 'N0nce123' });
  const csp = parseCsp(cspOf(html));

  it('denies everything by default and allows scripts only with the nonce', () => {
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), ["'nonce-N0nce123'"]);
    assert.match(html, /<script type="module" nonce="N0nce123" src="https:\/\/abc\.vscode-cdn\.net\/dist\/webview\/main\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, the bundled one');
  });

  it('lets nothing reach the network: no remote images, fonts, connections, frames, forms or base', () => {
    assert.deepEqual(csp.get('img-src'), [cspSource, 'data:']);
    assert.deepEqual(csp.get('font-src'), [cspSource]);
    for (const d of ['connect-src', 'frame-src', 'form-action', 'base-uri', 'worker-src']) {
      assert.deepEqual(csp.get(d), ["'none'"], d);
    }
    for (const [name, sources] of csp) {
      assert.ok(!sources.some(s => s === 'https:' || s === 'http:' || s === '*'), `${name} allows no scheme-wide source`);
      assert.ok(!sources.includes("'unsafe-eval'"), `${name} has no unsafe-eval`);
    }
  });

  it('escapes the title, so a folder name cannot inject markup', () => {
    const evil = buildWebviewHtml({ cspSource, scriptUri: 'x', styleUri: 'y', mode: 'review', title: 'Review: "><script>alert(1)</script>', nonce: 'n' });
    assert.equal((evil.match(/<script/g) ?? []).length, 1);
    assert.match(evil, /<title>Review: &quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
  });

  it('makes a fresh, unguessable nonce for each document', () => {
    const nonces = new Set(Array.from({ length: 200 }, makeNonce));
    assert.equal(nonces.size, 200);
    for (const n of nonces) { assert.match(n, /^[A-Za-z0-9+/]{22}$/); }
    const a = buildWebviewHtml({ cspSource, scriptUri: 's', styleUri: 't', mode: 'chat', title: 'c' });
    const b = buildWebviewHtml({ cspSource, scriptUri: 's', styleUri: 't', mode: 'chat', title: 'c' });
    assert.notEqual(cspOf(a), cspOf(b));
  });

  it('keeps inline styles (mermaid SVG needs them) only next to the extension origin', () => {
    assert.deepEqual(buildCsp('vscode-resource:', 'n').split('; ').find(d => d.startsWith('style-src')), "style-src vscode-resource: 'unsafe-inline'");
  });
});
