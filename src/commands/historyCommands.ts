import * as vscode from 'vscode';
import { Commands } from '../constants';
import { ConversationHistory, type HistorySummary } from '../design/history';
import type { Services } from '../design/vscode/sessions';
import type { AnswerPanels } from '../views/answerPanel';

const kindLabel = { design: 'Design', review: 'Review', chat: 'Chat' } as const;
const kindIcon = { design: '$(server-process)', review: '$(checklist)', chat: '$(comment-discussion)' } as const;

type Item = vscode.QuickPickItem & { entry?: HistorySummary };

/** One line per conversation: title; kind, agent and model; date and size. */
export function historyItem(e: HistorySummary, deleteButton: vscode.QuickInputButton): Item {
  const when = new Date(e.updated).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    label: `${kindIcon[e.kind]} ${e.title}`,
    description: [kindLabel[e.kind], e.agent, e.model].filter(Boolean).join(' · '),
    detail: `${when} · ${e.turnCount} message${e.turnCount === 1 ? '' : 's'}`,
    buttons: [deleteButton],
    entry: e,
  };
}

/** Show History: a quick pick of the workspace's conversations; Enter reopens one, the bin deletes it. */
async function showHistory(services: Services, panels: AnswerPanels): Promise<void> {
  const history = new ConversationHistory(services.workspaceState);
  const deleteButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Delete from the history' };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Backend Architect: History';
  pick.placeholder = 'Reopen a design, review or chat (type to filter; the bin deletes one)';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  // Panels restored after a reload take the focus when their content loads; the list must not vanish then.
  pick.ignoreFocusOut = true;
  const fill = (): void => {
    const entries = history.list();
    pick.items = entries.length
      ? [...entries.map(e => historyItem(e, deleteButton)), { label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(clear-all) Clear History', alwaysShow: true }]
      : [{ label: 'No conversations yet: Design Backend, Review Architecture and the chat are kept here.' }];
  };
  fill();
  const done = new Promise<void>(resolve => {
    pick.onDidTriggerItemButton(async e => {
      if (e.item.entry) { await history.delete(e.item.entry.id); fill(); }
    });
    pick.onDidAccept(async () => {
      const chosen = pick.selectedItems[0];
      pick.hide();
      if (chosen?.entry) {
        const entry = history.get(chosen.entry.id);
        if (entry) { panels.reopen(entry); }
      } else if (chosen?.label.includes('Clear History')) {
        await vscode.commands.executeCommand(Commands.clearHistory);
      }
    });
    pick.onDidHide(() => { pick.dispose(); resolve(); });
  });
  pick.show();
  await done;
}

async function clearHistory(services: Services): Promise<void> {
  const history = new ConversationHistory(services.workspaceState);
  const n = history.list().length;
  if (!n) { void vscode.window.showInformationMessage('The history is empty.'); return; }
  const ok = await vscode.window.showWarningMessage(`Delete all ${n} conversations from this workspace's history?`, { modal: true }, 'Delete All');
  if (ok === 'Delete All') { await history.clear(); }
}

/** Show History and Clear History. */
export function registerHistoryCommands(context: vscode.ExtensionContext, services: Services, panels: AnswerPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.showHistory, () => showHistory(services, panels)),
    vscode.commands.registerCommand(Commands.clearHistory, () => clearHistory(services)),
  );
}
