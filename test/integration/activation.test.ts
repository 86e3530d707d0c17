// Runs first (files run in name order): nothing else has activated the extension yet.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from '../support/until';

suite('Activation', () => {
  test('activates by itself once start-up has finished, so the Chat view\'s model picker has our models before the first @architect request', async () => {
    // package.json asks for onStartupFinished (and nothing earlier): without it VS Code lists a provider's
    // models only when asked, and with no Copilot nothing asks before the first request, which then fails.
    const ext = vscode.extensions.getExtension('backend-architect.backend-architect');
    assert.ok(ext, 'extension is installed');
    await until(() => ext.isActive, 'the extension to activate by itself');
    assert.equal(ext.isActive, true, 'active without any command, view or request');
  }).timeout(70_000);
});
