// Runs inside a real VS Code extension host (code-server here, Electron with `npm run test:desktop`):
// the real `vscode` API, the real extension, an OpenAI-compatible server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ModelServer, toolResults } from '../support/modelServer';
import { until } from '../support/until';
import type { BackendArchitectApi } from '../../src/extension';
import type { TurnRecord } from '../../src/protocol';
import { forgetEndpoint, useEndpoint } from '../support/endpoint';

const extensionId = 'backend-architect.backend-architect';
const section = 'backendArchitect';

function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with the sample workspace open');
  return f.uri;
}

function userMessage(server: ModelServer, index = -1): string {
  const req = server.requests.filter(r => r.path.endsWith('/chat/completions')).at(index);
  assert.ok(req, 'the model server received a chat completion request');
  const messages = req.body.messages as { role: string; content: string }[];
  return messages.filter(m => m.role === 'user').at(-1)!.content;
}

suite('Foundation: the extension in a real VS Code', () => {
  let server: ModelServer;

  suiteSetup(async () => {
    server = await ModelServer.start({ quiet: true });
    await useEndpoint(server, 'test-model');
  });
  suiteTeardown(async () => {
    await server?.close();
    await forgetEndpoint();
  });
  setup(() => { server.requests.length = 0; });

  test('contributes every command, and registers each once activated', async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    const all = await vscode.commands.getCommands(true);
    for (const id of ['designBackend', 'reviewArchitecture', 'openChat', 'newChat', 'selectAgent', 'setApiKey']) {
      assert.ok(all.includes(`${section}.${id}`), `${id} is registered`);
    }
  });

  test('Design Backend streams the answer of the configured model, prompted with the agent, the request and the workspace', async () => {
    const answer = '## Services\n\nOrders and catalog as two services.\n\n```mermaid file=docs/services.mmd\nflowchart LR\n  api --> orders\n```\n';
    // The model reads the schema with a tool before it answers.
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'prisma/schema.prisma' } }] }, { content: answer });
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request: 'An order service for the shop' });
    assert.equal(result.status, 'complete');
    assert.equal(result.text, answer);
    const body = server.requests.find(r => r.path.endsWith('/chat/completions'))!.body;
    assert.equal(body.stream, true);
    assert.equal(body.model, 'test-model');
    const system = body.messages[0];
    assert.equal(system.role, 'system');
    assert.match(system.content, /senior backend architect/, 'the bundled agent\'s instructions');
    assert.match(system.content, /file=docs\/api\/openapi\.yaml/, 'the output contract');
    const user = userMessage(server, 0);
    assert.match(user, /^An order service for the shop/);
    assert.match(user, /prisma\/schema\.prisma/, 'the workspace overview names the schema');
    assert.match(user, /Express/, 'the detected stack');
    assert.match(toolResults(server.completions.at(-1)!)[0].content, /model OrderLine/, 'the model read the schema');
    for (const secret of ['not-a-real-password', 'sk_test_sample_workspace_fake_0000']) {
      assert.ok(!JSON.stringify(server.requests).includes(secret), `the .env value ${secret} is never sent`);
    }
  });

  test('Review Architecture on a folder reads that folder only', async () => {
    server.enqueue({ toolCalls: [
      { name: 'read_file', arguments: { path: 'routes/orders.js' } },
      { name: 'read_file', arguments: { path: '../prisma/schema.prisma' } },
    ] }, { content: 'Findings: the order route has no validation.' });
    const folder = vscode.Uri.joinPath(workspaceRoot(), 'src');
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.reviewArchitecture`, folder);
    assert.equal(result.status, 'complete');
    assert.equal(result.text, 'Findings: the order route has no validation.');
    const user = userMessage(server);
    assert.match(user, /Review the architecture/);
    assert.match(user, /routes\/orders\.js/);
    const [route, outside] = toolResults(server.completions.at(-1)!);
    assert.match(route.content, /ordersRouter\.post/, 'the route file\'s content is read');
    assert.match(outside.content, /^Not read: it climbs out of the folder/);
    assert.doesNotMatch(JSON.stringify(server.requests.map(r => r.body)), /model OrderLine|docker-compose/, 'files outside the reviewed folder are not read or listed');
  });

  test('the chat keeps the conversation: a follow-up carries the earlier turns', async () => {
    const api = vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports;
    const chat = api.chat();
    chat.clear();
    server.enqueue({ content: 'Use PostgreSQL.' }, { content: 'Because orders need transactions.' });
    assert.equal((await chat.send('Which database?'))!.status, 'complete');
    const second = await chat.send('Why?');
    assert.equal(second!.text, 'Because orders need transactions.');
    const messages = server.requests.filter(r => r.path.endsWith('/chat/completions')).at(-1)!.body.messages as { role: string; content: string }[];
    assert.deepEqual(messages.slice(1).map(m => m.role), ['user', 'assistant', 'user']);
    assert.equal(messages[2].content, 'Use PostgreSQL.');
    assert.deepEqual(chat.turns.map(t => t.role), ['user', 'assistant', 'user', 'assistant']);
  });

  test('Stop cancels the request and keeps the text that arrived', async () => {
    const api = vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports;
    const chat = api.chat();
    chat.clear();
    server.enqueue({ chunks: Array.from({ length: 200 }, (_, i) => `part ${i} `), chunkDelayMs: 50 });
    const pending = chat.send('Explain slowly')!;
    // Stop once the first words are on the turn, however long the machine takes to get them there.
    await until(() => /part 1 /.test(chat.turns.at(-1)?.text ?? ''), 'the first words of the answer');
    chat.stop();
    const result = await pending;
    assert.equal(result.status, 'stopped');
    assert.match(result.text, /^part 0 part 1 /, 'the partial answer is kept');
    assert.ok(!result.text.includes('part 199'), 'the rest never arrived');
  });

  test('a workspace settings file cannot redirect the endpoint (application-scoped settings)', async () => {
    const canary = await ModelServer.start({ quiet: true });
    try {
      const settingsFile = vscode.Uri.joinPath(workspaceRoot(), '.vscode', 'settings.json');
      // editor.tabSize rides along so the test knows VS Code has read the file before it asks.
      await vscode.workspace.fs.writeFile(settingsFile, Buffer.from(JSON.stringify({ 'backendArchitect.baseURL': canary.url, 'backendArchitect.model': 'stolen', 'editor.tabSize': 7 })));
      await until(() => vscode.workspace.getConfiguration('editor').get('tabSize') === 7, 'VS Code to read the workspace settings file');
      server.enqueue({ content: 'still the user endpoint' });
      const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request: 'anything' });
      assert.equal(result.text, 'still the user endpoint');
      assert.equal(canary.requests.length, 0, 'the workspace URL received nothing, not even a model listing');
      assert.equal(server.completions.at(-1)!.body.model, 'test-model');
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(workspaceRoot(), '.vscode'), { recursive: true });
    } finally {
      await canary.close();
    }
  });

  test('a missing key for a cloud provider fails at once with Set API Key as the way forward', async () => {
    const c = vscode.workspace.getConfiguration(section);
    await c.update('provider', 'openrouter', vscode.ConfigurationTarget.Global);
    await c.update('baseURL', '', vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request: 'anything' });
      assert.equal(result.status, 'failed');
      assert.ok(result.actions?.includes('setApiKey'));
      assert.match(result.note ?? '', /No API key is set for https:\/\/openrouter\.ai/);
      assert.equal(server.completions.length, 0);
    } finally {
      await useEndpoint(server, 'test-model');
    }
  });
});
