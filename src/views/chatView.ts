import * as vscode from 'vscode';
import { ConfigSection, Settings, StateKeys, Views } from '../constants';
import { ConversationHistory, historyTitle, lastModel } from '../design/history';
import type { Conversation } from '../design/conversation';
import type { Services } from '../design/vscode/sessions';
import type { TurnRecord } from '../protocol';
import { renderHtml, showSession, webviewOptions, wireConversation, type ShownSession } from './webviewHost';

/** The side panel chat: one conversation per workspace, kept in workspace state so a reload loses nothing. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private sessionValue: ShownSession | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly services: Services) {
    // A definition edited on disk shows up in the header without a reload.
    this.disposables.push(services.registry.onDidChange(() => { void this.refreshIdentity(); }));
  }

  get session(): ShownSession {
    this.sessionValue ??= showSession(this.services, {
      mode: 'chat',
      agentName: () => this.services.workspaceState.get<string>(StateKeys.chatAgent),
      turns: this.services.workspaceState.get<TurnRecord[]>(StateKeys.chatTranscript, []),
      persist: turns => { void this.services.workspaceState.update(StateKeys.chatTranscript, turns); void this.remember(turns); },
    });
    return this.sessionValue;
  }

  get conversation(): Conversation {
    return this.session.conversation;
  }

  /** Keeps the chat in the history; after New Chat (no turns) the next chat is a new entry. */
  private async remember(turns: TurnRecord[]): Promise<void> {
    const state = this.services.workspaceState;
    if (!turns.length) { await state.update(StateKeys.chatHistoryId, undefined); return; }
    let id = state.get<string>(StateKeys.chatHistoryId);
    if (!id) { id = `chat-${Date.now().toString(36)}`; await state.update(StateKeys.chatHistoryId, id); }
    const agent = state.get<string>(StateKeys.chatAgent) ?? vscode.workspace.getConfiguration(ConfigSection).get<string>(Settings.defaultAgent, 'backend-architect');
    await new ConversationHistory(state).save({ id, kind: 'chat', title: historyTitle(turns, 'Chat'), agent, model: lastModel(turns), turns });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = webviewOptions(this.services.extensionUri);
    view.webview.html = renderHtml(view.webview, this.services.extensionUri, 'chat', 'Backend Architect chat');
    this.disposables.push(
      wireConversation(view.webview, () => this.session, () => 'Chat', this.services.log, this.services.writer),
      view.onDidDispose(() => { this.sessionValue?.conversation.detach(); this.sessionValue?.mermaid.detach(); this.view = undefined; }),
    );
  }

  /** Reveals the chat view (and creates it when it was never opened). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${Views.chat}.focus`);
  }

  /** After the agent changed, the header follows. */
  async refreshIdentity(): Promise<void> {
    const view = this.view;
    if (view) { await this.conversation.connect(m => { void view.webview.postMessage(m); }, 'Chat'); }
  }

  dispose(): void {
    this.sessionValue?.conversation.stop();
    this.sessionValue?.dispose();
    this.disposables.forEach(d => d.dispose());
  }
}
