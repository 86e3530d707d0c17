import * as vscode from 'vscode';
import { AgentRegistry, type LoadedAgent } from './agents/registry';
import { registerAgentCommands } from './commands/agentCommands';
import { registerChatCommands } from './commands/chatCommands';
import { registerDesignCommands } from './commands/designCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { registerProviderCommands } from './commands/providerCommands';
import { Views } from './constants';
import type { Conversation } from './design/conversation';
import type { Services } from './design/sessions';
import { AnswerPanels } from './views/answerPanel';
import { ChatViewProvider } from './views/chatView';

/** What the extension exports to other extensions (and to its own integration tests). */
export interface BackendArchitectApi {
  /** The side panel chat's conversation. */
  chat(): Conversation;
  /** Agent definitions as the Select Agent picker lists them. */
  agents(): Promise<LoadedAgent[]>;
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
    registry: new AgentRegistry(context, log),
    log,
    workspaceState: context.workspaceState,
  };
  const chat = new ChatViewProvider(services);
  const panels = new AnswerPanels(services);
  context.subscriptions.push(
    log, services.registry, chat, panels,
    vscode.window.registerWebviewViewProvider(Views.chat, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerWebviewPanelSerializer(Views.answerPanel, panels),
  );
  registerDesignCommands(context, panels);
  registerChatCommands(context, services, chat);
  registerKeyCommands(context);
  registerProviderCommands(context);
  registerAgentCommands(context, services);
  return { chat: () => chat.conversation, agents: () => services.registry.list() };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
