// Writing artifacts in a real VS Code: new files in one edit, existing files only through an accepted diff,
// one Undo, symlinks and sensitive places, and the cards' statuses. The writer's questions are answered by
// a recording prompter (the real dialogs are exercised by the UI test).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Prompter } from '../../src/artifacts/vscode/writer';
import type { WriteListItem } from '../../src/artifacts/vscode/writeList';
import type { BackendArchitectApi } from '../../src/extension';
import { ModelServer } from '../support/modelServer';
import { until } from '../support/until';
import { forgetEndpoint, useEndpoint } from '../support/endpoint';

const api = (): BackendArchitectApi => vscode.extensions.getExtension<BackendArchitectApi>('backend-architect.backend-architect')!.exports;
const root = (): string => vscode.workspace.workspaceFolders![0].uri.fsPath;
const onDisk = (rel: string): string | undefined => { try { return fs.readFileSync(path.join(root(), rel), 'utf8'); } catch { return undefined; } };

const spec = 'openapi: 3.1.0\ninfo:\n  title: Shop\n  version: "1"\npaths:\n  /orders:\n    get:\n      operationId: listOrders\n      responses:\n        "200":\n          description: OK\n';
function answerWith(files: Record<string, [string, string]>): string {
  return ['Here is the design.', ...Object.entries(files).map(([p, [lang, body]]) => `\`\`\`${lang} file=${p}\n${body}\`\`\``)].join('\n\n');
}

class RecordingPrompter implements Prompter {
  asked: string[] = [];
  /** Write All's lists, as they were shown. */
  lists: WriteListItem[][] = [];
  /** `tick`: which rows of Write All's list the person ticks (by default, those ticked when it opens). */
  constructor(private readonly yes = true, private readonly tick?: (item: WriteListItem) => boolean) {}
  async pickWrites(_f: string, items: WriteListItem[]): Promise<WriteListItem[] | undefined> {
    this.lists.push(items);
    this.asked.push(`list ${items.map(i => `${i.group}:${i.path}`).join(',')}`);
    return this.yes ? items.filter(i => (this.tick ? this.tick(i) : i.ticked)) : undefined;
  }
  async confirmSensitive(p: string, risk: string): Promise<boolean> { this.asked.push(`sensitive ${p}: ${risk}`); return this.yes; }
  async confirmCreate(_f: string, paths: string[]): Promise<boolean> { this.asked.push(`create ${paths.join(',')}`); return this.yes; }
  async confirmInvalid(): Promise<boolean> { this.asked.push('invalid'); return this.yes; }
  async confirmReplace(p: string): Promise<boolean> { this.asked.push(`replace ${p}`); return this.yes; }
  async askPath(_f: string, suggested: string): Promise<string> { this.asked.push(`path ${suggested}`); return suggested; }
  async pickFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder> { return folders[0]; }
  async askMigrationName(suggested: string): Promise<string> { this.asked.push(`migration name ${suggested}`); return suggested; }
  async confirmMigration(summary: { message: string }): Promise<boolean> { this.asked.push(`migration ${summary.message}`); return this.yes; }
}

const seenProposals = new Set<string>();

