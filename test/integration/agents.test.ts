// Agent definitions in a real VS Code: discovery in the workspace, live updates, diagnostics, precedence,
// the model map, and the agent's instructions reaching the model.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedAgent } from '../../src/agents/vscode/registry';
import type { BackendArchitectApi } from '../../src/extension';
import type { TurnRecord } from '../../src/protocol';
import { ModelServer } from '../support/modelServer';
import { useEndpoint } from '../support/endpoint';

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

/**
 * Runs `action`, then waits for the agent list to satisfy `check`: looked at once after the action and again
 * after each change event the extension fires, never on a timer. The suite's timeout bounds the wait.
 */
async function afterChange<T>(action: () => PromiseLike<unknown>, probe: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  waitingFor = { check: check.toString(), probes: 0, last: '' };
  const seen = waitingFor;
  let wake = (): void => undefined;
  const sub = api().onDidChangeAgents(() => wake());
  try {
    await action();
    for (;;) {
      const changed = new Promise<void>(resolve => { wake = resolve; });
      const last = await probe();
      seen.probes++;
      seen.last = JSON.stringify(last, (k, v: unknown) => k === 'body' ? undefined : v).slice(0, 600);
      if (check(last)) { return last; }
      await changed;
    }
  } finally {
    sub.dispose();
  }
}

/** What the last afterChange waited for: a test that times out says which wait it was and what it last saw. */
let waitingFor: { check: string; probes: number; last: string } | undefined;

const listed = (): Promise<LoadedAgent[]> => api().agents();

/**
 * Writes a definition once and waits until the list the extension keeps (not re-checked on disk: only a file
 * event makes it read again) names it.
 */
async function writtenAndSeen(file: vscode.Uri, name: string): Promise<LoadedAgent[]> {
  return afterChange(() => write(file, `---\nname: ${name}\ndescription: Added.\n---\nBody.\n`), () => api().loadedAgents(), a => a.some(x => x.name === name));
}
const diagnosticsOf = (file: vscode.Uri) => async (): Promise<readonly vscode.Diagnostic[]> => { await api().agents(); return vscode.languages.getDiagnostics(file); };

