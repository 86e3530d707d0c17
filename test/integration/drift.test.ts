// The API drift check and Write as Migration in a real VS Code: diagnostics on the right lines of the spec and
// the route file, cleared when a fixed file is saved; Add to spec through the diff-first writer; the next
// Flyway migration written from a SQL card after its destructive step is confirmed. Waits are for events
// (diagnostics changing, a diff opening), never for a fixed time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Prompter } from '../../src/artifacts/vscode/writer';
import type { WriteListItem } from '../../src/artifacts/vscode/writeList';
import type { MigrationSummary } from '../../src/artifacts/migrationOffer';
import type { BackendArchitectApi } from '../../src/extension';
import { repoRoot } from '../unit/agents/agentPaths';
import { ModelServer } from '../support/modelServer';
import { forgetEndpoint, useEndpoint } from '../support/endpoint';

const section = 'backendArchitect';
const api = (): BackendArchitectApi => vscode.extensions.getExtension<BackendArchitectApi>('backend-architect.backend-architect')!.exports;
const root = (): vscode.Uri => vscode.workspace.workspaceFolders![0].uri;
const file = (rel: string): vscode.Uri => vscode.Uri.joinPath(root(), ...rel.split('/'));
const onDisk = (rel: string): string | undefined => { try { return fs.readFileSync(file(rel).fsPath, 'utf8'); } catch { return undefined; } };

const SPEC = 'docs/shop-api.yaml';
const specText = fs.readFileSync(path.join(repoRoot, 'test/fixtures/drift/shop-api/openapi.yaml'), 'utf8');
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex(l => l.includes(needle));

/** The drift entries of a file, as the Problems panel has them. */
const drift = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter(d => d.source === 'Backend Architect');
const codeOf = (d: vscode.Diagnostic): unknown => (typeof d.code === 'object' ? d.code.value : d.code);

/**
 * Resolves when the drift entries of `uri` satisfy `ok`, checked on each diagnostics change. Start it before
 * the action that should cause the change. The deadline only turns a hang into a failure with the entries.
 */
function driftWhere(uri: vscode.Uri, ok: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => { sub.dispose(); reject(new Error(`${what}: still ${JSON.stringify(drift(uri).map(d => d.message))}`)); }, 60000);
    const sub = vscode.languages.onDidChangeDiagnostics(e => {
      if (!e.uris.some(u => u.toString() === uri.toString()) || !ok(drift(uri))) { return; }
      clearTimeout(deadline);
      sub.dispose();
      resolve(drift(uri));
    });
  });
}

/** Answers the writer's questions and keeps what it was asked. */
class RecordingPrompter implements Prompter {
  asked: string[] = [];
  summaries: MigrationSummary[] = [];
  constructor(public yes = true, private readonly name = 'drop legacy code') {}
  async confirmSensitive(p: string): Promise<boolean> { this.asked.push(`sensitive ${p}`); return this.yes; }
  async confirmCreate(_f: string, paths: string[]): Promise<boolean> { this.asked.push(`create ${paths.join(',')}`); return this.yes; }
  async pickWrites(_f: string, items: WriteListItem[]): Promise<WriteListItem[] | undefined> { this.asked.push(`list ${items.map(i => i.path).join(',')}`); return this.yes ? items.filter(i => i.ticked) : undefined; }
  async confirmInvalid(): Promise<boolean> { this.asked.push('invalid'); return this.yes; }
  async confirmReplace(p: string): Promise<boolean> { this.asked.push(`replace ${p}`); return this.yes; }
  async askPath(_f: string, suggested: string): Promise<string> { this.asked.push(`path ${suggested}`); return suggested; }
  async pickFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder> { return folders[0]; }
  async askMigrationName(suggested: string): Promise<string> { this.asked.push(`name ${suggested}`); return this.name; }
  async confirmMigration(summary: MigrationSummary): Promise<boolean> { this.asked.push(`migration ${summary.message}`); this.summaries.push(summary); return this.yes; }
}

/** The quick fixes offered where a drift entry starts (the editor asks for them on an open document). */
async function quickFixes(uri: vscode.Uri, d: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(uri);
  return vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(d.range.start, d.range.start), vscode.CodeActionKind.QuickFix.value);
}

/** Waits for the diff of a proposal to open, and returns the proposal's URI. */
function proposalShown(): Promise<vscode.Uri> {
  const shown = (): vscode.Uri | undefined => vscode.window.visibleTextEditors.map(e => e.document.uri).find(u => u.scheme === 'backend-architect-proposed');
  return new Promise((resolve, reject) => {
    const now = shown();
    if (now) { resolve(now); return; }
    const deadline = setTimeout(() => { sub.dispose(); reject(new Error('the diff with the proposal did not open')); }, 60000);
    const sub = vscode.window.onDidChangeVisibleTextEditors(() => {
      const uri = shown();
      if (uri) { clearTimeout(deadline); sub.dispose(); resolve(uri); }
    });
  });
}

