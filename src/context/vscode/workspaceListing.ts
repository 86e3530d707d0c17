import * as vscode from 'vscode';
import type { PromptContext } from '../types';
import { formatListing, listingExclude } from '../listing';

/**
 * A listing of a folder through VS Code's own file search (which honours files.exclude and search.exclude),
 * relative to that folder. Undefined when there is no folder to list.
 */
export async function listFolder(folder: vscode.Uri | undefined, token?: vscode.CancellationToken): Promise<PromptContext | undefined> {
  if (!folder) { return undefined; }
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), listingExclude, 2000, token);
  const base = folder.path.replace(/\/+$/, '') + '/';
  const rel = uris.map(u => u.path.startsWith(base) ? u.path.slice(base.length) : vscode.workspace.asRelativePath(u));
  const owner = vscode.workspace.getWorkspaceFolder(folder);
  const folderName = owner && owner.uri.toString() !== folder.toString()
    ? `${owner.name}/${vscode.workspace.asRelativePath(folder, false)}`
    : (owner?.name ?? folder.path.split('/').pop());
  return { folderName, listing: rel.length ? formatListing(rel) : '(empty folder)' };
}
