import * as vscode from 'vscode';
import { AgentRegistry } from './agents/registry';
import { registerChatCommands } from './commands/chatCommands';
import { registerDesignCommands } from './commands/designCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { Views } from './constants';
import type { Conversation } from './design/conversation';
import type { Services } from './design/sessions';
import { AnswerPanels } from './views/answerPanel';
import { ChatViewProvider } from './views/chatView';

/** What the extension exports to other extensions (and to its own integration tests). */
export interface BackendArchitectApi {
  /** The side panel chat's conversation. */
  chat(): Conversation;
}

/**
 * Composition root: wires features together and returns. No file reads, no network and no heavy imports
 * here; everything loads when a command or view first needs it.
 */
export function activate(context: vscode.ExtensionContext): BackendArchitectApi {
  const log = vscode.window.createOutputChannel('Backend Architect', { log: true });
  const services: Services = {
    extensionUri: context.extensionUri,
    secrets: context.secrets,
    registry: new AgentRegistry(context.extensionUri, log),
    log,
    workspaceState: context.workspaceState,
  };
  const chat = new ChatViewProvider(services);
  const panels = new AnswerPanels(services);
  context.subscriptions.push(
    log, chat, panels,
    vscode.window.registerWebviewViewProvider(Views.chat, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerWebviewPanelSerializer(Views.answerPanel, panels),
  );
  registerDesignCommands(context, panels);
  registerChatCommands(context, services, chat);
  registerKeyCommands(context);
  return { chat: () => chat.conversation };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