suite('Agent definitions in a real VS Code', () => {
  suiteSetup(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    await vscode.workspace.fs.createDirectory(agentsDir());
  });
  teardown(function () {
    if (this.currentTest?.state === 'failed' && waitingFor) {
      console.log(`    was waiting for ${waitingFor.check} after ${waitingFor.probes} looks; the last one saw ${waitingFor.last}`);
    }
    waitingFor = undefined;
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
    const all = await afterChange(() => write(file, '---\nname: api-reviewer\ndescription: Reviews HTTP APIs.\ntools: Read, Grep\n---\nYou review APIs.\n'),
      listed, a => a.some(x => x.name === 'api-reviewer'));
    const agent = all.find(a => a.name === 'api-reviewer')!;
    assert.equal(agent.origin, 'workspace');
    assert.equal(agent.uri.toString(), file.toString());
    await afterChange(() => write(file, '---\nname: api-reviewer\ndescription: Reviews HTTP APIs and their error formats.\n---\nYou review APIs.\n'),
      listed, a => a.some(x => x.description === 'Reviews HTTP APIs and their error formats.'));
    await afterChange(() => vscode.workspace.fs.delete(file), listed, a => !a.some(x => x.name === 'api-reviewer'));
  });

  test('a malformed definition is not loaded and shows a diagnostic on its line', async () => {
    const file = vscode.Uri.joinPath(agentsDir(), 'broken.md');
    const diags = await afterChange(() => write(file, '---\nname: broken\ndescription: fine\ntools: &a [x]\nmodel: *a\n---\nBody.\n'), diagnosticsOf(file), d => d.length > 0);
    const error = diags.find(d => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(error, 'an error diagnostic');
    assert.ok(error.range.start.line === 3 || error.range.start.line === 4, `on the alias lines, got line ${error.range.start.line + 1}`);
    assert.ok(!(await api().agents()).some(a => a.name === 'broken'));
    await vscode.workspace.fs.delete(file);
  });

  test('front matter in another language never runs', async () => {
    const file = vscode.Uri.joinPath(agentsDir(), 'pwn.md');
    await afterChange(() => write(file, '---js\n({ name: (globalThis.pwnedByAgent = 1, "pwn") })\n---\nBody\n'), diagnosticsOf(file), d => d.length > 0);
    assert.equal((globalThis as Record<string, unknown>).pwnedByAgent, undefined);
    await vscode.workspace.fs.delete(file);
  });

  test('a definition written just before a request is the one the request uses, whatever the file events', async () => {
    await api().agents();
    const file = vscode.Uri.joinPath(agentsDir(), 'just-in-time.md');
    await write(file, '---\nname: just-in-time\ndescription: Written a moment ago.\n---\nYou arrive on time.\n');
    // No waiting for a watcher: the request re-checks the folder by stat.
    const agent = await api().agent('just-in-time');
    assert.equal(agent.name, 'just-in-time');
    assert.equal(agent.origin, 'workspace');
    await afterChange(() => vscode.workspace.fs.delete(file), listed, a => !a.some(x => x.name === 'just-in-time'));
  });

  test('after .claude/agents is deleted and made again, its watcher comes back: a new definition, and one in a new subfolder and its edit, appear on file events alone', async () => {
    const first = vscode.Uri.joinPath(agentsDir(), 'before.md');
    await afterChange(() => write(first, '---\nname: before-delete\ndescription: Here before the folder went.\n---\nBody.\n'), listed, a => a.some(x => x.name === 'before-delete'));
    await afterChange(() => vscode.workspace.fs.delete(vscode.Uri.joinPath(agentsDir(), '..'), { recursive: true, useTrash: false }),
      listed, a => !a.some(x => x.name === 'before-delete'));
    // Both folders at once, as `mkdir -p` makes them: no watcher can have seen `.claude` before `agents` is in it.
    await afterChange(async () => { fs.mkdirSync(agentsDir().fsPath, { recursive: true }); }, listed, () => true);
    const all = await writtenAndSeen(vscode.Uri.joinPath(agentsDir(), 'after.md'), 'after-recreate');
    assert.equal(all.find(x => x.name === 'after-recreate')?.origin, 'workspace');
    // A subfolder made later: its definition appears, and an edit of it shows, on file events alone.
    const team = path.join(agentsDir().fsPath, 'team');
    const nested = path.join(team, 'nested.md');
    const nestedText = (d: string): string => `---\nname: nested-agent\ndescription: ${d}\n---\nBody.\n`;
    await afterChange(async () => { fs.mkdirSync(team); fs.writeFileSync(nested, nestedText('In a subfolder.')); },
      () => api().loadedAgents(), a => a.some(x => x.name === 'nested-agent'));
    await afterChange(async () => { fs.writeFileSync(nested, nestedText('In a subfolder, edited later.')); },
      () => api().loadedAgents(), a => a.some(x => x.description === 'In a subfolder, edited later.'));
    await afterChange(async () => { fs.rmSync(team, { recursive: true }); }, () => api().loadedAgents(), a => !a.some(x => x.name === 'nested-agent'));
    await afterChange(() => vscode.workspace.fs.delete(vscode.Uri.joinPath(agentsDir(), 'after.md')), listed, a => !a.some(x => x.name === 'after-recreate'));
  });

  test('a folder from the settings that is not there yet, nor its parent, is picked up on the file events of its making', async () => {
    const base = vscode.Uri.file(fs.mkdtempSync(path.join(os.tmpdir(), 'ba-agent-folders-')));
    const folder = vscode.Uri.joinPath(base, 'team', 'agents');
    const c = vscode.workspace.getConfiguration(section);
    try {
      await afterChange(() => c.update('agentFolders', [folder.fsPath], vscode.ConfigurationTarget.Global), () => api().loadedAgents(), () => true);
      await vscode.workspace.fs.createDirectory(folder);
      const all = await writtenAndSeen(vscode.Uri.joinPath(folder, 'from-setting.md'), 'from-a-new-folder');
      assert.equal(all.find(x => x.name === 'from-a-new-folder')?.origin, 'setting');
    } finally {
      await c.update('agentFolders', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(base.fsPath, { recursive: true, force: true });
    }
  });

  test('a workspace agent shadows the bundled one of the same name, and its instructions and mapped model reach the model', async () => {
    const server = await ModelServer.start({ quiet: true });
    try {
      const c = vscode.workspace.getConfiguration(section);
      await useEndpoint(server, 'default-model');
      await c.update('modelMap', { opus: 'mapped-big-model' }, vscode.ConfigurationTarget.Global);
      const file = vscode.Uri.joinPath(agentsDir(), 'team-architect.md');
      const all = await afterChange(() => write(file, '---\nname: backend-architect\ndescription: Our team\'s architect.\nmodel: opus\n---\nAlways propose Kotlin and Ktor.\n'),
        listed, a => a.filter(x => x.name === 'backend-architect').length === 2);
      assert.deepEqual(all.filter(x => x.name === 'backend-architect').map(x => x.origin), ['workspace', 'bundled']);
      server.enqueue({ content: 'Ktor it is.' });
      const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request: 'A payments service' });
      assert.equal(result.status, 'complete');
      const body = server.completions.at(-1)!.body;
      assert.match(body.messages[0].content, /^Always propose Kotlin and Ktor\./);
      assert.equal(body.model, 'mapped-big-model');
      await vscode.workspace.fs.delete(file);
    } finally {
      await server.close();
    }
  });
});
