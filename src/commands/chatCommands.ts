import * as vscode from 'vscode';
import { agentInfo, type LoadedAgent } from '../agents/vscode/registry';
import { Commands, StateKeys } from '../constants';
import type { Services } from '../design/vscode/sessions';
import type { ChatViewProvider } from '../views/chatView';

const originLabel: Record<LoadedAgent['origin'], string> = {
  workspace: 'workspace', user: 'user', setting: 'settings folder', bundled: 'bundled',
};

/** Select Agent: every agent found, with its origin and path; shadowed ones stay visible and say by whom. */
async function selectAgent(s: Services, chat: ChatViewProvider): Promise<void> {
  // A file event may have been missed: the picker checks the disk (by stat) before it lists.
  await s.registry.revalidate();
  const agents = await s.registry.list();
  const current = s.workspaceState.get<string>(StateKeys.chatAgent);
  const winner = new Map<string, LoadedAgent>();
  for (const a of agents) { if (!winner.has(a.name)) { winner.set(a.name, a); } }
  type Item = vscode.QuickPickItem & { agent?: LoadedAgent; open?: vscode.Uri; create?: boolean };
  const items: Item[] = agents.map(a => {
    const shadowedBy = winner.get(a.name) !== a ? winner.get(a.name) : undefined;
    return {
      agent: a,
      label: `${a.name === current ? '$(check) ' : ''}${a.name}`,
      description: shadowedBy ? `${originLabel[a.origin]} · shadowed by ${originLabel[shadowedBy.origin]}` : originLabel[a.origin],
      detail: `${a.description.slice(0, 160)}${a.origin === 'bundled' ? '' : ` — ${vscode.workspace.asRelativePath(a.uri)}`}`,
      buttons: a.origin === 'bundled' ? [] : [{ iconPath: new vscode.ThemeIcon('go-to-file'), tooltip: 'Open the definition' }],
    };
  });
  // Files that yielded no agent stay visible, with their first problem, so a broken definition is not a mystery.
  for (const r of await s.registry.rejected()) {
    const first = r.problems.find(p => p.severity === 'error') ?? r.problems[0];
    items.push({ label: `$(error) ${vscode.workspace.asRelativePath(r.uri)}`, description: `${originLabel[r.origin]} · not loaded`,
      detail: first ? `line ${first.line}: ${first.message}` : undefined, open: r.uri });
  }
  items.push({ label: '$(new-file) New Agent Definition…', create: true, alwaysShow: true });
  const qp = vscode.window.createQuickPick<Item>();
  qp.title = 'Select Agent for the chat';
  qp.placeholder = vscode.workspace.isTrusted ? 'Agents from this workspace, your user folders and the bundled ones'
    : 'Workspace agents are not loaded: this workspace is not trusted (Manage Workspace Trust to change that)';
  qp.items = items;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const picked = await new Promise<Item | undefined>(resolve => {
    qp.onDidTriggerItemButton(e => { if (e.item.agent) { void vscode.window.showTextDocument(e.item.agent.uri); } qp.hide(); resolve(undefined); });
    qp.onDidAccept(() => { resolve(qp.selectedItems[0]); qp.hide(); });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (picked?.open) { await vscode.window.showTextDocument(picked.open); return; }
  if (picked?.create) { await vscode.commands.executeCommand(Commands.newAgent); return; }
  if (!picked?.agent) { return; }
  if (winner.get(picked.agent.name) !== picked.agent) {
    void vscode.window.showWarningMessage(`"${picked.agent.name}" is shadowed by an agent of the same name with higher precedence; rename one of them to use it.`);
    return;
  }
  await s.workspaceState.update(StateKeys.chatAgent, picked.agent.name);
  await chat.refreshIdentity();
  void vscode.window.setStatusBarMessage(`Backend Architect: chat agent is now ${agentInfo(picked.agent).name}`, 4000);
}

export function registerChatCommands(context: vscode.ExtensionContext, s: Services, chat: ChatViewProvider): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.openChat, () => chat.reveal()),
    vscode.commands.registerCommand(Commands.newChat, async () => { chat.conversation.clear(); await chat.reveal(); }),
    vscode.commands.registerCommand(Commands.selectAgent, () => selectAgent(s, chat)),
    vscode.commands.registerCommand(Commands.showLog, () => s.log.show()),
  );
}
