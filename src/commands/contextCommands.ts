import * as vscode from 'vscode';
import { Commands } from '../constants';
import { loadBundle, type ContextBundle } from '../lazy';
import { contextChoices, saveContextChoices, scanFolder } from '../context/vscode/workspaceContext';
import type { Services } from '../design/vscode/sessions';

/**
 * Show What Will Be Read: every file the next request would send (checked) and those the budget or the rules
 * left out (unchecked), each with why and its size; unchecking removes a file, checking adds one.
 */
async function showContext(s: Services, uri?: vscode.Uri): Promise<void> {
  const folder = uri instanceof vscode.Uri ? uri : vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) { void vscode.window.showErrorMessage('Open a folder first: the context is read from it.'); return; }
  const ctx = await scanFolder(folder, s.workspaceState);
  type Item = vscode.QuickPickItem & { path: string };
  const chosen: Item[] = ctx.files.map(f => ({ path: f.path, label: f.path, picked: true,
    description: `${f.reason} · ${loadBundle<ContextBundle>('context.js').formatBytes(f.bytes)} · ${f.tokens} tokens${f.redactions ? ` · ${f.redactions} redacted` : ''}${f.truncated ? ' · cut to fit' : ''}` }));
  const left: Item[] = ctx.skipped.filter(k => !/secret/i.test(k.why) && !k.path.endsWith('/')).map(k => ({ path: k.path, label: k.path, picked: false, description: k.why }));
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = `What will be read: ${ctx.stack.summary ?? ''} — ${ctx.files.length} files, about ${ctx.tokens} of ${ctx.tokenBudget} tokens`;
  qp.placeholder = 'Uncheck files to leave them out, check files to add them; Enter saves your choice for this folder';
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.items = [...chosen, ...left];
  qp.selectedItems = chosen;
  const accepted = await new Promise<readonly Item[] | undefined>(resolve => {
    qp.onDidAccept(() => { resolve(qp.selectedItems); qp.hide(); });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!accepted) { return; }
  const picked = new Set(accepted.map(i => i.path));
  const before = contextChoices(s.workspaceState, folder);
  const exclude = [...new Set([...before.exclude.filter(p => !picked.has(p)), ...chosen.filter(i => !picked.has(i.path)).map(i => i.path)])];
  const include = [...new Set([...before.include.filter(p => picked.has(p) || !chosen.some(c => c.path === p)), ...left.filter(i => picked.has(i.path)).map(i => i.path)])];
  await saveContextChoices(s.workspaceState, folder, { include, exclude });
  void vscode.window.setStatusBarMessage(`Backend Architect: ${include.length} added, ${exclude.length} left out of what is read`, 4000);
}

export function registerContextCommands(context: vscode.ExtensionContext, s: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.showContext, (uri?: vscode.Uri) => showContext(s, uri)));
}
