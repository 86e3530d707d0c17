// Runs with Workspace Trust on and this folder not trusted (Restricted Mode).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BackendArchitectApi } from '../../../src/extension';
import type { TurnRecord } from '../../../src/protocol';
import { ModelServer } from '../../support/modelServer';

const extensionId = 'backend-architect.backend-architect';

suite('Restricted Mode (untrusted workspace)', () => {
  test('the workspace really is untrusted, and the extension still activates', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.extensions.getExtension(extensionId)!.activate();
    assert.ok(vscode.extensions.getExtension(extensionId)!.isActive);
  });

  test('workspace agent definitions are not loaded; bundled ones are', async () => {
    const file = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.claude', 'agents', 'planted.md');
    await vscode.workspace.fs.stat(file); // planted by the runner before VS Code started
    const agents = await vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports.agents();
    assert.ok(!agents.some(a => a.origin === 'workspace'), 'no workspace agent');
    assert.ok(!agents.some(a => a.name === 'planted'));
    assert.ok(agents.some(a => a.name === 'backend-architect' && a.origin === 'bundled'));
  });

  test('answers still stream, with the bundled agent', async () => {
    const server = await ModelServer.start({ quiet: true });
    const c = vscode.workspace.getConfiguration('backendArchitect');
    try {
      await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
      await c.update('baseURL', server.url, vscode.ConfigurationTarget.Global);
      await c.update('model', 'm', vscode.ConfigurationTarget.Global);
      server.enqueue({ content: 'A design.' });
      const result = await vscode.commands.executeCommand<TurnRecord>('backendArchitect.designBackend', { request: 'anything' });
      assert.equal(result.status, 'complete');
      assert.doesNotMatch(server.requests.at(-1)!.body.messages[0].content, /PLANTED INSTRUCTIONS/);
    } finally {
      for (const k of ['provider', 'baseURL', 'model']) { await c.update(k, undefined, vscode.ConfigurationTarget.Global); }
      await server.close();
    }
  });
});

suite('Restricted Mode: writing', () => {
  test('writes are refused, the answer and its artifacts still shown', async () => {
    const ext = vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!;
    const server = await ModelServer.start({ quiet: true });
    const c = vscode.workspace.getConfiguration('backendArchitect');
    try {
      await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
      await c.update('baseURL', server.url, vscode.ConfigurationTarget.Global);
      await c.update('model', 'm', vscode.ConfigurationTarget.Global);
      const chat = ext.exports.chat();
      server.enqueue({ content: '```markdown file=docs/note.md\n# Note\n```\n' });
      const turn = await chat.send('x');
      await chat.whenChecked();
      const [a] = ext.exports.chatArtifacts.list(turn!.id);
      assert.equal(a.path, 'docs/note.md');
      await ext.exports.chatArtifacts.run(turn!.id, a.id, 'write');
      await ext.exports.chatArtifacts.writeAll(turn!.id);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'docs', 'note.md'))));
    } finally {
      for (const k of ['provider', 'baseURL', 'model']) { await c.update(k, undefined, vscode.ConfigurationTarget.Global); }
      await server.close();
    }
  });
});
