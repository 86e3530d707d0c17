// Runs first (files run in name order): nothing else may have activated the extension yet.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('Activation', () => {
  test('is not activated at start-up: activation waits for a command, the chat view or a restored panel', () => {
    const ext = vscode.extensions.getExtension('backend-architect.backend-architect');
    assert.ok(ext, 'extension is installed');
    assert.equal(ext.isActive, false);
  });
});
