import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../constants';
import { agentInfo, type AgentRegistry } from '../agents/registry';
import { listFolder } from '../context/workspaceListing';
import { resolveEndpoint } from '../llm/endpointSettings';
import { streamVsCodeLm, vscodeLmBaseURL } from '../llm/vscodeLm';
import type { TurnRecord, ViewMode } from '../protocol';
import { Conversation } from './conversation';
import { ArtifactTracker } from '../artifacts/tracker';
import { loadValidators, type Validators } from '../artifacts/loadValidators';
import type { ArtifactWriter } from '../artifacts/writer';
import { MermaidBridge } from '../views/mermaidBridge';

/** Everything a conversation in the editor needs, built once in activate() and passed to each feature. */
export interface Services {
  extensionUri: vscode.Uri;
  writer: ArtifactWriter;
  secrets: vscode.SecretStorage;
  registry: AgentRegistry;
  log: vscode.LogOutputChannel;
  workspaceState: vscode.Memento;
}

export interface ConversationOptions {
  mode: ViewMode;
  /** Folder the context comes from: the reviewed folder, or the first workspace folder. */
  folder?: vscode.Uri;
  /** Agent name; undefined means the defaultAgent setting. */
  agentName?: () => string | undefined;
  turns?: TurnRecord[];
  persist?(turns: TurnRecord[]): void;
}

/** A conversation with what the editor adds: its answers' artifacts and the bridge to the webview's mermaid. */
export interface Session {
  conversation: Conversation;
  tracker: ArtifactTracker;
  mermaid: MermaidBridge;
}

/** A conversation wired to the editor: agents from the registry, the endpoint from user settings, context from the workspace. */
export function createSession(s: Services, o: ConversationOptions): Session {
  const mermaid = new MermaidBridge();
  const validators = (): Validators => loadValidators(s.extensionUri.fsPath);
  const tracker = new ArtifactTracker(
    (answer, options) => validators().extractArtifacts(answer, options),
    artifact => validators().validateArtifact(artifact, { parseMermaid: text => mermaid.parse(text) }),
  );
  for (const t of o.turns ?? []) { if (t.artifacts?.length) { try { tracker.restore(t); } catch (e) { s.log.warn(`could not restore artifacts: ${(e as Error).message}`); } } }
  return { conversation: createConversation(s, o, tracker), tracker, mermaid };
}

function createConversation(s: Services, o: ConversationOptions, tracker: ArtifactTracker): Conversation {
  const agentName = (): string => o.agentName?.() ?? vscode.workspace.getConfiguration(ConfigSection).get<string>(Settings.defaultAgent, 'backend-architect');
  return new Conversation({
    mode: o.mode,
    resolveAgent: async () => {
      const a = await s.registry.get(agentName());
      return { body: a.body, info: agentInfo(a), model: a.model };
    },
    resolveEndpoint: () => resolveEndpoint(s.secrets),
    contextFor: () => listFolder(o.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri),
    // The openai package loads with the first request, not at activation.
    stream: async (request, handlers, signal) => request.endpoint.baseURL === vscodeLmBaseURL
      ? streamVsCodeLm(request, handlers, signal)
      : (await import('../llm/openaiStream')).streamChat(request, handlers, signal),
    persist: o.persist,
    log: m => s.log.info(m),
    analyse: (turn, update) => tracker.analyse(turn, update),
  }, o.turns);
}
