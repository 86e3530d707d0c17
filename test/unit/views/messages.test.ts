import * as assert from 'node:assert/strict';
import { allowedExternalLink, maxDiagramImageChars, maxRequestChars, parseWebviewMessage } from '../../../src/views/messages';

describe('messages from the webview', () => {
  it('accepts each message of the protocol', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'webview/ready' }), { type: 'webview/ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'chat/send', text: 'Design a shop' }), { type: 'chat/send', text: 'Design a shop' });
    assert.deepEqual(parseWebviewMessage({ type: 'answer/stop' }), { type: 'answer/stop' });
    assert.deepEqual(parseWebviewMessage({ type: 'answer/retry' }), { type: 'answer/retry' });
    assert.deepEqual(parseWebviewMessage({ type: 'link/open', href: 'https://example.com' }), { type: 'link/open', href: 'https://example.com' });
    assert.deepEqual(parseWebviewMessage({ type: 'action/run', action: 'setApiKey' }), { type: 'action/run', action: 'setApiKey' });
  });

  it('takes Write as Migration as an artifact action, by id only', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'artifact/run', turnId: 't-1', artifactId: 'a1', action: 'migration' }),
      { type: 'artifact/run', turnId: 't-1', artifactId: 'a1', action: 'migration' });
    assert.equal(parseWebviewMessage({ type: 'artifact/run', turnId: 't-1', artifactId: 'a1', action: 'migrate' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'artifact/run', turnId: 't-1', artifactId: 'a1', action: 'migration', folder: 'db/migrations' }), undefined);
  });

  it('refuses forged and malformed messages (THREATS T3)', () => {
    const forged: unknown[] = [
      null, 'chat/send', 42, [], {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'artifact/write', path: '../../.vscode/settings.json', content: '{}' },
      { type: 'chat/send', text: 'hi', path: '../../x' },
      { type: 'chat/send', text: 7 },
      { type: 'chat/send', text: '   ' },
      { type: 'chat/send', text: 'x'.repeat(maxRequestChars + 1) },
      { type: 'answer/stop', extra: true },
      { type: 'action/run', action: 'executeCommand' },
      { type: 'link/open', href: { toString: () => 'https://x' } },
      JSON.parse('{"type":"webview/ready","__proto__":{"polluted":1}}'),
    ];
    for (const m of forged) { assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m)); }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('takes a diagram image only in the shapes Save produces: an inert SVG, or base64 of a PNG', () => {
    const save = (format: string, data: string): unknown => parseWebviewMessage({ type: 'diagram/save', turnId: 'a-1', artifactId: 'a2', format, data });
    // As mermaid draws a flowchart: markers by local url(#...), a label that mentions a URL as text.
    const svg = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
      + '<style>#m .edge{stroke:#333;}</style><path marker-end="url(#m_flowchart-pointEnd)" d="M0 0L1 1"/><text>calls https://api.example.com</text></svg>\n';
    assert.deepEqual(save('svg', svg), { type: 'diagram/save', turnId: 'a-1', artifactId: 'a2', format: 'svg', data: svg });
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    assert.equal((save('png', png) as { data: string }).data, png);
    const bad: Array<[string, string]> = [
      ['svg', '<svg><script>alert(1)</script></svg>'], ['svg', '<svg onload="alert(1)"></svg>'], ['svg', '<svg><foreignObject/></svg>'],
      ['svg', '<svg><a href="https://x.example">x</a></svg>'], ['svg', '<svg><image xlink:href="https://x.example/i.png"/></svg>'],
      ['svg', '<svg><style>@import "https://x.example/c.css";</style></svg>'], ['svg', '<svg><rect style="fill:url(https://x.example/p)"/></svg>'],
      ['svg', '<html><svg></svg></html>'], ['svg', ''], ['png', 'R0lGODlhAQABAAAAACw='], ['png', 'iVBORw0KGgo<script>'], ['gif', png],
      ['png', `iVBORw0KGgo${'A'.repeat(maxDiagramImageChars)}`],
    ];
    for (const [format, data] of bad) { assert.equal(save(format, data), undefined, `${format}: ${data.slice(0, 60)}`); }
    assert.equal(parseWebviewMessage({ type: 'diagram/save', turnId: 'a-1', artifactId: 'a2', format: 'svg', data: svg, path: '../x.svg' }), undefined, 'no path from the webview');
  });

  it('opens only plain https links', () => {
    assert.equal(allowedExternalLink('https://spec.openapis.org/oas/v3.1.0'), 'https://spec.openapis.org/oas/v3.1.0');
    for (const href of ['http://example.com', 'javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd',
      'vscode://settings', 'data:text/html,x', 'https://user:pass@example.com/', 'not a url', '//example.com']) {
      assert.equal(allowedExternalLink(href), undefined, href);
    }
  });
});
