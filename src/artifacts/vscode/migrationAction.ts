import * as vscode from 'vscode';
import { listingExclude } from '../../context/listing';
import { loadBundle, type ValidatorsBundle } from '../../lazy';
import type { MigrationFolder } from '../migrations';
import type { TrackedArtifact } from '../tracker';
import type { ArtifactWriter, WriteResult } from './writer';

const lib = (): ValidatorsBundle => loadBundle<ValidatorsBundle>('validators.js');

/** Migration files read for a plan: more than this many bytes in all is refused rather than read. */
const MAX_MIGRATION_BYTES = 20 * 1024 * 1024;

interface FoundFolder {
  workspaceFolder: vscode.WorkspaceFolder;
  folder: MigrationFolder;
  /** The SQL text of each step (only when asked to read them). */
  texts: Map<string, string>;
}

/**
 * The migrations folder of the open workspace: SQL files the scanner classifies as migrations, the folder with
 * the most of them in the first workspace folder that has one. With `read`, the steps' text too (which also
 * tells dbmate and goose files from plain numbered ones).
 */
async function findMigrationFolder(read: boolean, token?: vscode.CancellationToken): Promise<FoundFolder | undefined> {
  for (const workspaceFolder of vscode.workspace.workspaceFolders ?? []) {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(workspaceFolder, '**/*.sql'), listingExclude, 10_000, token);
    const base = workspaceFolder.uri.path.replace(/\/+$/, '') + '/';
    const paths = uris.map(u => (u.path.startsWith(base) ? u.path.slice(base.length) : '')).filter(Boolean);
    for (const candidate of lib().migrationFolderCandidates(paths)) {
      const texts = new Map<string, string>();
      if (read) {
        let total = 0;
        for (const p of candidate.files) {
          const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder.uri, ...p.split('/')));
          total += bytes.byteLength;
          if (total > MAX_MIGRATION_BYTES) { throw new Error(`the migrations in ${candidate.dir} are over ${MAX_MIGRATION_BYTES / 1024 / 1024} MB`); }
          texts.set(p, new TextDecoder().decode(bytes));
        }
      }
      const folder = lib().describeMigrationFolder(candidate.dir, candidate.files.map(p => ({ path: p, content: texts.get(p) })));
      if (folder.files.length) { return { workspaceFolder, folder, texts }; }
    }
  }
  return undefined;
}

/** A card Write as Migration can start from: complete SQL that ran cleanly (or was repaired), written by the model. */
function offerable(t: TrackedArtifact): boolean {
  return t.artifact.kind === 'sql' && !t.view.partial && !t.view.title && (t.view.status === 'valid' || t.view.status === 'repaired');
}

/**
 * Marks an answer's valid SQL cards with the workspace's migrations folder, so they offer Write as Migration.
 * Only in a trusted workspace (nothing is written otherwise). Returns whether any card changed.
 */
export async function offerMigrations(tracked: readonly TrackedArtifact[]): Promise<boolean> {
  const cards = tracked.filter(offerable);
  if (!cards.length || !vscode.workspace.isTrusted) { return false; }
  // Only names are listed here; a listing that fails just leaves the button out.
  const found = await findMigrationFolder(false).catch(() => undefined);
  if (!found) { return false; }
  for (const t of cards) { t.view.migration = { folder: found.folder.dir, tool: found.folder.tool }; }
  return true;
}

/**
 * Write as Migration: plans the migration from what the folder's migrations build to the card's schema (in
 * the embedded Postgres), asks for a name, shows every step (those that lose data or rest on a guess first,
 * and whether the check proved it) in one confirmation, then writes the folder's next migration file(s) in
 * one edit, one undo. Cancelling anywhere writes nothing.
 */
export async function writeAsMigration(tracked: TrackedArtifact, writer: ArtifactWriter): Promise<WriteResult[]> {
  if (!writer.trusted()) { return []; }
  if (!offerable(tracked)) {
    void vscode.window.showWarningMessage('Only complete SQL that passed its check can become a migration.');
    return [];
  }
  const planned = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Write as Migration', cancellable: true }, async (progress, token) => {
    progress.report({ message: 'finding the migrations folder…' });
    const found = await findMigrationFolder(true, token);
    if (!found) { return 'none'; }
    progress.report({ message: `building ${found.folder.files.length} migrations and the card's schema in Postgres…` });
    const migrations = found.folder.files.map(f => ({ path: f, content: lib().migrationUpText(found.texts.get(f) ?? '') }));
    const plan = await lib().planMigration({ migrations, target: tracked.content }, { down: lib().keepsDownMigrations(found.folder.tool) });
    return token.isCancellationRequested ? 'cancelled' : { ...found, plan };
  }).then(r => r, (e: Error) => { void vscode.window.showErrorMessage(`Write as Migration: ${e.message}.`); return 'cancelled' as const; });
  if (planned === 'none') {
    void vscode.window.showWarningMessage('No folder of SQL migrations was found in the workspace (such as db/migrations, prisma/migrations or src/main/resources/db/migration).');
  }
  if (typeof planned === 'string') { return []; }
  const { plan, folder, workspaceFolder } = planned;
  if (plan.status === 'failed') {
    const problems = plan.problems.slice(0, 3).map(p => `${p.file ? `${p.file}:` : ''}${p.line}: ${p.message}`).join('; ');
    void vscode.window.showErrorMessage(`Write as Migration: ${plan.notes[0] ?? 'the migration could not be planned.'}${problems ? ` ${problems}` : ''}`);
    return [];
  }
  if (plan.status === 'unchanged') {
    void vscode.window.showInformationMessage(`The migrations in ${folder.dir} already build this schema: there is no migration to write.`);
    return [];
  }
  const name = await writer.prompter.askMigrationName(lib().migrationNameFor(tracked.artifact.path));
  if (!name?.trim()) { return []; }
  const files = lib().nextMigrationFiles(folder, { name, up: plan.sql, down: plan.downSql }).map(f => ({ ...f, path: f.path.replace(/\\/g, '/') }));
  if (!(await writer.prompter.confirmMigration(lib().summarizeMigration(plan, files.map(f => f.path))))) { return []; }
  const results = await writer.writeIn(workspaceFolder, files.map(f => ({ kind: 'sql' as const, suggestedPath: f.path, content: f.content })), { confirmCreate: false });
  const failed = results.filter((r): r is Extract<WriteResult, { written: false }> => !r.written && r.reason !== 'cancelled' && r.reason !== 'declined');
  if (failed.length) { void vscode.window.showWarningMessage(`Not written: ${failed.map(r => r.reason).join('; ')}`); }
  const first = results.find((r): r is Extract<WriteResult, { written: true }> => r.written);
  if (first) { await vscode.window.showTextDocument(first.uri, { preview: false }); }
  return results;
}
