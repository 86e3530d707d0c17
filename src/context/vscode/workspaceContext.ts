import * as vscode from 'vscode';
import { ConfigSection, Settings, StateKeys } from '../../constants';
import type { PromptContext } from '../types';
import type { IgnoreFile } from '../ignore';
import type { FileEntry, FileSource, WorkspaceContext } from '../types';
import { loadBundle, type ContextBundle } from '../../lazy';

const lib = (): ContextBundle => loadBundle<ContextBundle>('context.js');

/** Never listed at all: dependency and VCS folders can hold hundreds of thousands of files. */
const alwaysExcluded = '{**/node_modules/**,**/.git/**}';

/**
 * Files of a folder through VS Code's own search (which applies files.exclude), filtered by the folder's
 * .gitignore files; reads through the workspace file system, so remote and virtual folders work too.
 */
export function vscodeFileSource(folder: vscode.Uri, token?: vscode.CancellationToken): FileSource {
  return {
    async list(): Promise<FileEntry[]> {
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), alwaysExcluded, 50_000, token);
      const base = folder.path.replace(/\/+$/, '') + '/';
      const paths = uris.map(u => u.path.startsWith(base) ? u.path.slice(base.length) : '').filter(Boolean).sort();
      const ignoreFiles: IgnoreFile[] = [];
      for (const p of paths.filter(p => p === '.gitignore' || p.endsWith('/.gitignore')).sort((a, b) => a.split('/').length - b.split('/').length)) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, p)));
        ignoreFiles.push(lib().parseGitignore(text, p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''));
      }
      const dirVerdict = new Map<string, boolean>();
      const dirIgnored = (dir: string): boolean => {
        if (!dir) { return false; }
        let v = dirVerdict.get(dir);
        if (v === undefined) {
          const parent = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
          v = dirIgnored(parent) || lib().isIgnored(ignoreFiles, dir, true);
          dirVerdict.set(dir, v);
        }
        return v;
      };
      return paths
        .filter(p => !dirIgnored(p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '') && !lib().isIgnored(ignoreFiles, p, false))
        .map(path => ({ path }));
    },
    async read(path: string, maxBytes: number): Promise<Uint8Array> {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, path));
      return bytes.subarray(0, maxBytes);
    },
  };
}

/** Files the person added to or removed from what is read, per folder (Show What Will Be Read). */
export interface ContextChoices { include: string[]; exclude: string[]; }

export function contextChoices(state: vscode.Memento, folder: vscode.Uri): ContextChoices {
  return state.get<Record<string, ContextChoices>>(StateKeys.contextChoices, {})[folder.toString()] ?? { include: [], exclude: [] };
}

export async function saveContextChoices(state: vscode.Memento, folder: vscode.Uri, choices: ContextChoices): Promise<void> {
  const all = { ...state.get<Record<string, ContextChoices>>(StateKeys.contextChoices, {}) };
  all[folder.toString()] = choices;
  await state.update(StateKeys.contextChoices, all);
}

/** Scans a folder within the configured token budget, with progress in the status bar, cancellable. */
export async function scanFolder(folder: vscode.Uri, state: vscode.Memento, token?: vscode.CancellationToken): Promise<WorkspaceContext> {
  const budget = vscode.workspace.getConfiguration(ConfigSection).get<number>(Settings.contextTokenBudget, 24_000);
  const choices = contextChoices(state, folder);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Backend Architect: reading the workspace' }, async progress => {
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort('cancelled'));
    let last = 0;
    return lib().scanWorkspace(vscodeFileSource(folder, token), {
      tokenBudget: budget, include: choices.include, exclude: choices.exclude, signal: controller.signal,
      onProgress: (done, total, phase) => {
        if (phase !== 'reading' || !total) { return; }
        const pct = Math.floor((done / total) * 100);
        if (pct > last) { progress.report({ message: `${done}/${total} files`, increment: pct - last }); last = pct; }
      },
    });
  });
}

/** How the model is told which folder it looks at: the workspace folder's name, and the path below it. */
export function folderLabel(folder: vscode.Uri): string | undefined {
  const owner = vscode.workspace.getWorkspaceFolder(folder);
  return owner && owner.uri.toString() !== folder.toString()
    ? `${owner.name}/${vscode.workspace.asRelativePath(folder, false)}`
    : (owner?.name ?? folder.path.split('/').pop());
}

/** The prompt context of a folder: its name and what the scan chose, formatted for the model. */
export async function promptContextFor(folder: vscode.Uri | undefined, state: vscode.Memento): Promise<PromptContext | undefined> {
  if (!folder) { return undefined; }
  const ctx = await scanFolder(folder, state);
  return { folderName: folderLabel(folder), contextText: lib().formatContextForPrompt(ctx) };
}
