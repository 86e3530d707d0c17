// Runs with Workspace Trust on and this folder not trusted (Restricted Mode).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BackendArchitectApi } from '../../../src/extension';
import type { TurnRecord } from '../../../src/protocol';
import { ModelServer } from '../../support/modelServer';
import { until } from '../../support/until';
import { forgetEndpoint, useEndpoint } from '../../support/endpoint';

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
    try {
      await useEndpoint(server);
      server.enqueue({ content: 'A design.' });
      const result = await vscode.commands.executeCommand<TurnRecord>('backendArchitect.designBackend', { request: 'anything' });
      assert.equal(result.status, 'complete');
      assert.doesNotMatch(server.completions.at(-1)!.body.messages[0].content, /PLANTED INSTRUCTIONS/);
    } finally {
      await forgetEndpoint();
      await server.close();
    }
  });
});

suite('Restricted Mode: writing', () => {
  test('writes are refused, the answer and its artifacts still shown', async () => {
    const ext = vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!;
    const server = await ModelServer.start({ quiet: true });
    try {
      await useEndpoint(server);
      const chat = ext.exports.chat();
      server.enqueue({ content: '```markdown file=docs/note.md\n# Note\n```\n' });
      const turn = await chat.send('x');
      await chat.whenChecked();
      const [a] = ext.exports.chatArtifacts.list(turn!.id);
      assert.equal(a.path, 'docs/note.md');
      // Before any click, the card says writing is off and why (issue #18).
      assert.equal(a.write?.action, 'off');
      assert.match(a.write?.words ?? '', /^writing is off: Restricted Mode: trust this folder/);
      await ext.exports.chatArtifacts.run(turn!.id, a.id, 'write');
      await ext.exports.chatArtifacts.writeAll(turn!.id);
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'docs', 'note.md'))));
    } finally {
      await forgetEndpoint();
      await server.close();
    }
  });
});

suite('Restricted Mode: the architect reads nothing', () => {
  test('a Review offers no tools, sends file names only, runs no call the model makes, and puts nothing in the Problems panel', async () => {
    const server = await ModelServer.start({ quiet: true });
    try {
      await useEndpoint(server);
      const findings = '```findings\n[{"severity": "error", "title": "Not validated", "rationale": "x", "file": "src/routes/orders.js", "line": 7}]\n```';
      // A model that calls a tool it was not offered: nothing runs, and nothing more is asked.
      server.enqueue({ content: findings, toolCalls: [{ name: 'read_file', arguments: { path: 'src/routes/orders.js' } }] });
      const root = vscode.workspace.workspaceFolders![0].uri;
      const result = await vscode.commands.executeCommand<TurnRecord>('backendArchitect.reviewArchitecture', root);
      assert.equal(result.status, 'complete');
      assert.equal(server.completions.length, 1);
      const body = server.completions[0].body;
      assert.equal('tools' in body, false, 'no tools offered');
      assert.match(body.messages[1].content, /src\/routes\/orders\.js/, 'the file names are listed');
      assert.doesNotMatch(JSON.stringify(body), /ordersRouter\.post|new PrismaClient|not-a-real-password|sk_test_sample_workspace/, 'no file was read');
      assert.equal(result.steps, undefined);
      assert.match(result.note ?? '', /Restricted Mode: the architect was given the file names only; no file was read/);
      await until(() => !!result.findings?.length, 'the review\'s findings');
      assert.equal(result.findings?.[0].verified, false, 'nothing read, so nothing verified');
      assert.equal(vscode.languages.getDiagnostics(vscode.Uri.joinPath(root, 'src', 'routes', 'orders.js')).length, 0);
    } finally {
      await forgetEndpoint();
      await server.close();
    }
  });
});