suite('API drift in the editor', function () {
  // The quick fixes of a .js file come after TypeScript's own, which wait for its server to start (24 s measured
  // under a load of 20 on two cores); the waits below are for events, with deadlines only to fail instead of hang.
  this.timeout(120000);
  const ordersJs = 'src/routes/orders.js';
  const productsJs = 'src/routes/products.js';
  let ordersBefore: string;
  let server: ModelServer;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    ordersBefore = onDisk(ordersJs)!;
    fs.mkdirSync(path.dirname(file(SPEC).fsPath), { recursive: true });
    fs.writeFileSync(file(SPEC).fsPath, specText);
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(file(ordersJs).fsPath, ordersBefore);
    fs.rmSync(file(SPEC).fsPath, { force: true });
    if (fs.readdirSync(file('docs').fsPath).length === 0) { fs.rmdirSync(file('docs').fsPath); }
    // Without a spec the check finds nothing to compare and takes its entries away.
    await vscode.commands.executeCommand(`${section}.checkDrift`);
    await server.close();
  });
  setup(() => { api().writer().prompter = new RecordingPrompter(); });

  test('Check API Drift puts each difference on its line, in the spec and in the route file', async () => {
    const [report] = await vscode.commands.executeCommand<{ items: unknown[]; spec: string }[]>(`${section}.checkDrift`);
    assert.equal(report.spec, SPEC);
    assert.equal(report.items.length, 2);
    const products = fs.readFileSync(file(productsJs).fsPath, 'utf8');
    const [route] = drift(file(productsJs));
    assert.ok(route, 'an entry on the route the spec lacks');
    assert.equal(route.range.start.line, lineOf(products, "productsRouter.get('/:id'"));
    assert.equal(codeOf(route), 'route-not-in-spec');
    assert.equal(route.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(route.message, /GET \/products\/\{id\} is not in docs\/shop-api\.yaml/);
    assert.equal(route.relatedInformation?.[0].location.uri.toString(), file(SPEC).toString(), 'it links to the spec');

    const inSpec = drift(file(SPEC));
    const operation = inSpec.find(d => codeOf(d) === 'operation-without-route')!;
    assert.equal(operation.range.start.line, lineOf(specText, 'delete:'));
    assert.equal(operation.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(operation.message, /^DELETE \/orders\/\{id\} has no route/);
    const mirror = inSpec.find(d => codeOf(d) === 'route-not-in-spec')!;
    assert.equal(mirror.severity, vscode.DiagnosticSeverity.Information, 'the route also shows in the spec, where it would go');
    assert.match(mirror.message, /declared at src\/routes\/products\.js:11/);
    assert.ok(drift(file(ordersJs)).some(d => codeOf(d) === 'operation-without-route'), 'the operation also shows on the closest route');

    const fixes = await quickFixes(file(SPEC), mirror);
    assert.deepEqual(fixes.map(f => f.title).filter(t => /products/.test(t)), ['Open route GET /products/{id}', 'Add GET /products/{id} to docs/shop-api.yaml']);
  });

  test('Review Architecture sends the drift with the folder\'s context', async () => {
    await useEndpoint(server);
    try {
      server.enqueue({ content: 'The spec and the routes disagree.' });
      await vscode.commands.executeCommand(`${section}.reviewArchitecture`, root());
      const user = (server.completions.at(-1)!.body.messages as { role: string; content: string }[]).at(-1)!.content;
      assert.match(user, /API drift: docs\/shop-api\.yaml \(4 operations\) against 4 routes declared in the code \(Express\)\./);
      assert.match(user, /Operations in the spec with no route \(1\):\n- DELETE \/orders\/\{id\} \(docs\/shop-api\.yaml:\d+\)/);
      assert.match(user, /Routes not in the spec \(1\):\n- GET \/products\/\{id\} \(src\/routes\/products\.js:11\)/);
    } finally {
      await forgetEndpoint();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('adding the missing route and saving the route file clears the operation\'s entries', async () => {
    const doc = await vscode.workspace.openTextDocument(file(ordersJs));
    const at = doc.positionAt(doc.getText().indexOf('module.exports'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, at, "ordersRouter.delete('/:id', async (req, res) => {\n  await prisma.order.delete({ where: { id: Number(req.params.id) } });\n  res.status(204).end();\n});\n\n");
    assert.ok(await vscode.workspace.applyEdit(edit));
    const cleared = driftWhere(file(SPEC), ds => !ds.some(d => codeOf(d) === 'operation-without-route'), 'the DELETE operation should have no entry after the save');
    assert.ok(drift(file(SPEC)).some(d => codeOf(d) === 'operation-without-route'), 'not before the save');
    await doc.save();
    const left = await cleared;
    assert.ok(left.some(d => codeOf(d) === 'route-not-in-spec'), 'the other difference is still there');
    assert.deepEqual(drift(file(ordersJs)), []);
  });

  test('Add to spec proposes the operation in a diff; nothing is written before Accept, and Accept clears the drift', async () => {
    const [route] = drift(file(productsJs));
    const fixes = await quickFixes(file(productsJs), route);
    const add = fixes.find(f => f.title === 'Add GET /products/{id} to docs/shop-api.yaml');
    assert.ok(add?.command, JSON.stringify(fixes.map(f => f.title)));
    assert.equal(add.isPreferred, true);
    const adding = vscode.commands.executeCommand<{ written: boolean }>(add.command.command, ...(add.command.arguments ?? []));
    const proposal = await proposalShown();
    assert.equal(onDisk(SPEC), specText, 'nothing written before Accept');
    const cleared = driftWhere(file(productsJs), ds => ds.length === 0, 'the route should have no entry once the spec has it');
    await vscode.commands.executeCommand(`${section}.acceptProposed`, proposal);
    const result = await adding;
    assert.equal(result.written, true, JSON.stringify(result));
    await cleared;
    const spec = onDisk(SPEC)!;
    assert.match(spec, /\n {2}\/products\/\{id\}:\n {4}get:\n {6}operationId: getProductsId\n/);
    assert.deepEqual(drift(file(SPEC)), [], 'spec and code agree now');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file(SPEC).toString(), 'the spec is shown');
    assert.equal(vscode.window.activeTextEditor?.selection.active.line, lineOf(spec, 'operationId: getProductsId') - 1, 'on the new operation');
  });
});

suite('Write as Migration', function () {
  this.timeout(120000);
  const folder = 'src/main/resources/db/migration';
  const target = 'CREATE TABLE products (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  price_cents integer NOT NULL DEFAULT 0\n);\n' +
    'CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products(id)\n);\n';
  let server: ModelServer;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    await useEndpoint(server);
    await vscode.commands.executeCommand(`${section}.openChat`);
  });
  suiteTeardown(async () => {
    await forgetEndpoint();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file('src/main').fsPath, { recursive: true, force: true });
    await server.close();
  });

  async function sqlCard(): Promise<{ turnId: string; id: string; migration?: { folder: string; tool: string } }> {
    const chat = api().chat();
    chat.clear();
    server.enqueue({ content: `The schema with prices.\n\n\`\`\`sql file=db/schema.sql\n${target}\`\`\`\n` });
    const turn = await chat.send('add prices, drop the legacy code');
    await chat.whenChecked();
    const [card] = api().chatArtifacts.list(turn!.id);
    assert.equal(card.status, 'valid', JSON.stringify(card.problems));
    return { turnId: turn!.id, id: card.id, migration: card.migration };
  }

  test('a valid SQL card offers it only when the workspace has a migrations folder', async () => {
    assert.equal((await sqlCard()).migration, undefined, 'no migrations folder yet');
    fs.mkdirSync(file(folder).fsPath, { recursive: true });
    fs.writeFileSync(file(`${folder}/V1__products.sql`).fsPath, 'CREATE TABLE products (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  legacy_code text\n);\n');
    fs.writeFileSync(file(`${folder}/V2__orders.sql`).fsPath, 'CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  product_id bigint NOT NULL REFERENCES products(id)\n);\n');
    assert.deepEqual((await sqlCard()).migration, { folder, tool: 'flyway' });
  });

  test('the destructive step is confirmed first: cancelled, nothing is written; confirmed, the next Flyway file is', async () => {
    const card = await sqlCard();
    const declining = new RecordingPrompter(false);
    api().writer().prompter = declining;
    await api().chatArtifacts.run(card.turnId, card.id, 'migration');
    assert.deepEqual(declining.asked, ['name schema change', `migration Write ${folder}/V3__drop_legacy_code.sql (2 steps, 1 to read first)?`]);
    assert.deepEqual(declining.summaries[0].risky, ['DESTRUCTIVE: column products.legacy_code: removed (drops column legacy_code of products and its data)']);
    assert.match(declining.summaries[0].detail, /Checked in the embedded Postgres/);
    assert.deepEqual(fs.readdirSync(file(folder).fsPath).sort(), ['V1__products.sql', 'V2__orders.sql'], 'cancelled: nothing written');

    const confirming = new RecordingPrompter(true);
    api().writer().prompter = confirming;
    await api().chatArtifacts.run(card.turnId, card.id, 'migration');
    assert.equal(onDisk(`${folder}/V3__drop_legacy_code.sql`),
      '-- Read before applying: 1 destructive step (DESTRUCTIVE).\nALTER TABLE products ADD COLUMN price_cents integer DEFAULT 0 NOT NULL;\n\n' +
      '-- DESTRUCTIVE: drops column legacy_code of products and its data\nALTER TABLE products DROP COLUMN legacy_code;\n');
    assert.ok(!confirming.asked.some(a => a.startsWith('create')), 'one confirmation, not two');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), file(`${folder}/V3__drop_legacy_code.sql`).toString(), 'the new migration is opened');

    // The migrations now build the card's schema: a second click says so and writes nothing.
    await api().chatArtifacts.run(card.turnId, card.id, 'migration');
    assert.equal(confirming.summaries.length, 1);
    assert.equal(fs.readdirSync(file(folder).fsPath).length, 3);
    assert.equal(await vscode.commands.executeCommand(`${section}.undoLastWrite`), true, 'one Undo takes the migration back');
    assert.equal(onDisk(`${folder}/V3__drop_legacy_code.sql`), undefined);
  });
});
