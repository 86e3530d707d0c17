// @architect and the language-model tools in Restricted Mode: answers, but nothing of the workspace is read.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ParticipantAnswer } from '../../../src/chat/vscode/participant';
import type { BackendArchitectApi } from '../../../src/extension';
import { ModelServer } from '../../support/modelServer';
import { forgetEndpoint, useEndpoint } from '../../support/endpoint';

const extensionId = 'backend-architect.backend-architect';
const vendor = 'backend-architect';
const api = (): BackendArchitectApi => vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports;

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(`backendArchitect_${name}`, { input, toolInvocationToken: undefined });
  return result.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

suite('Restricted Mode: @architect and the tools read nothing of the workspace', () => {
  let server: ModelServer;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    server = await ModelServer.start({ quiet: true, models: ['m'] });
    await useEndpoint(server);
    const end = Date.now() + 20_000;
    while (!(await vscode.lm.selectChatModels({ vendor })).length && Date.now() < end) {
      await new Promise<void>(resolve => { const d = vscode.lm.onDidChangeChatModels(() => { d.dispose(); resolve(); }); setTimeout(resolve, 1000); });
    }
  });
  suiteTeardown(async () => {
    await forgetEndpoint();
    await server?.close();
  });

  test('@architect /design answers without the workspace in the prompt', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    server.enqueue({ content: 'A design without reading.' });
    const answered = new Promise<ParticipantAnswer>(resolve => { const d = api().onDidAnswerInChatView(a => { d.dispose(); resolve(a); }); });
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@architect /design An order service', isPartialQuery: false, modelSelector: { vendor, id: 'm' } });
    const answer = await answered;
    assert.equal(answer.status, 'complete');
    const sent = server.requests.filter(r => r.path.endsWith('/chat/completions')).at(-1)!.body.messages as { role: string; content: string }[];
    assert.equal(sent.at(-1)!.content, 'An order service', 'the request alone: no listing, no file of the workspace');
    assert.doesNotMatch(JSON.stringify(sent), /prisma|PLANTED INSTRUCTIONS/);
  });

  test('the tool that reads the workspace refuses; the checks still run', async () => {
    // Its package.json `when` (isWorkspaceTrusted) keeps it out of the Chat view's tools; vscode.lm.tools lists
    // every contributed tool whatever its `when` (measured), so any extension could still call it.
    assert.ok(vscode.lm.tools.some(t => t.name === 'backendArchitect_workspace_context'));
    assert.match(await invoke('workspace_context', {}), /^Not read: this workspace is in Restricted Mode/);
    assert.match(await invoke('validate_sql', { content: 'CREATE TABLE t (id int PRIMARY KEY);\n' }), /^Valid SQL script\./);
  });
});
