// VS Code's own Chat view and language-model APIs, with no Copilot: the configured endpoint's models as
// language models, `@architect` answering through them, the checks as language-model tools, and the MCP
// server VS Code starts from the extension's definition.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Prompter } from '../../src/artifacts/vscode/writer';
import type { WriteListItem } from '../../src/artifacts/vscode/writeList';
import type { ParticipantAnswer } from '../../src/chat/vscode/participant';
import type { BackendArchitectApi } from '../../src/extension';
import { ModelServer } from '../support/modelServer';
import { forgetEndpoint, useEndpoint } from '../support/endpoint';

const section = 'backendArchitect';
const extensionId = 'backend-architect.backend-architect';
const vendor = 'backend-architect';
const api = (): BackendArchitectApi => vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports;
const root = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;

const spec = 'openapi: 3.1.0\ninfo:\n  title: Shop\n  version: "1"\npaths:\n  /orders:\n    get:\n      operationId: listOrders\n      responses:\n        "200":\n          description: OK\n';
const ddl = 'CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total numeric(10,2) NOT NULL\n);\n';
const brokenDdl = 'CREATE TABLE lines (\n  order_id bigint REFERENCES missing(id)\n);\n';
const diagram = 'flowchart LR\n  api --> orders\n';
const design = ['## Orders', '', 'One service, PostgreSQL.', '',
  `\`\`\`yaml file=docs/chat/openapi.yaml\n${spec}\`\`\``, '', `\`\`\`sql file=db/chat/schema.sql\n${ddl}\`\`\``, '',
  `\`\`\`sql file=db/chat/broken.sql\n${brokenDdl}\`\`\``, '', `\`\`\`mermaid file=docs/chat/services.mmd\n${diagram}\`\`\``, ''].join('\n');

class AgreeingPrompter implements Prompter {
  async confirmSensitive(): Promise<boolean> { return true; }
  async confirmCreate(): Promise<boolean> { return true; }
  async pickWrites(_f: string, items: WriteListItem[]): Promise<WriteListItem[]> { return items.filter(i => i.group !== 'refused'); }
  async confirmInvalid(): Promise<boolean> { return true; }
  async confirmReplace(): Promise<boolean> { return true; }
  async askMigrationName(suggested: string): Promise<string> { return suggested; }
  async confirmMigration(): Promise<boolean> { return true; }
  async askPath(_f: string, suggested: string): Promise<string> { return suggested; }
  async pickFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder> { return folders[0]; }
}

/** Sends a request in the Chat view with our model selected, and resolves with @architect's answer. */
async function askInChatView(query: string, model = 'test-model'): Promise<ParticipantAnswer> {
  const answered = new Promise<ParticipantAnswer>(resolve => { const d = api().onDidAnswerInChatView(a => { d.dispose(); resolve(a); }); });
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, modelSelector: { vendor, id: model } });
  return answered;
}

function chatRequests(server: ModelServer): { model: string; messages: { role: string; content: string }[] }[] {
  return server.requests.filter(r => r.path.endsWith('/chat/completions')).map(r => r.body);
}

/** The text of a tool's result. */
async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(`backendArchitect_${name}`, { input, toolInvocationToken: undefined });
  return result.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** Resolves once `condition` holds, checking after each event and at the start. */
async function whenTrue(event: vscode.Event<unknown>, condition: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  if (await condition()) { return; }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { d.dispose(); reject(new Error(`timed out waiting: ${what}`)); }, ms);
    const d = event(async () => { if (await condition()) { clearTimeout(timer); d.dispose(); resolve(); } });
  });
}

