import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { checkArtifactPath } from '../paths';
import { judgeWrite, writingOff, type WriteVerdict } from '../writePlan';
import type { ArtifactKind } from '../types';
import type { MigrationSummary } from '../migrationOffer';
import { pickWrites, type WriteListItem } from './writeList';

/** Scheme of the read-only documents that hold proposed content for the diff view. */
export const proposedScheme = 'backend-architect-proposed';

/** One file to write: where the model suggested, and the content after validation and repair. */
export interface WriteRequest {
  kind: ArtifactKind;
  suggestedPath?: string;
  content: string;
  /** Invalid artifacts ask before they are written. */
  invalid?: boolean;
  /** Why Write All leaves this one out (cut off, failed its check): listed with the files not written. */
  leftOut?: string;
}

/** `quiet`: the person already saw why (Write All's list) or chose it; no message repeats it. */
export type WriteResult = { written: true; relativePath: string; uri: vscode.Uri } | { written: false; reason: string; quiet?: boolean };

/** One step of a write: a checked destination, or why nothing is written there. */
type Planned = { uri: vscode.Uri; relativePath: string; content: string; existing: boolean; sensitive?: string; words: string }
  | { reason: string; path?: string; words?: string; quiet?: boolean };
type Target = Exclude<Planned, { reason: string }>;

interface PendingDiff { target: vscode.Uri; content: string; baselineHash: string; resolve(r: WriteResult): void; relativePath: string; }

/** The questions the writer asks a person; replaceable so integration tests can answer them. */
export interface Prompter {
  /** A second confirmation naming the risk of a sensitive destination. */
  confirmSensitive(relativePath: string, risk: string): Promise<boolean>;
  /** A single new file's confirmation (a quick fix's edit), listing it. */
  confirmCreate(folderName: string, paths: string[]): Promise<boolean>;
  /**
   * Write All's one list: each file under what writing it does, with a checkbox (sensitive ones unticked,
   * refused ones not pickable). Resolves with the ticked files, or undefined when cancelled.
   */
  pickWrites(folderName: string, items: WriteListItem[]): Promise<WriteListItem[] | undefined>;
  confirmInvalid(): Promise<boolean>;
  /** Replacing an existing image (no diff can show what changes). */
  confirmReplace(relativePath: string): Promise<boolean>;
  /** The path for Write to Workspace, prefilled with the suggestion; undefined when cancelled. */
  askPath(folderName: string, suggested: string): Promise<string | undefined>;
  pickFolder(folders: readonly vscode.WorkspaceFolder[]): Promise<vscode.WorkspaceFolder | undefined>;
  /** Write as Migration: what the migration does, in a few words (prefilled); undefined when cancelled. */
  askMigrationName(suggested: string): Promise<string | undefined>;
  /** Write as Migration: one confirmation naming the file and listing its steps, those that lose data first. */
  confirmMigration(summary: MigrationSummary): Promise<boolean>;
}

/** The prompts a person sees: modal confirmations, an input box, the folder picker. */
export const editorPrompter: Prompter = {
  async confirmSensitive(relativePath, risk) {
    const choice = await vscode.window.showWarningMessage(`Write ${relativePath}?`, { modal: true, detail: `This is a sensitive place: ${risk}. Make sure you want this file there.` }, 'Write Anyway');
    return choice === 'Write Anyway';
  },
  async confirmCreate(folderName, paths) {
    const ok = await vscode.window.showInformationMessage(`Create ${paths.length} file${paths.length === 1 ? '' : 's'} in ${folderName}?`, { modal: true, detail: paths.join('\n') }, 'Create');
    return ok === 'Create';
  },
  pickWrites(folderName, items) {
    return pickWrites(folderName, items);
  },
  async confirmReplace(relativePath) {
    return (await vscode.window.showWarningMessage(`${relativePath} exists. Replace it?`, { modal: true }, 'Replace')) === 'Replace';
  },
  async confirmInvalid() {
    return (await vscode.window.showWarningMessage('This artifact did not pass its check. Write it anyway?', { modal: true }, 'Write Anyway')) === 'Write Anyway';
  },
  askPath(folderName, suggested) {
    return Promise.resolve(vscode.window.showInputBox({
      title: `Write to ${folderName}`, prompt: 'Path inside the workspace folder', value: suggested,
      validateInput: v => { const c = checkArtifactPath(v); return c.ok ? undefined : `Not allowed: ${c.reason}.`; },
    }));
  },
  pickFolder() {
    return Promise.resolve(vscode.window.showWorkspaceFolderPick({ placeHolder: 'Which workspace folder should the files go into?' }));
  },
  askMigrationName(suggested) {
    return Promise.resolve(vscode.window.showInputBox({
      title: 'Write as Migration', prompt: 'What the migration does, in a few words (it names the file)', value: suggested,
      validateInput: v => (/[a-z0-9]/i.test(v) ? undefined : 'Give the migration a name with a letter or a digit in it.'),
    }));
  },
  async confirmMigration(summary) {
    const options = { modal: true, detail: summary.detail };
    const choice = summary.risky.length || summary.unverified
      ? await vscode.window.showWarningMessage(summary.message, options, 'Write Migration')
      : await vscode.window.showInformationMessage(summary.message, options, 'Write Migration');
    return choice === 'Write Migration';
  },
};

