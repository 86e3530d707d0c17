// Agent definitions in a real VS Code: discovery in the workspace, live updates, diagnostics, precedence,
// the model map, and the agent's instructions reaching the model.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BackendArchitectApi } from '../../src/extension';
import type { TurnRecord } from '../../src/protocol';
import { ModelServer } from '../support/modelServer';

const extensionId = 'backend-architect.backend-architect';
const section = 'backendArchitect';

function api(): BackendArchitectApi {
  return vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports;
}

function agentsDir(): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.claude', 'agents');
}

async function write(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Polls until `check` holds: file watchers report changes asynchronously. */
async function eventually<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  let last: T;
  do {
    last = await probe();
    if (check(last)) { return last; }
    await new Promise(r => setTimeout(r, 150));
  } while (Date.now() < end);
  assert.fail(`${what}: still not true after ${ms} ms (last: ${JSON.stringify(last).slice(0, 300)})`);
}

suite('Agent definitions in a real VS Code', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    await vscode.workspace.fs.createDirectory(agentsDir());
  });
  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(agentsDir(), '..'), { recursive: true, useTrash: false });
    const c = vscode.workspace.getConfiguration(section);
    for (const k of ['defaultAgent', 'modelMap', 'provider', 'baseURL', 'model']) { await c.update(k, undefined, vscode.ConfigurationTarget.Global); }
  });

  test('the bundled backend-architect is always listed', async () => {
    const bundled = (await api().agents()).find(a => a.origin === 'bundled');
    assert.equal(bundled?.name, 'backend-architect');
    assert.match(bundled!.body, /contract first/i);
  });

  test('a definition added under .claude/agents appears without a reload, and edits show up', async () => {
    const file = vscode.Uri.joinPath(agentsDir(), 'api-reviewer.md');
    await write(file, '---\nname: api-reviewer\ndescription: Reviews HTTP APIs.\ntools: Read, Grep\n---\nYou review APIs.\n');
    const listed = await eventually('new agent listed', () => api().agents(), all => all.some(a => a.name === 'api-reviewer'));
    const agent = listed.find(a => a.name === 'api-reviewer')!;
    assert.equal(agent.origin, 'workspace');
    assert.equal(agent.uri.toString(), file.toString());
    await write(file, '---\nname: api-reviewer\ndescription: Reviews HTTP APIs and their error formats.\n---\nYou review APIs.\n');
    await eventually('edited description', () => api().agents(), all => all.some(a => a.description === 'Reviews HTTP APIs and their error formats.'));
    await vscode.workspace.fs.delete(file);
    await eventually('deleted agent gone', () => api().agents(), all => !all.some(a => a.name === 'api-reviewer'));
  });

  test('a malformed definition is not loaded and shows a diagnostic on its line', async () => {
    const file = vscode.Uri.joinPath(agentsDir(), 'broken.md');
    await write(file, '---\nname: broken\ndescription: fine\ntools: &a [x]\nmodel: *a\n---\nBody.\n');
    const diags = await eventually('diagnostics', async () => { await api().agents(); return vscode.languages.getDiagnostics(file); }, d => d.length > 0);
    const error = diags.find(d => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(error, 'an error diagnostic');
    assert.ok(error.range.start.line === 3 || error.range.start.line === 4, `on the alias lines, got line ${error.range.start.line + 1}`);
    assert.ok(!(await api().agents()).some(a => a.name === 'broken'));
    await vscode.workspace.fs.delete(file);
  });

  test('front matter in another language never runs', async () => {
    const file = vscode.Uri.joinPath(agentsDir(), 'pwn.md');
    await write(file, '---js\n({ name: (globalThis.pwnedByAgent = 1, "pwn") })\n---\nBody\n');
    await eventually('refused with a diagnostic', async () => { await api().agents(); return vscode.languages.getDiagnostics(file); }, d => d.length > 0);
    assert.equal((globalThis as Record<string, unknown>).pwnedByAgent, undefined);
    await vscode.workspace.fs.delete(file);
  });

  test('a workspace agent shadows the bundled one of the same name, and its instructions and mapped model reach the model', async () => {
    const server = await ModelServer.start({ quiet: true });
    try {
      const c = vscode.workspace.getConfiguration(section);
      await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
      await c.update('baseURL', server.url, vscode.ConfigurationTarget.Global);
      await c.update('model', 'default-model', vscode.ConfigurationTarget.Global);
      await c.update('modelMap', { opus: 'mapped-big-model' }, vscode.ConfigurationTarget.Global);
      const file = vscode.Uri.joinPath(agentsDir(), 'team-architect.md');
      await write(file, '---\nname: backend-architect\ndescription: Our team\'s architect.\nmodel: opus\n---\nAlways propose Kotlin and Ktor.\n');
      const all = await eventually('shadowing agent listed', () => api().agents(), a => a.filter(x => x.name === 'backend-architect').length === 2);
      assert.deepEqual(all.filter(x => x.name === 'backend-architect').map(x => x.origin), ['workspace', 'bundled']);
      server.enqueue({ content: 'Ktor it is.' });
      const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request: 'A payments service' });
      assert.equal(result.status, 'complete');
      const body = server.requests.at(-1)!.body;
      assert.match(body.messages[0].content, /^Always propose Kotlin and Ktor\./);
      assert.equal(body.model, 'mapped-big-model');
      await vscode.workspace.fs.delete(file);
    } finally {
      await server.close();
    }
  });
});
