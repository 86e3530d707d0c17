import * as vscode from 'vscode';
import { ConfigSection, Settings, StateKeys, Views } from '../constants';
import { ConversationHistory, lastModel, type HistoryEntry } from '../design/history';
import type { Conversation } from '../design/conversation';
import type { Services } from '../design/vscode/sessions';
import type { TurnRecord, ViewMode } from '../protocol';
import { renderHtml, showSession, webviewOptions, wireConversation } from './webviewHost';

/** What a panel's webview keeps with setState, and what VS Code may hand back after a reload. */
interface PanelState {
  turns?: TurnRecord[];
  mode?: ViewMode;
  title?: string;
}

/** A panel's conversation as the host keeps it in workspace state. */
interface StoredPanel {
  id: string;
  mode: ViewMode;
  title: string;
  turns: TurnRecord[];
  /** The conversation's entry in the history (a panel reopened from there keeps writing to it). */
  historyId?: string;
}

/** How many panels' conversations are kept for restoring; older ones are dropped first. */
const maxStoredPanels = 12;

let panelCounter = 0;

/**
 * The editor panels of Design Backend and Review Architecture: one conversation each. The host keeps every
 * open panel's turns in workspace state, because the webview's own state is not always saved before a
 * reload (VS Code for the web saves editor state on editor changes, not on every setState).
 */
export class AnswerPanels implements vscode.WebviewPanelSerializer<PanelState>, vscode.Disposable {
  private readonly open = new Map<Conversation, string>();
  private readonly claimed = new Set<string>();

  constructor(private readonly services: Services) {}

  private stored(): StoredPanel[] {
    return this.services.workspaceState.get<StoredPanel[]>(StateKeys.panels, []);
  }

  private store(entry: StoredPanel | undefined, removeId?: string): void {
    const rest = this.stored().filter(p => p.id !== (entry?.id ?? removeId));
    const next = entry ? [...rest, entry].slice(-maxStoredPanels) : rest;
    void this.services.workspaceState.update(StateKeys.panels, next);
  }

  /** Keeps the panel's conversation in the history too (which outlives the panel). */
  private remember(entry: StoredPanel, turns: TurnRecord[]): void {
    const agent = vscode.workspace.getConfiguration(ConfigSection).get<string>(Settings.defaultAgent, 'backend-architect');
    void new ConversationHistory(this.services.workspaceState).save({
      id: entry.historyId ?? `panel-${entry.id}`, kind: entry.mode, title: entry.title, agent, model: lastModel(turns), turns,
    });
  }

  /** Opens a conversation from the history in a new panel, as it was; a follow-up continues it. */
  reopen(h: HistoryEntry): Conversation {
    const panel = vscode.window.createWebviewPanel(Views.answerPanel, h.title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.services.extensionUri));
    const id = `${Date.now().toString(36)}-${++panelCounter}`;
    return this.setup(panel, { id, mode: h.kind, title: h.title, turns: h.turns, historyId: h.id });
  }

  /** Opens a new panel and returns its conversation (the caller sends the first request). */
  create(mode: ViewMode, title: string, folder?: vscode.Uri): Conversation {
    const panel = vscode.window.createWebviewPanel(Views.answerPanel, title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.services.extensionUri));
    const id = `${Date.now().toString(36)}-${++panelCounter}`;
    return this.setup(panel, { id, mode, title, turns: [] }, folder);
  }

  /**
   * Opens a panel on turns answered elsewhere (`@architect` in VS Code's Chat view): the answers and their
   * checked files as they are, not asked again. Follow-ups typed in the panel continue the conversation.
   */
  show(mode: ViewMode, title: string, turns: TurnRecord[], folder?: vscode.Uri): Conversation {
    const panel = vscode.window.createWebviewPanel(Views.answerPanel, title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.services.extensionUri));
    const id = `${Date.now().toString(36)}-${++panelCounter}`;
    return this.setup(panel, { id, mode, title, turns: structuredClone(turns) }, folder);
  }

  /** Brings a panel back after a window reload with the answers it showed. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    panel.webview.options = webviewOptions(this.services.extensionUri);
    // The newest stored panel of that title that no other restored panel took; else what the webview kept.
    const match = this.stored().slice().reverse().find(p => p.title === (state?.title || panel.title) && !this.claimed.has(p.id));
    const entry: StoredPanel = match ?? {
      id: `${Date.now().toString(36)}-${++panelCounter}`,
      mode: state?.mode === 'review' ? 'review' : 'design',
      title: state?.title || panel.title,
      turns: Array.isArray(state?.turns) ? state.turns : [],
    };
    this.claimed.add(entry.id);
    this.services.log.info(`restored a ${entry.mode} panel with ${entry.turns.length} turns`);
    this.setup(panel, entry);
  }

  private setup(panel: vscode.WebviewPanel, entry: StoredPanel, folder?: vscode.Uri): Conversation {
    panel.iconPath = vscode.Uri.joinPath(this.services.extensionUri, 'media', 'icon.svg');
    const session = showSession(this.services, {
      mode: entry.mode, folder, turns: entry.turns,
      persist: turns => { this.store({ ...entry, turns }); this.remember(entry, turns); },
    });
    const conversation = session.conversation;
    this.open.set(conversation, entry.id);
    this.store({ ...entry, turns: conversation.turns });
    panel.webview.html = renderHtml(panel.webview, this.services.extensionUri, entry.mode, entry.title);
    const listener = wireConversation(panel.webview, () => session, () => entry.title, this.services.log, this.services.writer);
    panel.onDidDispose(() => {
      // Closing the panel stops its answer (nobody would see the rest) and forgets it.
      conversation.stop();
      conversation.detach();
      session.mermaid.detach();
      session.dispose();
      listener.dispose();
      this.open.delete(conversation);
      this.store(undefined, entry.id);
    });
    return conversation;
  }

  dispose(): void {
    for (const c of this.open.keys()) { c.stop(); }
  }
}
