import * as vscode from 'vscode';
import { Views } from '../constants';
import type { Conversation } from '../design/conversation';
import { createConversation, type Services } from '../design/sessions';
import type { TurnRecord, ViewMode } from '../protocol';
import { renderHtml, webviewOptions, wireConversation } from './webviewHost';

/** What a panel's webview keeps with setState, and what VS Code hands back after a reload. */
interface PanelState {
  turns?: TurnRecord[];
  mode?: ViewMode;
  title?: string;
}

/** The editor panels of Design Backend and Review Architecture: one conversation each. */
export class AnswerPanels implements vscode.WebviewPanelSerializer<PanelState>, vscode.Disposable {
  private readonly open = new Set<Conversation>();

  constructor(private readonly services: Services) {}

  /** Opens a new panel and returns its conversation (the caller sends the first request). */
  create(mode: ViewMode, title: string, folder?: vscode.Uri): Conversation {
    const panel = vscode.window.createWebviewPanel(Views.answerPanel, title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, webviewOptions(this.services.extensionUri));
    return this.setup(panel, mode, title, folder);
  }

  /** Brings a panel back after a window reload with the answers it showed. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: PanelState | undefined): Promise<void> {
    const mode: ViewMode = state?.mode === 'review' ? 'review' : 'design';
    panel.webview.options = webviewOptions(this.services.extensionUri);
    this.setup(panel, mode, state?.title || panel.title, undefined, Array.isArray(state?.turns) ? state.turns : []);
  }

  private setup(panel: vscode.WebviewPanel, mode: ViewMode, title: string, folder?: vscode.Uri, turns: TurnRecord[] = []): Conversation {
    panel.iconPath = vscode.Uri.joinPath(this.services.extensionUri, 'media', 'icon.svg');
    const conversation = createConversation(this.services, { mode, folder, turns });
    this.open.add(conversation);
    panel.webview.html = renderHtml(panel.webview, this.services.extensionUri, mode, title);
    const listener = wireConversation(panel.webview, () => conversation, () => title, this.services.log);
    panel.onDidDispose(() => {
      // Closing the panel stops its answer: nobody would see the rest.
      conversation.stop();
      conversation.detach();
      listener.dispose();
      this.open.delete(conversation);
    });
    return conversation;
  }

  dispose(): void {
    for (const c of this.open) { c.stop(); }
  }
}
