import * as vscode from 'vscode';
import { AgentRegistry, type LoadedAgent } from './agents/vscode/registry';
import { ArtifactWriter } from './artifacts/vscode/writer';
import { ReviewDiagnostics } from './context/vscode/reviewDiagnostics';
import { registerContextCommands } from './commands/contextCommands';
import { registerAgentCommands } from './commands/agentCommands';
import { registerChatCommands } from './commands/chatCommands';
import { registerDesignCommands } from './commands/designCommands';
import { registerHistoryCommands } from './commands/historyCommands';
import { registerKeyCommands } from './commands/keyCommands';
import { registerProviderCommands } from './commands/providerCommands';
import { registerDrift } from './drift/vscode/driftChecks';
import { registerArchitectParticipant, type ParticipantAnswer } from './chat/vscode/participant';
import { registerEndpointModels } from './chat/vscode/modelProvider';
import { registerArchitectTools } from './mcp/vscode/languageModelTools';
import { registerMcpServers } from './mcp/vscode/mcpServers';
import { Commands, Views } from './constants';
import { setExtensionPath, shutdownValidators } from './lazy';
import type { Conversation } from './design/conversation';
import type { Services } from './design/vscode/sessions';
import { AnswerPanels } from './views/answerPanel';
import { ChatViewProvider } from './views/chatView';
import { runArtifactAction, writeAllArtifacts } from './views/webviewHost';
import type { ArtifactActionName, ArtifactView } from './protocol';

/** What the extension exports to other extensions (and to its own integration tests). */
export interface BackendArchitectApi {
  /** The side panel chat's conversation. */
  chat(): Conversation;
  /** Agent definitions as the Select Agent picker lists them (re-checked on disk first). */
  agents(): Promise<LoadedAgent[]>;
  /** Agent definitions as last read, without a check of the disk: what file events alone keep current. */
  loadedAgents(): Promise<LoadedAgent[]>;
  /** The agent a request would use under this name: the definitions are re-checked on disk first. */
  agent(name: string): Promise<LoadedAgent>;
  /** Fires when the agent definitions changed (a file event, a setting, trust, or a re-check that found a change). */
  onDidChangeAgents: vscode.Event<void>;
  /** The chat's artifacts: what its cards show, and their buttons. */
  chatArtifacts: {
    list(turnId: string): ArtifactView[];
    run(turnId: string, artifactId: string, action: ArtifactActionName): Promise<void>;
    writeAll(turnId: string): Promise<void>;
  };
  /** The artifact writer (its prompter can be replaced, e.g. by tests that answer its questions). */
  writer(): ArtifactWriter;
  /** Fires when `@architect` finished an answer in VS Code's Chat view, with its checked files. */
  onDidAnswerInChatView: vscode.Event<ParticipantAnswer>;
}

/**
 * Composition root: wires features together and returns. No file reads, no network and no heavy imports
 * here; everything loads when a command or view first needs it.
 */
export function activate(context: vscode.ExtensionContext): BackendArchitectApi {
  setExtensionPath(context.extensionUri.fsPath);
  const log = vscode.window.createOutputChannel('Backend Architect', { log: true });
  const writer = new ArtifactWriter(log);
  const review = new ReviewDiagnostics();
  const services: Services = {
    extensionUri: context.extensionUri,
    writer,
    review,
    secrets: context.secrets,
    registry: new AgentRegistry(context, log),
    log,
    workspaceState: context.workspaceState,
  };
  const chat = new ChatViewProvider(services);
  const panels = new AnswerPanels(services);
  context.subscriptions.push(
    log, services.registry, writer, review, chat, panels,
    vscode.window.registerWebviewViewProvider(Views.chat, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    vscode.window.registerWebviewPanelSerializer(Views.answerPanel, panels),
  );
  registerDesignCommands(context, panels);
  registerChatCommands(context, services, chat);
  registerKeyCommands(context);
  registerProviderCommands(context);
  registerAgentCommands(context, services);
  registerContextCommands(context, services);
  registerHistoryCommands(context, services, panels);
  registerDrift(context, writer, log);
  const architect = registerArchitectParticipant(context, services, panels);
  registerEndpointModels(context, services.secrets, log);
  registerArchitectTools(context, log);
  registerMcpServers(context);
  context.subscriptions.push(
    vscode.commands.registerCommand(Commands.acceptProposed, (uri?: vscode.Uri) => writer.accept(uri)),
    vscode.commands.registerCommand(Commands.undoLastWrite, () => writer.undoLast()),
    vscode.commands.registerCommand(Commands.clearFindings, () => review.clear()),
  );
  return {
    chat: () => chat.conversation,
    agents: async () => { await services.registry.revalidate(); return services.registry.list(); },
    loadedAgents: () => services.registry.list(),
    agent: name => services.registry.get(name),
    onDidChangeAgents: services.registry.onDidChange,
    chatArtifacts: {
      list: turnId => chat.session.tracker.all(turnId).map(t => ({ ...t.view })),
      run: (turnId, artifactId, action) => runArtifactAction(chat.session, writer, turnId, artifactId, action),
      writeAll: turnId => writeAllArtifacts(chat.session, writer, turnId),
    },
    writer: () => writer,
    onDidAnswerInChatView: architect.onDidAnswer,
  };
}

export async function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions; the SQL checker's worker is stopped here.
  await shutdownValidators();
}
