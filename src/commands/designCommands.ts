import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { TurnRecord } from '../protocol';
import type { AnswerPanels } from '../views/answerPanel';

/** Title of a panel: the start of the request, on one line. */
export function panelTitle(prefix: string, text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return `${prefix}: ${oneLine.length > 40 ? `${oneLine.slice(0, 39)}…` : oneLine}`;
}

/** Design Backend: ask for a description, open a panel, stream the design into it. */
async function designBackend(panels: AnswerPanels, args?: { request?: string }): Promise<TurnRecord | undefined> {
  const request = typeof args?.request === 'string' ? args.request : await vscode.window.showInputBox({
    title: 'Design Backend',
    prompt: 'Describe the backend to design: what it does, who uses it, what matters (scale, consistency, cost).',
    placeHolder: 'e.g. An e-commerce backend with users, a product catalog, carts and orders',
    ignoreFocusOut: true,
    validateInput: v => v.trim() ? undefined : 'Describe the system in a sentence or more.',
  });
  if (!request?.trim()) { return undefined; }
  const conversation = panels.create('design', panelTitle('Design', request));
  return conversation.send(request.trim());
}

/** Asks which folder to review: a workspace folder, one of its top-level folders, or any folder (Browse…). */
export async function pickFolder(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showErrorMessage('Review Architecture reads a folder of your workspace. Open a folder first.', 'Open Folder')
      .then(c => c && vscode.commands.executeCommand('workbench.action.files.openFolder'));
    return undefined;
  }
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = [];
  for (const f of folders) {
    items.push({ label: `$(root-folder) ${f.name}`, description: 'whole folder', uri: f.uri });
    const children = await vscode.workspace.fs.readDirectory(f.uri).then(e => e, () => [] as [string, vscode.FileType][]);
    for (const [name, type] of children.sort((a, b) => a[0].localeCompare(b[0]))) {
      if (type === vscode.FileType.Directory && !name.startsWith('.') && name !== 'node_modules') {
        items.push({ label: `$(folder) ${name}`, description: folders.length > 1 ? f.name : undefined, uri: vscode.Uri.joinPath(f.uri, name) });
      }
    }
  }
  items.push({ label: '$(folder-opened) Browse…', description: 'choose another folder' });
  const pick = await vscode.window.showQuickPick(items, { title: 'Review Architecture', placeHolder: 'Which folder should the architect read?', matchOnDescription: true });
  if (!pick) { return undefined; }
  if (pick.uri) { return pick.uri; }
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: folders[0].uri, openLabel: 'Review' });
  return chosen?.[0];
}

/** Review Architecture: from the Explorer's context menu (a folder) or the palette (a folder picker). */
async function reviewArchitecture(panels: AnswerPanels, uri?: vscode.Uri): Promise<TurnRecord | undefined> {
  const folder = uri instanceof vscode.Uri ? uri : await pickFolder();
  if (!folder) { return undefined; }
  const name = vscode.workspace.asRelativePath(folder, true) || folder.path.split('/').pop() || 'folder';
  const conversation = panels.create('review', panelTitle('Review', name), folder);
  return conversation.send(`Review the architecture of ${name}`);
}

export function registerDesignCommands(context: vscode.ExtensionContext, panels: AnswerPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.designBackend, (args?: { request?: string }) => designBackend(panels, args)),
    vscode.commands.registerCommand(Commands.reviewArchitecture, (uri?: vscode.Uri) => reviewArchitecture(panels, uri)),
  );
}
