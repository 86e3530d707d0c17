import * as vscode from 'vscode';
import type { ArtifactWriter, WriteResult } from '../../artifacts/vscode/writer';
import { Commands, ConfigSection, Settings } from '../../constants';
import { vscodeFileSource } from '../../context/vscode/workspaceContext';
import { loadBundle, type DriftBundle } from '../../lazy';
import { Coalescer } from '../debounce';
import type { DriftItem, DriftReport } from '../types';
import { DriftCodeActions } from './driftCodeActions';
import { DriftDiagnostics } from './driftDiagnostics';

const lib = (): DriftBundle => loadBundle<DriftBundle>('drift.js');

/** Saves closer together than this give one check. */
const SAVE_DELAY_MS = 400;

/**
 * The API drift check in the editor: Check API Drift, the re-check when a spec or a route file is saved
 * (setting `driftOnSave`), the Problems panel entries and their quick fixes (Open route, Open operation, Add
 * to spec). One report per workspace folder, kept for the quick fixes and to decide which saves matter.
 */
export class DriftChecks implements vscode.Disposable {
  readonly diagnostics = new DriftDiagnostics();
  private readonly reports = new Map<string, DriftReport>();
  private readonly pending = new Map<string, Coalescer>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly writer: ArtifactWriter, private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      this.diagnostics,
      vscode.workspace.onDidSaveTextDocument(doc => this.saved(doc)),
      vscode.workspace.onDidChangeWorkspaceFolders(e => e.removed.forEach(f => this.forget(f))),
    ];
  }

  /** Checks one workspace folder and shows what it found in the Problems panel. */
  async check(folder: vscode.WorkspaceFolder, token?: vscode.CancellationToken): Promise<DriftReport> {
    const controller = new AbortController();
    const cancel = token?.onCancellationRequested(() => controller.abort(new Error('cancelled')));
    const started = Date.now();
    try {
      const report = await lib().checkDrift(vscodeFileSource(folder.uri, token), { signal: controller.signal });
      this.reports.set(folder.uri.toString(), report);
      this.diagnostics.show(folder, lib().driftProblems(report), report.items);
      this.log.info(`drift ${folder.name}: ${lib().driftSummary(report)} (${report.inputs.length} spec and route files, ${Date.now() - started} ms)`);
      for (const n of report.notes) { this.log.info(`  note: ${n.file ? `${n.file}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message}`); }
      return report;
    } finally {
      cancel?.dispose();
    }
  }

  /** The folder's last report, if it was checked. */
  report(folder: vscode.WorkspaceFolder): DriftReport | undefined {
    return this.reports.get(folder.uri.toString());
  }

  /** A check of the folder soon, folded together with any other asked for meanwhile. */
  schedule(folder: vscode.WorkspaceFolder, delayMs = SAVE_DELAY_MS): void {
    const key = folder.uri.toString();
    let c = this.pending.get(key);
    if (!c) {
      c = new Coalescer(async () => { await this.check(folder); }, SAVE_DELAY_MS, e => this.log.warn(`drift check of ${folder.name} failed: ${(e as Error).message}`));
      this.pending.set(key, c);
    }
    c.schedule(delayMs);
  }

  private saved(doc: vscode.TextDocument): void {
    if (!vscode.workspace.isTrusted || !vscode.workspace.getConfiguration(ConfigSection, doc.uri).get<boolean>(Settings.driftOnSave, true)) { return; }
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (!folder || doc.uri.scheme !== folder.uri.scheme) { return; }
    const rel = vscode.workspace.asRelativePath(doc.uri, false);
    if (lib().recheckOnSave(rel, this.report(folder), () => doc.getText(new vscode.Range(0, 0, 200, 0)))) { this.schedule(folder); }
  }

  /**
   * Add to spec: the operation for a route the spec lacks, proposed as a diff of the spec (nothing is written
   * before Accept); afterwards the new operation is shown and the folder checked again.
   */
  async addToSpec(folderUri: vscode.Uri, item: DriftItem): Promise<WriteResult | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(folderUri);
    const report = folder && this.report(folder);
    const spec = report?.specs.find(s => s.file === (item.related?.file ?? report.spec));
    if (!folder || !spec) { void vscode.window.showWarningMessage('The spec is not known any more: run Check API Drift again.'); return undefined; }
    const uri = vscode.Uri.joinPath(folder.uri, ...spec.file.split('/'));
    if (vscode.workspace.textDocuments.some(d => d.uri.toString() === uri.toString() && d.isDirty)) {
      void vscode.window.showWarningMessage(`Save ${spec.file} first: the operation is added to the file as it is on disk.`);
      return undefined;
    }
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const proposal = lib().proposeOperation(item, spec, text);
    if ('error' in proposal) { void vscode.window.showWarningMessage(proposal.error); return undefined; }
    const [result] = await this.writer.writeIn(folder, [{ kind: 'openapi', suggestedPath: proposal.file, content: proposal.text }]);
    if (result.written) {
      const line = Math.max(0, proposal.line - 1);
      await vscode.window.showTextDocument(result.uri, { selection: new vscode.Range(line, 0, line, 0) });
      this.schedule(folder, 0);
    }
    return result;
  }

  private forget(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.pending.get(key)?.dispose();
    this.pending.delete(key);
    this.reports.delete(key);
    this.diagnostics.clear(folder);
  }

  dispose(): void {
    for (const c of this.pending.values()) { c.dispose(); }
    this.disposables.forEach(d => d.dispose());
  }
}

/** Check API Drift: every workspace folder, with progress, then one summary with the way to the Problems panel. */
async function checkDriftCommand(checks: DriftChecks, log: vscode.LogOutputChannel): Promise<DriftReport[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) { void vscode.window.showErrorMessage('Check API Drift compares a folder\'s OpenAPI spec with its routes. Open a folder first.'); return []; }
  const reports: DriftReport[] = [];
  try {
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking API drift', cancellable: true }, async (progress, token) => {
      for (const folder of folders) {
        if (token.isCancellationRequested) { break; }
        progress.report({ message: folders.length > 1 ? folder.name : 'reading the spec and the routes…' });
        reports.push(await checks.check(folder, token));
      }
    });
  } catch (e) {
    if (!/cancel/i.test((e as Error).message)) { void vscode.window.showErrorMessage(`The API drift check failed: ${(e as Error).message}`); }
    return reports;
  }
  const summary = reports.map((r, i) => `${folders.length > 1 ? `${folders[i].name}: ` : ''}${lib().driftSummary(r)}`).join(' ');
  const buttons = [...(reports.some(r => r.items.length) ? ['Show Problems'] : []), ...(reports.some(r => r.notes.length) ? ['Show Notes'] : [])];
  void vscode.window.showInformationMessage(summary, ...buttons).then(choice => {
    if (choice === 'Show Problems') { void vscode.commands.executeCommand('workbench.actions.view.problems'); }
    if (choice === 'Show Notes') { log.show(true); }
  });
  return reports;
}

/** Opens a file of a drift entry on its line. */
async function openAt(uri: vscode.Uri, line: number): Promise<void> {
  const at = Math.max(0, line - 1);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, 0, at, 0) });
}

/** Registers the drift check's command, quick fixes and re-check on save; returns the checks. */
export function registerDrift(context: vscode.ExtensionContext, writer: ArtifactWriter, log: vscode.LogOutputChannel): DriftChecks {
  const checks = new DriftChecks(writer, log);
  context.subscriptions.push(
    checks,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new DriftCodeActions(checks.diagnostics), { providedCodeActionKinds: DriftCodeActions.kinds }),
    vscode.commands.registerCommand(Commands.checkDrift, () => checkDriftCommand(checks, log)),
    vscode.commands.registerCommand(Commands.openDriftLocation, (uri: vscode.Uri, line: number) => openAt(uri, line)),
    vscode.commands.registerCommand(Commands.addToSpec, (folder: vscode.Uri, item: DriftItem) => checks.addToSpec(folder, item)),
  );
  return checks;
}