suite('Chat view: @architect with our models, and the checks as tools', function () {
  // The first answer starts Postgres for its SQL files and asks the model to repair the broken one, on a busy machine.
  this.timeout(180_000);
  let server: ModelServer;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    server = await ModelServer.start({ quiet: true, models: ['test-model', 'other-model'] });
    await useEndpoint(server, 'test-model');
    await whenTrue(vscode.lm.onDidChangeChatModels, async () => (await vscode.lm.selectChatModels({ vendor })).some(m => m.id === 'test-model'), 'our model is offered');
    api().writer().prompter = new AgreeingPrompter();
  });
  suiteTeardown(async () => {
    await server?.close();
    await forgetEndpoint();
    fs.rmSync(path.join(root(), 'docs', 'chat'), { recursive: true, force: true });
    fs.rmSync(path.join(root(), 'db', 'chat'), { recursive: true, force: true });
  });
  setup(() => { server.requests.length = 0; });

  test('the endpoint\'s models are VS Code language models: listed, streaming, counting tokens', async () => {
    const models = await vscode.lm.selectChatModels({ vendor });
    assert.deepEqual(models.map(m => m.id), ['test-model', 'other-model'], 'the configured model first, then the others /models lists');
    assert.equal(models[0].vendor, vendor);
    server.enqueue({ content: 'Hello from the endpoint.' });
    const response = await models[1].sendRequest([vscode.LanguageModelChatMessage.User('Say hello')], {});
    let text = '';
    for await (const t of response.text) { text += t; }
    assert.equal(text, 'Hello from the endpoint.');
    assert.equal(chatRequests(server)[0].model, 'other-model');
    assert.deepEqual(chatRequests(server)[0].messages, [{ role: 'user', content: 'Say hello' }]);
    assert.ok(await models[0].countTokens('CREATE TABLE orders (id bigint PRIMARY KEY);') > 5);
  });

  test('@architect /design answers through our model, with the agent, the workspace and each file checked', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    server.enqueue({ content: design });
    const answer = await askInChatView('@architect /design An order service for the shop');
    assert.equal(answer.status, 'complete');
    assert.equal(answer.mode, 'design');
    assert.equal(answer.text, design);
    const [sent] = chatRequests(server);
    assert.equal(sent.model, 'test-model');
    assert.match(sent.messages[0].content, /senior backend architect/, 'the selected agent\'s instructions');
    assert.match(sent.messages.at(-1)!.content, /^An order service for the shop/);
    assert.match(sent.messages.at(-1)!.content, /prisma\/schema\.prisma/, 'the workspace context');
    const byPath = new Map(answer.artifacts.map(a => [a.path, a]));
    assert.equal(byPath.get('docs/chat/openapi.yaml')?.status, 'valid');
    assert.equal(byPath.get('db/chat/schema.sql')?.status, 'valid');
    assert.equal(byPath.get('db/chat/schema.er.mmd')?.title !== undefined, true, 'the ER diagram Postgres built comes as a file too');
    const broken = byPath.get('db/chat/broken.sql')!;
    assert.equal(broken.status, 'invalid');
    assert.match(broken.problems[0].message, /relation "missing" does not exist/);
    // No Backend Architect view is open, and mermaid's parser lives in one: said, not counted as broken.
    const services = byPath.get('docs/chat/services.mmd')!;
    assert.equal(services.status, 'unchecked');
    assert.match(services.problems[0].message, /runs in a Backend Architect view, and none is open/);
  });

  test('the buttons under the answer write a file, show a diff, and open the answer in our panel', async () => {
    server.enqueue({ content: design });
    const answer = await askInChatView('@architect /design Another order service');
    const specFile = answer.artifacts.find(a => a.path === 'docs/chat/openapi.yaml')!;
    await vscode.commands.executeCommand('backendArchitect.chat.artifactAction', answer.answerId, specFile.id, 'write');
    assert.equal(fs.readFileSync(path.join(root(), 'docs/chat/openapi.yaml'), 'utf8'), spec);
    const schema = answer.artifacts.find(a => a.path === 'db/chat/schema.sql')!;
    await vscode.commands.executeCommand('backendArchitect.chat.artifactAction', answer.answerId, schema.id, 'diff');
    const diff = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(diff instanceof vscode.TabInputTextDiff, 'a diff editor is in front');
    assert.equal((diff as vscode.TabInputTextDiff).modified.scheme, 'backend-architect-proposed');
    await vscode.commands.executeCommand('backendArchitect.chat.openInPanel', answer.answerId);
    const panelTab = async (): Promise<boolean> => vscode.window.tabGroups.all.flatMap(g => g.tabs)
      .some(t => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('backendArchitect.answer') && /^Design: Another order service/.test(t.label));
    await whenTrue(vscode.window.tabGroups.onDidChangeTabs, panelTab, 'our answer panel opens');
  });

  test('a follow-up carries the chat\'s history: the request, the answer\'s own text, then the new question', async () => {
    await vscode.commands.executeCommand('workbench.action.chat.newChat');
    server.enqueue({ content: 'Use PostgreSQL.' }, { content: 'Because orders need transactions.' });
    await askInChatView('@architect Which database?');
    const second = await askInChatView('@architect Why?');
    assert.equal(second.text, 'Because orders need transactions.');
    const messages = chatRequests(server)[1].messages;
    assert.deepEqual(messages.slice(1).map(m => m.role), ['user', 'assistant', 'user']);
    assert.match(messages[1].content, /^Which database\?/);
    assert.equal(messages[2].content, 'Use PostgreSQL.', 'not the file list shown under it');
    assert.equal(messages[3].content, 'Why?');
  });

  test('the checks are language-model tools with the right verdicts', async () => {
    const ours = vscode.lm.tools.filter(t => t.name.startsWith('backendArchitect_')).map(t => t.name);
    assert.deepEqual(ours.sort(), ['extract_artifacts', 'validate_mermaid', 'validate_openapi', 'validate_sql', 'workspace_context'].map(n => `backendArchitect_${n}`));
    assert.equal(await invoke('validate_openapi', { content: spec }), 'Valid OpenAPI document.');
    assert.match(await invoke('validate_openapi', { content: spec.replace('  version: "1"\n', ''), path: 'docs/api.yaml' }), /^Invalid OpenAPI document: .*\ndocs\/api\.yaml:2:\d+: error: /s);
    assert.match(await invoke('validate_sql', { content: ddl }), /^Valid SQL script\.[\s\S]*erDiagram/);
    assert.match(await invoke('validate_sql', { content: brokenDdl, path: 'db/x.sql' }), /^Invalid SQL script: 1 error\.\ndb\/x\.sql:2:\d+: error: relation "missing" does not exist \[postgres:42P01\]/);
    assert.match(await invoke('extract_artifacts', { content: design }), /^4 artifacts .*docs\/chat\/openapi\.yaml/s);
    assert.match(await invoke('workspace_context', {}), /^Folder: \.\nStack: JavaScript · Express · Prisma/);
    assert.match(await invoke('validate_sql', {}), /^Invalid arguments for validate_sql: content: content must be a string/, 'VS Code passes any input on: the tool checks it');
  });

  test('validate_mermaid uses the parser of an open Backend Architect view, with the deterministic repairs', async () => {
    await vscode.commands.executeCommand('backendArchitect.openChat');
    // The view's webview loads in the browser; the tool says "none is open" until it has said it is ready.
    const end = Date.now() + 90_000;
    let text = await invoke('validate_mermaid', { content: diagram });
    while (/none is open/.test(text) && Date.now() < end) {
      await new Promise(r => setTimeout(r, 250));
      text = await invoke('validate_mermaid', { content: diagram });
    }
    assert.equal(text, 'Valid mermaid diagram.');
    const repaired = await invoke('validate_mermaid', { content: 'flowchart LR\n  a[Orders (v2)] --> b\n' });
    assert.match(repaired, /^The mermaid diagram does not parse as written; these deterministic fixes make it parse:\n- /);
    assert.match(await invoke('validate_mermaid', { content: 'flowchart LR\n  a --> --> b\n' }), /^Invalid mermaid diagram: 1 error/);
  });

  test('VS Code starts the extension\'s MCP server, and its tools answer', async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { autoTrustChanges: true, waitForLiveTools: true });
    const mcpTool = (): vscode.LanguageModelToolInformation | undefined => vscode.lm.tools.find(t => t.tags.includes('mcp') && t.name.endsWith('validate_sql'));
    const end = Date.now() + 90_000;
    while (!mcpTool() && Date.now() < end) { await new Promise(r => setTimeout(r, 250)); }
    const tool = mcpTool();
    assert.ok(tool, `the MCP server's validate_sql is listed (tools: ${vscode.lm.tools.map(t => t.name).join(', ')})`);
    const result = await vscode.lm.invokeTool(tool.name, { input: { content: brokenDdl }, toolInvocationToken: undefined });
    const text = result.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('\n');
    assert.match(text, /relation \\?"missing\\?" does not exist/);
  });

  test('with the provider set to VS Code\'s own models, ours are withdrawn (no request loops back to us)', async () => {
    const c = vscode.workspace.getConfiguration(section);
    await c.update('provider', 'vscode-lm', vscode.ConfigurationTarget.Global);
    try {
      await whenTrue(vscode.lm.onDidChangeChatModels, async () => (await vscode.lm.selectChatModels({ vendor })).length === 0, 'our models withdrawn');
      const result = await vscode.commands.executeCommand<{ status: string; note?: string }>('backendArchitect.designBackend', { request: 'anything' });
      assert.equal(result.status, 'failed', 'the vscode-lm provider finds no model here, and never ours');
      assert.equal(chatRequests(server).length, 0);
    } finally {
      await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
    }
  });
});