/** A record of one write batch, enough to put everything back with one Undo. */
interface WriteBatch {
  created: { uri: vscode.Uri; hash: string }[];
  /** Files replaced (through a diff, or an image after a confirmation): their bytes before. */
  replaced: { uri: vscode.Uri; before: Uint8Array; hash: string }[];
}

const sha = (text: string | Uint8Array): string => createHash('sha256').update(text).digest('hex');
const defaultNames: Record<ArtifactKind, string> = {
  openapi: 'docs/api/openapi.yaml', mermaid: 'docs/architecture/diagram.mmd', sql: 'db/schema.sql', adr: 'docs/adr/0001-decision.md',
  json: 'docs/data.json', yaml: 'docs/config.yaml', code: 'docs/snippet.txt',
};

/**
 * Writes artifacts into the workspace the careful way (THREATS T5, T6, T9, T10): only in a trusted workspace,
 * only inside the chosen folder (checked on the canonical path, never through a symlink), sensitive places
 * only after a second confirmation that names the risk, new files through one WorkspaceEdit, existing files
 * only after a diff the person accepts, and never over a file that changed since its diff was shown.
 */
export class ArtifactWriter implements vscode.Disposable, vscode.TextDocumentContentProvider {
  private readonly proposed = new Map<string, string>();
  private readonly pending = new Map<string, PendingDiff>();
  private lastBatch: WriteBatch | undefined;
  /** While Write All runs, every write joins this batch, so one Undo puts all of it back. */
  private openBatch: WriteBatch | undefined;
  private counter = 0;
  private readonly disposables: vscode.Disposable[];
  /** Who answers the writer's questions: the person, unless a test says otherwise. */
  prompter: Prompter = editorPrompter;
  private readonly undone = new vscode.EventEmitter<string[]>();
  /** After Undo Last Write: the workspace-relative paths it took back (cards stop saying "Written to"). */
  readonly onDidUndo = this.undone.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      this.undone,
      vscode.workspace.registerTextDocumentContentProvider(proposedScheme, this),
      // A diff closed without Accept writes nothing; the card stops waiting.
      vscode.workspace.onDidCloseTextDocument(doc => {
        const p = this.pending.get(doc.uri.toString());
        if (p) { this.pending.delete(doc.uri.toString()); p.resolve({ written: false, reason: 'diff closed without Accept' }); }
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposed.get(uri.toString()) ?? '';
  }

  /**
   * A read-only document holding proposed content. Its name ends in `.proposed`, so no language server (JSON,
   * YAML) treats it as a file of its kind and fetches a remote `$schema` or `$ref` in it (THREATS T10).
   */
  proposedDocument(filePath: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: proposedScheme, path: `${filePath}.proposed`, query: `v=${++this.counter}` });
    this.proposed.set(uri.toString(), content);
    return uri;
  }

  /** Show Diff: the proposal against the file on disk, or against nothing when there is no such file yet. */
  async showDiff(relativePath: string | undefined, content: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const target = folder && relativePath ? await this.resolveTarget(folder, relativePath) : undefined;
    const onDisk = target && 'uri' in target && await exists(target.uri) ? target.uri : undefined;
    const right = this.proposedDocument(onDisk?.path ?? `/${relativePath ?? 'artifact'}`, content);
    const left = onDisk ?? this.proposedDocument(`/${relativePath ?? 'artifact'}.empty`, '');
    await vscode.commands.executeCommand('vscode.diff', left, right, `${relativePath ?? 'artifact'}: ${onDisk ? 'on disk' : 'new file'} ↔ proposed`);
  }

  /** Refuses in Restricted Mode, with the way to trust the folder. */
  trusted(): boolean {
    if (vscode.workspace.isTrusted) { return true; }
    // Not awaited: the notification stays until dismissed, and the refusal must not wait for that.
    void vscode.window.showWarningMessage('Backend Architect does not write files in Restricted Mode. Trust this folder to let it write the artifacts you choose.', 'Manage Workspace Trust')
      .then(choice => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return false;
  }

  private async pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) { void vscode.window.showErrorMessage('Open a folder to write artifacts into.'); return undefined; }
    if (folders.length === 1) { return folders[0]; }
    return this.prompter.pickFolder(folders);
  }

  /** Checks a relative path inside a folder on disk (the verdict the cards show); returns the target or why not. */
  async resolveTarget(folder: vscode.WorkspaceFolder, relative: string): Promise<{ uri: vscode.Uri; relativePath: string; sensitive?: string } | { reason: string }> {
    const { verdict, absolute } = judgeWrite(folder.uri.fsPath, relative);
    if (!absolute || (verdict.action !== 'create' && verdict.action !== 'replace' && verdict.action !== 'ask')) {
      return { reason: 'reason' in verdict ? verdict.reason : verdict.words };
    }
    return { uri: vscode.Uri.file(absolute), relativePath: verdict.path, sensitive: verdict.action === 'ask' ? verdict.risk : undefined };
  }

  /** What writing `suggested` would do, for a card before any click: off in Restricted Mode, else the judged verdict. */
  verdictFor(suggested: string | undefined): WriteVerdict {
    if (!vscode.workspace.isTrusted) { return writingOff(); }
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) { return writingOff('no folder is open to write into'); }
    return judgeWrite(folder.uri.fsPath, suggested).verdict;
  }

  private confirmSensitive(relativePath: string, risk: string): Promise<boolean> {
    return this.prompter.confirmSensitive(relativePath, risk);
  }

  /** Write to Workspace for one artifact: the person may change the path first. */
  async writeOne(req: WriteRequest): Promise<WriteResult> {
    if (!this.trusted()) { return { written: false, reason: 'workspace not trusted' }; }
    const folder = await this.pickFolder();
    if (!folder) { return { written: false, reason: 'no folder' }; }
    if (req.invalid && !(await this.prompter.confirmInvalid())) { return { written: false, reason: 'cancelled' }; }
    const relative = await this.prompter.askPath(folder.name, req.suggestedPath ?? defaultNames[req.kind]);
    if (!relative) { return { written: false, reason: 'cancelled' }; }
    const target = await this.resolveTarget(folder, relative);
    if ('reason' in target) { void vscode.window.showErrorMessage(`Not written: ${target.reason}.`); return { written: false, reason: target.reason }; }
    if (target.sensitive && !(await this.confirmSensitive(target.relativePath, target.sensitive))) { return { written: false, reason: 'cancelled' }; }
    if (await exists(target.uri)) { return this.diffThenWrite(target.uri, target.relativePath, req.content); }
    const result = await this.createFiles([{ uri: target.uri, relativePath: target.relativePath, content: req.content }]);
    return result[0];
  }

  /**
   * Save as SVG / PNG: an image of a diagram, by the same rules as an artifact (trusted workspace, the
   * person confirms the path, path checks, sensitive places confirmed). An existing file is replaced only
   * after a confirmation (an image has no readable diff), and Undo Last Write puts its old bytes back.
   */
  async writeImage(suggestedPath: string, bytes: Uint8Array): Promise<WriteResult> {
    if (!this.trusted()) { return { written: false, reason: 'workspace not trusted' }; }
    const folder = await this.pickFolder();
    if (!folder) { return { written: false, reason: 'no folder' }; }
    const relative = await this.prompter.askPath(folder.name, suggestedPath);
    if (!relative) { return { written: false, reason: 'cancelled' }; }
    const target = await this.resolveTarget(folder, relative);
    if ('reason' in target) { void vscode.window.showErrorMessage(`Not written: ${target.reason}.`); return { written: false, reason: target.reason }; }
    if (target.sensitive && !(await this.confirmSensitive(target.relativePath, target.sensitive))) { return { written: false, reason: 'cancelled' }; }
    const before = await readIfExists(target.uri);
    if (before && !(await this.prompter.confirmReplace(target.relativePath))) { return { written: false, reason: 'cancelled' }; }
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(target.uri, { contents: bytes, overwrite: !!before, ignoreIfExists: false }, { label: 'Backend Architect: save diagram', needsConfirmation: false });
    if (!(await vscode.workspace.applyEdit(edit))) { return { written: false, reason: 'VS Code refused the edit' }; }
    this.record(before
      ? { created: [], replaced: [{ uri: target.uri, before, hash: sha(bytes) }] }
      : { created: [{ uri: target.uri, hash: sha(bytes) }], replaced: [] });
    this.log.info(`saved ${target.relativePath} (${bytes.length} bytes)`);
    return { written: true, relativePath: target.relativePath, uri: target.uri };
  }

  /**
   * Write All: one list of every file and what writing it does; the person ticks, confirms once, and the
   * ticked new files are created in one WorkspaceEdit, existing ones each through its diff, all under one
   * Undo. A sensitive file the person ticked is written without a second question: the tick was the answer.
   */
  async writeAll(reqs: WriteRequest[]): Promise<WriteResult[]> {
    if (!this.trusted()) { return reqs.map(() => ({ written: false, reason: 'workspace not trusted' })); }
    const folder = await this.pickFolder();
    if (!folder) { return reqs.map(() => ({ written: false, reason: 'no folder' })); }
    const plan = await this.planFor(folder, reqs);
    // Nothing to tick: no list, the message after says why each was not written.
    if (!plan.some(p => !('reason' in p))) { return this.run(folder, plan, false); }
    const items = plan.map(listItem);
    const chosen = await this.prompter.pickWrites(folder.name, items);
    if (!chosen) { return plan.map(() => ({ written: false, reason: 'cancelled', quiet: true })); }
    const ticked = new Set(chosen);
    return this.run(folder, plan.map((p, i) => ('reason' in p ? { ...p, quiet: true }
      : ticked.has(items[i]) ? p : { reason: 'not ticked', path: p.relativePath, quiet: true })), false);
  }

  /**
   * Writes into a known folder, each file at its suggested path: new files in one WorkspaceEdit (one undo),
   * existing ones each through its diff, sensitive ones after their own confirmation. `confirmCreate: false`
   * when the caller has already had the new files confirmed (Write as Migration names its file in its own).
   */
  async writeIn(folder: vscode.WorkspaceFolder, reqs: WriteRequest[], options: { confirmCreate?: boolean } = {}): Promise<WriteResult[]> {
    if (!this.trusted()) { return reqs.map(() => ({ written: false, reason: 'workspace not trusted' })); }
    const plan = await this.planFor(folder, reqs);
    for (const [i, p] of plan.entries()) {
      if (!('reason' in p) && p.sensitive && !(await this.confirmSensitive(p.relativePath, p.sensitive))) { plan[i] = { reason: 'declined', quiet: true }; }
    }
    return this.run(folder, plan, options.confirmCreate !== false);
  }

  /** Each request's destination checked by the writer's rules, or why it is not written. */
  private async planFor(folder: vscode.WorkspaceFolder, reqs: WriteRequest[]): Promise<Planned[]> {
    const plan: Planned[] = [];
    const seen = new Set<string>();
    for (const r of reqs) {
      if (r.leftOut) { plan.push({ reason: r.leftOut, path: r.suggestedPath }); continue; }
      const { verdict, absolute } = judgeWrite(folder.uri.fsPath, r.suggestedPath);
      if (!absolute || (verdict.action !== 'create' && verdict.action !== 'replace' && verdict.action !== 'ask')) {
        const reason = verdict.action === 'choose' ? 'the answer gave it no path: use Write to Workspace to choose one' : 'reason' in verdict ? verdict.reason : verdict.words;
        plan.push({ reason, path: r.suggestedPath, words: verdict.words });
        continue;
      }
      if (seen.has(verdict.path.toLowerCase())) { plan.push({ reason: `${verdict.path} appears twice in the answer`, path: verdict.path }); continue; }
      seen.add(verdict.path.toLowerCase());
      plan.push({ uri: vscode.Uri.file(absolute), relativePath: verdict.path, content: r.content, existing: await exists(vscode.Uri.file(absolute)),
        sensitive: verdict.action === 'ask' ? verdict.risk : undefined, words: verdict.words });
    }
    return plan;
  }

  /** Carries out a plan in one batch (one Undo): the new files together, then each existing one through its diff. */
  private async run(folder: vscode.WorkspaceFolder, plan: Planned[], confirmCreate: boolean): Promise<WriteResult[]> {
    const targets = plan.filter((p): p is Target => !('reason' in p));
    const fresh = targets.filter(p => !p.existing);
    const results = new Map<object, WriteResult>();
    this.openBatch = { created: [], replaced: [] };
    try {
      if (fresh.length) {
        const ok = !confirmCreate || await this.prompter.confirmCreate(folder.name, fresh.map(f => f.relativePath));
        const created = ok ? await this.createFiles(fresh) : fresh.map(() => ({ written: false as const, reason: 'cancelled', quiet: true }));
        fresh.forEach((f, i) => results.set(f, created[i]));
      }
      for (const p of targets) {
        if (p.existing) { results.set(p, await this.diffThenWrite(p.uri, p.relativePath, p.content)); }
      }
    } finally {
      if (this.openBatch.created.length || this.openBatch.replaced.length) { this.lastBatch = this.openBatch; }
      this.openBatch = undefined;
    }
    return plan.map(p => ('reason' in p ? { written: false, reason: p.reason, ...(p.quiet ? { quiet: true } : {}) } : results.get(p)!));
  }

  /** Records a write: into Write All's batch while one runs, else as a batch of its own. */
  private record(batch: WriteBatch): void {
    if (this.openBatch) {
      this.openBatch.created.push(...batch.created);
      this.openBatch.replaced.push(...batch.replaced);
    } else {
      this.lastBatch = batch;
    }
  }

  private async createFiles(files: { uri: vscode.Uri; relativePath: string; content: string }[]): Promise<WriteResult[]> {
    const edit = new vscode.WorkspaceEdit();
    for (const f of files) {
      edit.createFile(f.uri, { contents: new TextEncoder().encode(f.content), overwrite: false, ignoreIfExists: false }, { label: 'Backend Architect: write artifact', needsConfirmation: false });
    }
    if (!(await vscode.workspace.applyEdit(edit))) { return files.map(() => ({ written: false, reason: 'VS Code refused the edit' })); }
    this.record({ created: files.map(f => ({ uri: f.uri, hash: sha(f.content) })), replaced: [] });
    this.log.info(`wrote ${files.map(f => f.relativePath).join(', ')}`);
    return files.map(f => ({ written: true, relativePath: f.relativePath, uri: f.uri }));
  }

  /** Shows the diff of an existing file against the proposal; resolves when the person accepts or closes it. */
  private async diffThenWrite(target: vscode.Uri, relativePath: string, content: string): Promise<WriteResult> {
    const before = await vscode.workspace.fs.readFile(target);
    const proposedUri = this.proposedDocument(target.path, content);
    const done = new Promise<WriteResult>(resolve => {
      this.pending.set(proposedUri.toString(), { target, content, baselineHash: sha(before), resolve, relativePath });
    });
    await vscode.commands.executeCommand('vscode.diff', target, proposedUri, `${relativePath}: current ↔ proposed (Accept to write)`);
    return done;
  }

  /** Accept in the diff's title bar: writes the proposal unless the file changed since the diff opened. */
  async accept(proposedUri?: vscode.Uri): Promise<WriteResult> {
    const key = (proposedUri ?? vscode.window.activeTextEditor?.document.uri)?.toString();
    const p = key ? this.pending.get(key) : undefined;
    if (!p) { void vscode.window.showErrorMessage('There is no proposed change here to accept.'); return { written: false, reason: 'no pending diff' }; }
    const now = await vscode.workspace.fs.readFile(p.target);
    if (sha(now) !== p.baselineHash) {
      this.pending.delete(key!);
      void vscode.window.showWarningMessage(`${p.relativePath} changed on disk after the diff was shown; nothing was written. Write it again to see a fresh diff.`);
      p.resolve({ written: false, reason: 'changed on disk since the diff' });
      return { written: false, reason: 'changed on disk since the diff' };
    }
    // Unsaved edits in an editor would be overwritten without a word: they are the person's, so nothing is written.
    if (vscode.workspace.textDocuments.some(d => d.uri.toString() === p.target.toString() && d.isDirty)) {
      this.pending.delete(key!);
      void vscode.window.showWarningMessage(`${p.relativePath} has unsaved changes in an editor; nothing was written. Save or revert them, then write it again.`);
      p.resolve({ written: false, reason: 'unsaved changes in an editor' });
      return { written: false, reason: 'unsaved changes in an editor' };
    }
    // Written as bytes through the file service, not as an edit of the open document and a save: the open
    // model may not have seen the file's last change on disk yet, and its save then fails ("File Modified Since").
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(p.target, { contents: new TextEncoder().encode(p.content), overwrite: true }, { label: 'Backend Architect: write artifact', needsConfirmation: false });
    if (!(await vscode.workspace.applyEdit(edit))) {
      p.resolve({ written: false, reason: 'VS Code refused the edit' });
      return { written: false, reason: 'VS Code refused the edit' };
    }
    this.pending.delete(key!);
    this.record({ created: [], replaced: [{ uri: p.target, before: now, hash: sha(p.content) }] });
    await closeDiffOf(key!);
    const result: WriteResult = { written: true, relativePath: p.relativePath, uri: p.target };
    p.resolve(result);
    return result;
  }

  /** Undo Last Write: deletes the files it created and restores the ones it replaced, in one edit, unless changed since. */
  async undoLast(): Promise<boolean> {
    const b = this.lastBatch;
    if (!b) { void vscode.window.showInformationMessage('Backend Architect has nothing to undo.'); return false; }
    const edit = new vscode.WorkspaceEdit();
    const skipped: string[] = [];
    const undone: string[] = [];
    for (const c of b.created) {
      const now = await readIfExists(c.uri);
      if (now === undefined) { continue; }
      if (sha(now) !== c.hash) { skipped.push(vscode.workspace.asRelativePath(c.uri)); continue; }
      edit.deleteFile(c.uri, { ignoreIfNotExists: true });
      undone.push(vscode.workspace.asRelativePath(c.uri, false));
    }
    for (const r of b.replaced) {
      const now = await readIfExists(r.uri);
      const edited = vscode.workspace.textDocuments.some(d => d.uri.toString() === r.uri.toString() && d.isDirty);
      if (edited || (now !== undefined && sha(now) !== r.hash)) { skipped.push(vscode.workspace.asRelativePath(r.uri)); continue; }
      edit.createFile(r.uri, { contents: r.before, overwrite: true });
      undone.push(vscode.workspace.asRelativePath(r.uri, false));
    }
    const ok = await vscode.workspace.applyEdit(edit);
    this.lastBatch = undefined;
    if (ok && undone.length) { this.undone.fire(undone); }
    if (skipped.length) { void vscode.window.showWarningMessage(`Left alone because you changed them since: ${skipped.join(', ')}`); }
    return ok;
  }

  dispose(): void {
    for (const p of this.pending.values()) { p.resolve({ written: false, reason: 'closed' }); }
    this.disposables.forEach(d => d.dispose());
  }
}

/** Closes the diff tabs showing this proposal (not whatever editor happens to be active). */
async function closeDiffOf(proposedKey: string): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap(g => g.tabs)
    .filter(t => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposedKey);
  if (tabs.length) { await vscode.window.tabGroups.close(tabs); }
}

/** Write All's row for one step of the plan: the group and words of the writer's verdict. */
function listItem(p: Planned): WriteListItem {
  if ('reason' in p) { return { path: p.path ?? '(no path)', group: 'refused', words: p.words ?? `not written: ${p.reason}`, why: p.reason, ticked: false }; }
  const group = p.sensitive ? 'ask' : p.existing ? 'replace' : 'create';
  return { path: p.relativePath, group, words: p.sensitive && p.existing ? `${p.words}; exists: diff first` : p.words, why: p.sensitive, ticked: group !== 'ask' };
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try { await vscode.workspace.fs.stat(uri); return true; } catch { return false; }
}

async function readIfExists(uri: vscode.Uri): Promise<Uint8Array | undefined> {
  try { return await vscode.workspace.fs.readFile(uri); } catch { return undefined; }
}