/** Waits for a diff showing a proposal this suite has not seen yet, and returns the proposal's URI. */
async function proposedEditorShown(): Promise<vscode.Uri> {
  const fresh = (): vscode.Uri | undefined => vscode.window.visibleTextEditors.map(e => e.document.uri)
    .find(u => u.scheme === 'backend-architect-proposed' && !seenProposals.has(u.toString()));
  const uri = fresh() ?? await new Promise<vscode.Uri>((resolve, reject) => {
    // Waits for the editors to change rather than looking every so often; the deadline only names the failure.
    const deadline = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the diff with the proposal did not open; visible: ${vscode.window.visibleTextEditors.map(e => e.document.uri.toString()).join(', ') || 'none'}`));
    }, 60000);
    const sub = vscode.window.onDidChangeVisibleTextEditors(() => {
      const u = fresh();
      if (u) { clearTimeout(deadline); sub.dispose(); resolve(u); }
    });
  });
  seenProposals.add(uri.toString());
  return uri;
}

suite('Writing artifacts into the workspace', () => {
  let server: ModelServer;
  let prompter: RecordingPrompter;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    await useEndpoint(server);
    // With the chat view open, diagrams are checked by mermaid in the view's real browser.
    await vscode.commands.executeCommand('backendArchitect.openChat');
  });
  suiteTeardown(async () => {
    await forgetEndpoint();
    await server.close();
  });
  setup(() => { prompter = new RecordingPrompter(); api().writer().prompter = prompter; });

  async function answer(files: Record<string, [string, string]>): Promise<string> {
    const chat = api().chat();
    chat.clear();
    server.enqueue({ content: answerWith(files) });
    const turn = await chat.send('design it');
    await chat.whenChecked();
    return turn!.id;
  }

  test('artifacts are found and checked: a valid OpenAPI spec, an invalid one with its line', async () => {
    const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec], 'docs/api/broken.yaml': ['yaml', 'openapi: 3.1.0\ninfo:\n  title: x\npaths:\n  /a/{id}:\n    get:\n      responses: {}\n'] });
    const list = api().chatArtifacts.list(turnId);
    assert.deepEqual(list.map(a => [a.path, a.kind]), [['docs/api/openapi.yaml', 'openapi'], ['docs/api/broken.yaml', 'openapi']]);
    assert.equal(list[0].status, 'valid', JSON.stringify(list[0].problems));
    assert.equal(list[1].status, 'invalid');
    assert.ok(list[1].problems.some(p => p.severity === 'error' && p.line > 1), JSON.stringify(list[1].problems));
  });

  test('SQL runs in embedded Postgres: an error on its line and column; a valid schema gets its ER diagram as a file of its own', async () => {
    const turnId = await answer({
      'db/broken.sql': ['sql', 'CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (a_id int REFERENCES a(id), x nosuchtype);\n'],
      'db/schema.sql': ['sql', 'CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id));\n'],
    });
    const list = api().chatArtifacts.list(turnId);
    const broken = list.find(a => a.path === 'db/broken.sql')!;
    assert.equal(broken.status, 'invalid');
    assert.ok(broken.problems.some(p => p.line === 2 && /nosuchtype/.test(p.message)), JSON.stringify(broken.problems));
    assert.equal(list.find(a => a.path === 'db/schema.sql')!.status, 'valid');
    const er = list.find(a => a.path === 'db/schema.er.mmd');
    assert.ok(er, `a derived ER diagram: ${JSON.stringify(list.map(a => a.path))}`);
    assert.equal(er.kind, 'mermaid');
    assert.match(er.title ?? '', /ER diagram/i);
  });

  test('the model\'s own ER diagram is compared with the schema Postgres built', async () => {
    const turnId = await answer({
      'db/schema.sql': ['sql', 'CREATE TABLE customer (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id));\n'],
      'docs/er.mmd': ['mermaid', 'erDiagram\n  CUSTOMER ||--o{ ORDERS : places\n  CUSTOMER ||--o{ INVOICE : receives\n'],
    });
    const model = api().chatArtifacts.list(turnId).find(a => a.path === 'docs/er.mmd')!;
    const diff = model.problems.filter(p => /Differs from the schema/.test(p.message));
    assert.ok(diff.some(p => /invoice/i.test(p.message)), JSON.stringify(model.problems));
  });

  test('a spec that fails its check goes back to the model, and the corrected one is what gets written', async () => {
    const broken = 'openapi: 3.1.0\ninfo:\n  title: Shop\npaths:\n  /orders/{id}:\n    get:\n      responses: {}\n';
    const chat = api().chat();
    chat.clear();
    server.enqueue({ content: answerWith({ 'docs/api/orders.yaml': ['yaml', broken] }) },
      { content: `\`\`\`yaml file=docs/api/orders.yaml\n${spec}\`\`\`\n` });
    const turn = await chat.send('design the orders API');
    await chat.whenChecked();
    const [a] = api().chatArtifacts.list(turn!.id);
    assert.equal(a.status, 'repaired', JSON.stringify(a));
    assert.match((a.changes ?? []).join('\n'), /corrected by the model in repair turn 1/);
    const repair = server.completions.at(-1)!.body.messages as { role: string; content: string }[];
    assert.equal(repair.length, 2, 'a repair turn is the agent\'s instructions and the problems, not the whole chat');
    assert.match(repair[1].content, /docs\/api\/orders\.yaml` did not pass/);
    assert.match(repair[1].content, /Reply with the corrected block only/);
    assert.equal(chat.turns.length, 2, 'the repair turn is not shown as part of the conversation');
    await api().chatArtifacts.writeAll(turn!.id);
    assert.equal(onDisk('docs/api/orders.yaml'), spec);
    await vscode.commands.executeCommand('backendArchitect.undoLastWrite');
  });

  test('Write All creates the new files in one step, and Undo Last Write removes them all', async () => {
    const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec], 'docs/adr/0001-postgres.md': ['markdown', '# Use PostgreSQL\n\n## Context\nx\n\n## Decision\ny\n\n## Consequences\nz\n'] });
    await api().chatArtifacts.writeAll(turnId);
    assert.deepEqual(prompter.asked, ['list create:docs/api/openapi.yaml,create:docs/adr/0001-postgres.md'], 'one list, no other question');
    assert.equal(onDisk('docs/api/openapi.yaml'), spec);
    assert.match(onDisk('docs/adr/0001-postgres.md') ?? '', /# Use PostgreSQL/);
    assert.deepEqual(api().chatArtifacts.list(turnId).map(a => a.written), ['docs/api/openapi.yaml', 'docs/adr/0001-postgres.md']);
    assert.equal(await vscode.commands.executeCommand('backendArchitect.undoLastWrite'), true);
    assert.equal(onDisk('docs/api/openapi.yaml'), undefined);
    assert.equal(onDisk('docs/adr/0001-postgres.md'), undefined);
    // The cards no longer say "Written to …": each offers to create its file again.
    assert.deepEqual(api().chatArtifacts.list(turnId).map(a => [a.written, a.write?.action]), [[undefined, 'create'], [undefined, 'create']]);
  });

  test('an existing file is replaced only after its diff is accepted; Undo restores it', async () => {
    fs.mkdirSync(path.join(root(), 'docs/api'), { recursive: true });
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'openapi: 3.0.0 # ours\n');
    const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec] });
    const [a] = api().chatArtifacts.list(turnId);
    const writing = api().chatArtifacts.run(turnId, a.id, 'write');
    const proposal = await proposedEditorShown();
    assert.equal(onDisk('docs/api/openapi.yaml'), 'openapi: 3.0.0 # ours\n', 'nothing written before Accept');
    await vscode.commands.executeCommand('backendArchitect.acceptProposed', proposal);
    await writing;
    assert.equal(onDisk('docs/api/openapi.yaml'), spec);
    await vscode.commands.executeCommand('backendArchitect.undoLastWrite');
    assert.equal(onDisk('docs/api/openapi.yaml'), 'openapi: 3.0.0 # ours\n');
  });

  test('unsaved edits of the file in an editor are never overwritten: Accept writes nothing and says why', async () => {
    fs.mkdirSync(path.join(root(), 'docs/api'), { recursive: true });
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'openapi: 3.0.0 # saved\n');
    // VS Code in a browser (code-server) saves edits after a second by default; on a busy machine that came
    // before Accept, and the file was then saved, not unsaved. Desktop VS Code's default is off: so here too.
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    try {
      const doc = await vscode.workspace.openTextDocument(path.join(root(), 'docs/api/openapi.yaml'));
      await until(() => doc.getText() === 'openapi: 3.0.0 # saved\n', 'the document to show the file as saved');
      const typing = new vscode.WorkspaceEdit();
      typing.insert(doc.uri, new vscode.Position(1, 0), '# typed, not saved\n');
      assert.ok(await vscode.workspace.applyEdit(typing));
      assert.ok(doc.isDirty);
      const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec] });
      const [a] = api().chatArtifacts.list(turnId);
      const writing = api().chatArtifacts.run(turnId, a.id, 'write');
      const proposal = await proposedEditorShown();
      await vscode.commands.executeCommand('backendArchitect.acceptProposed', proposal);
      await writing;
      assert.equal(onDisk('docs/api/openapi.yaml'), 'openapi: 3.0.0 # saved\n', 'the file on disk is untouched');
      assert.match(doc.getText(), /# typed, not saved/, 'the unsaved edit is still in the editor');
      assert.equal(api().chatArtifacts.list(turnId)[0].written, undefined, 'the card does not say "Written to"');
      // The person's edit taken out again and saved: the file is as it was, and no editor holds unsaved text.
      const untype = new vscode.WorkspaceEdit();
      untype.delete(doc.uri, new vscode.Range(1, 0, 2, 0));
      assert.ok(await vscode.workspace.applyEdit(untype));
      assert.ok(await doc.save());
      assert.ok(!doc.isDirty);
    } finally {
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('Write All with a new and an existing file: one Undo puts both back', async () => {
    fs.mkdirSync(path.join(root(), 'docs/api'), { recursive: true });
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'ours\n');
    const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec], 'docs/adr/0002-x.md': ['markdown', '# X\n'] });
    const writing = api().chatArtifacts.writeAll(turnId);
    const proposal = await proposedEditorShown();
    await vscode.commands.executeCommand('backendArchitect.acceptProposed', proposal);
    await writing;
    assert.equal(onDisk('docs/api/openapi.yaml'), spec);
    assert.equal(onDisk('docs/adr/0002-x.md'), '# X\n');
    await vscode.commands.executeCommand('backendArchitect.undoLastWrite');
    assert.equal(onDisk('docs/api/openapi.yaml'), 'ours\n');
    assert.equal(onDisk('docs/adr/0002-x.md'), undefined);
  });

  test('a file changed on disk after its diff was shown is not overwritten', async () => {
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'v1\n');
    const turnId = await answer({ 'docs/api/openapi.yaml': ['yaml', spec] });
    const [a] = api().chatArtifacts.list(turnId);
    const writing = api().chatArtifacts.run(turnId, a.id, 'write');
    const proposal = await proposedEditorShown();
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'v2 edited meanwhile\n');
    await vscode.commands.executeCommand('backendArchitect.acceptProposed', proposal);
    await writing;
    assert.equal(onDisk('docs/api/openapi.yaml'), 'v2 edited meanwhile\n');
    assert.equal(api().chatArtifacts.list(turnId)[0].written, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('a folder link that leads outside the workspace is never written through', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-outside-'));
    fs.symlinkSync(outside, path.join(root(), 'linked'));
    try {
      const turnId = await answer({ 'linked/leak.md': ['markdown', '# leak\n'] });
      await api().chatArtifacts.writeAll(turnId);
      assert.deepEqual(fs.readdirSync(outside), []);
      assert.equal(api().chatArtifacts.list(turnId)[0].written, undefined);
    } finally {
      fs.unlinkSync(path.join(root(), 'linked'));
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('Write to Workspace on a sensitive destination asks a second question that names the risk', async () => {
    prompter = new RecordingPrompter(false);
    api().writer().prompter = prompter;
    const turnId = await answer({ '.vscode/settings.json': ['json', '{ "chat.tools.autoApprove": true }\n'] });
    const [a] = api().chatArtifacts.list(turnId);
    assert.match(a.write?.words ?? '', /^sensitive place: will ask \(.*run commands/, 'the card says so before any click');
    prompter = new RecordingPrompter(true);
    prompter.confirmSensitive = async (p, risk) => { prompter.asked.push(`sensitive ${p}: ${risk}`); return false; };
    api().writer().prompter = prompter;
    await api().chatArtifacts.run(turnId, a.id, 'write');
    assert.equal(prompter.asked.length, 2, prompter.asked.join(' | '));
    assert.match(prompter.asked[1], /^sensitive \.vscode\/settings\.json: .*run commands/);
    assert.equal(onDisk('.vscode/settings.json'), undefined, 'declined: nothing written');
  });

  test('Write All lists every file under what writing it does; only the good and the ticked sensitive ones are written, one Undo puts all back', async () => {
    fs.mkdirSync(path.join(root(), 'docs/api'), { recursive: true });
    fs.writeFileSync(path.join(root(), 'docs/api/openapi.yaml'), 'ours\n');
    const outside = path.join(path.dirname(root()), 'x.yaml');
    const turnId = await answer({
      'docs/api/openapi.yaml': ['yaml', spec], 'docs/adr/0003-list.md': ['markdown', '# List\n'],
      '.vscode/settings.json': ['json', '{ "editor.tabSize": 2 }\n'], '.github/workflows/ci.yml': ['yaml', 'on: push\n'],
      '../x.yaml': ['yaml', 'a: 1\n'], '/tmp/x.sql': ['sql', 'CREATE TABLE x (id int);\n'],
      'docs/api/broken.yaml': ['yaml', 'openapi: 3.1.0\ninfo:\n  title: x\npaths:\n  /a/{id}:\n    get:\n      responses: {}\n'],
    });
    assert.deepEqual(api().chatArtifacts.list(turnId).map(a => a.write?.action), ['replace', 'create', 'ask', 'ask', 'refused', 'refused', 'refused', 'create'], 'each card has its verdict (the schema\'s ER diagram too)');
    prompter = new RecordingPrompter(true, i => i.ticked || i.path === '.vscode/settings.json');
    api().writer().prompter = prompter;
    const writing = api().chatArtifacts.writeAll(turnId);
    await vscode.commands.executeCommand('backendArchitect.acceptProposed', await proposedEditorShown());
    await writing;
    const [list] = prompter.lists;
    assert.deepEqual(list.map(i => [i.group, i.path, i.ticked]), [
      ['replace', 'docs/api/openapi.yaml', true], ['create', 'docs/adr/0003-list.md', true], ['ask', '.vscode/settings.json', false],
      ['ask', '.github/workflows/ci.yml', false], ['refused', '../x.yaml', false], ['refused', '/tmp/x.sql', false],
      ['refused', '/tmp/x.er.mmd', false], ['refused', 'docs/api/broken.yaml', false]]);
    assert.match(list[4].words, /^refused: it climbs out of the folder/);
    assert.match(list[5].words, /^refused: .*absolute/);
    assert.match(list[7].why ?? '', /did not pass its check/);
    assert.equal(prompter.asked.filter(a => !a.startsWith('list')).length, 0, 'no second question: ticking the sensitive file was the confirmation');
    assert.equal(onDisk('docs/api/openapi.yaml'), spec);
    assert.equal(onDisk('docs/adr/0003-list.md'), '# List\n');
    assert.equal(onDisk('.vscode/settings.json'), '{ "editor.tabSize": 2 }\n');
    assert.equal(onDisk('.github/workflows/ci.yml'), undefined, 'unticked: not written');
    assert.equal(onDisk('docs/api/broken.yaml'), undefined);
    assert.equal(fs.existsSync(outside), false);
    assert.equal(await vscode.commands.executeCommand('backendArchitect.undoLastWrite'), true);
    assert.equal(onDisk('docs/api/openapi.yaml'), 'ours\n');
    assert.equal(onDisk('docs/adr/0003-list.md'), undefined);
    assert.equal(onDisk('.vscode/settings.json'), undefined);
    fs.rmSync(path.join(root(), '.vscode'), { recursive: true, force: true });
  });

  test('Write All cancelled (Escape on the list) writes nothing and says nothing more', async () => {
    const turnId = await answer({ 'docs/adr/0004-cancel.md': ['markdown', '# Cancel\n'] });
    prompter = new RecordingPrompter(false);
    api().writer().prompter = prompter;
    await api().chatArtifacts.writeAll(turnId);
    assert.deepEqual(prompter.asked, ['list create:docs/adr/0004-cancel.md']);
    assert.equal(onDisk('docs/adr/0004-cancel.md'), undefined);
  });

  test('the webview can only name artifacts the host made: unknown ids do nothing', async () => {
    const turnId = await answer({ 'docs/x.md': ['markdown', '# x\n'] });
    await api().chatArtifacts.run(turnId, 'a99', 'write');
    await api().chatArtifacts.run('a-forged', 'a1', 'write');
    assert.deepEqual(prompter.asked, []);
    assert.equal(onDisk('docs/x.md'), undefined);
  });
});
