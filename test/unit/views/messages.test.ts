import * as assert from 'node:assert/strict';
import { allowedExternalLink, maxRequestChars, parseWebviewMessage } from '../../../src/views/messages';

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

  it('opens only plain https links', () => {
    assert.equal(allowedExternalLink('https://spec.openapis.org/oas/v3.1.0'), 'https://spec.openapis.org/oas/v3.1.0');
    for (const href of ['http://example.com', 'javascript:alert(1)', 'command:workbench.action.terminal.new', 'file:///etc/passwd',
      'vscode://settings', 'data:text/html,x', 'https://user:pass@example.com/', 'not a url', '//example.com']) {
      assert.equal(allowedExternalLink(href), undefined, href);
    }
  });
});
