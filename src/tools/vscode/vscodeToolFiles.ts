import * as vscode from 'vscode';
import type { FileEntry } from '../../context/types';
import { vscodeFileSource } from '../../context/vscode/workspaceContext';
import type { ToolFiles } from '../types';

/** Folders stat'ed at the same time when the listing is checked for links. */
const STAT_BATCH = 64;

/** An error with the code the tools read, like the file system's own. */
function refused(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The tools' files through VS Code: the listing of the context scanner's VS Code source (VS Code's search, so
 * files.exclude applies, and the folder's .gitignore), reads through the workspace file system. VS Code's
 * search follows symbolic links, so the listing drops what lies below a linked folder (one entry says why), and
 * every read checks each folder on its way and the file itself: links are never followed. In Restricted Mode
 * nothing is listed or read (the session offers no tools there either).
 */
export function vscodeToolFiles(folder: vscode.Uri, onDisk?: (root: string) => ToolFiles): ToolFiles {
  // A folder on this machine's disk (the extension host runs where the files are) is read with Node's own
  // calls, which refuse links the same way without a stat and a read through workspace.fs per file (a search
  // reads every file: the bench's 50,000-file figures are for these calls). Virtual file systems keep workspace.fs.
  const local = onDisk && folder.scheme === 'file' ? onDisk(folder.fsPath) : undefined;
  const folders = new Map<string, Promise<string>>();
  const uriOf = (rel: string): vscode.Uri => (rel ? vscode.Uri.joinPath(folder, ...rel.split('/')) : folder);
  const folderProblem = (rel: string): Promise<string> => {
    let p = folders.get(rel);
    if (!p) {
      p = Promise.resolve(vscode.workspace.fs.stat(uriOf(rel))).then(
        st => (st.type & vscode.FileType.SymbolicLink ? 'is a symbolic link; links are never followed' : st.type & vscode.FileType.Directory ? '' : 'is not a folder'),
        () => 'does not exist');
      folders.set(rel, p);
    }
    return p;
  };
  const trusted = (): void => {
    if (!vscode.workspace.isTrusted) { throw refused('Restricted Mode: the workspace is not trusted, so nothing is read', 'NoPermissions'); }
  };
  return {
    async list(): Promise<FileEntry[]> {
      trusted();
      const listed = await vscodeFileSource(folder).list();
      const entries = Array.isArray(listed) ? listed : [];
      const dirs = [...new Set(entries.flatMap(e => ancestors(e.path)))];
      for (let i = 0; i < dirs.length; i += STAT_BATCH) { await Promise.all(dirs.slice(i, i + STAT_BATCH).map(folderProblem)); }
      const linked = new Set<string>();
      for (const d of dirs) { if ((await folderProblem(d)).includes('link')) { linked.add(d); } }
      if (linked.size === 0) { return entries; }
      const under = (p: string): string | undefined => ancestors(p).find(d => linked.has(d));
      const kept = entries.filter(e => !under(e.path));
      const links = [...linked].filter(d => !under(d)).map(d => ({ path: d, skip: 'symbolic link, not followed' }));
      return [...kept, ...links];
    },
    async read(rel: string, maxBytes: number): Promise<Uint8Array> {
      trusted();
      if (local) { return local.read(rel, maxBytes); }
      for (const dir of ancestors(rel)) {
        const why = await folderProblem(dir);
        if (why) { throw refused(`${dir}/ ${why}`, why.includes('link') ? 'ELOOP' : why.includes('exist') ? 'FileNotFound' : 'ENOTDIR'); }
      }
      const uri = uriOf(rel);
      const st = await vscode.workspace.fs.stat(uri).then(s => s, () => undefined);
      if (!st) { throw refused('no such file', 'FileNotFound'); }
      if (st.type & vscode.FileType.SymbolicLink) { throw refused('a symbolic link; links are never followed', 'ELOOP'); }
      if (st.type & vscode.FileType.Directory) { throw refused('a folder, not a file', 'FileIsADirectory'); }
      if (!(st.type & vscode.FileType.File)) { throw refused('not a regular file', 'EPERM'); }
      const bytes = await vscode.workspace.fs.readFile(uri);
      return bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
    },
  };
}

/** The folders on the way to `path`: "a/b/c.js" → ["a", "a/b"]. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) { out.push(path.slice(0, i)); }
  return out;
}
