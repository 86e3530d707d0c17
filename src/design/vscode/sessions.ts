import * as vscode from 'vscode';
import { ConfigSection, Settings, ToolDefaults } from '../../constants';
import { agentInfo, type AgentRegistry } from '../../agents/vscode/registry';
import { listFolder } from '../../context/vscode/workspaceListing';
import type { ReviewDiagnostics } from '../../context/vscode/reviewDiagnostics';
import { folderLabel, promptContextFor } from '../../context/vscode/workspaceContext';
import { vscodeToolFiles } from '../../tools/vscode/vscodeToolFiles';
import { appendDriftContext } from '../../drift/format';
import { driftForReview } from '../../drift/vscode/driftContext';
import { resolveEndpoint } from '../../llm/vscode/endpointSettings';
import { streamVsCodeLm, vscodeLmBaseURL } from '../../llm/vscode/vscodeLm';
import type { ResolvedEndpoint } from '../../llm/types';
import type { TurnRecord, ViewMode } from '../../protocol';
import type { Artifact, ArtifactProblem } from '../../artifacts/types';
import { systemPrompt } from '../prompt';
import { Conversation, type ResolvedAgent, type StreamFn } from '../conversation';
import { toolSupportMemory, type AnswerTools } from '../toolAnswer';
import { loadBundle, type ContextBundle, type LlmBundle, type ToolsBundle, type ValidatorsBundle } from '../../lazy';
import { ArtifactTracker } from '../../artifacts/tracker';
import type { ArtifactWriter } from '../../artifacts/vscode/writer';
import { offerMigrations } from '../../artifacts/vscode/migrationAction';
import type { ScreenChecks } from '../types';

/** Everything a conversation in the editor needs, built once in activate() and passed to each feature. */
export interface Services {
  extensionUri: vscode.Uri;
  writer: ArtifactWriter;
  review: ReviewDiagnostics;
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
  /**
   * A model chosen outside the user settings (the model picker of VS Code's Chat view): answers and repair
   * turns go to it, whatever model the agent's definition names.
   */
  chosenModel?: { resolve(): Promise<ResolvedEndpoint>; stream: StreamFn };
  /** False: no workspace file goes into the prompt (`@architect` in Restricted Mode). Default true. */
  readWorkspace?: boolean;
}

/** A conversation with what the editor adds: its answers' artifacts and the folder it reads. */
export interface Session {
  conversation: Conversation;
  /** The folder a review reads (findings' paths are relative to it). */
  folder?: vscode.Uri;
  tracker: ArtifactTracker;
}

/**
 * A conversation wired to the editor: agents from the registry, the endpoint from user settings, context
 * from the workspace, and the checks only a screen can run from the view that shows it.
 */
export function createSession(s: Services, o: ConversationOptions, screen: ScreenChecks): Session {
  const validators = (): ValidatorsBundle => loadBundle<ValidatorsBundle>('validators.js');
  const tracker = new ArtifactTracker(
    (answer, options) => validators().extractArtifacts(answer, options),
    artifact => validators().validateArtifact(artifact, { parseMermaid: text => screen.parseMermaid(text) }),
    (artifact, problems) => repairTurn(s, o, artifact, problems),
    () => new (validators().ArtifactStream)(),
    (built, modelEr) => validators().compareErDiagrams(built, modelEr),
    suggested => { const v = s.writer.verdictFor(suggested); return { action: v.action, words: v.words }; },
  );
  for (const t of o.turns ?? []) { if (t.artifacts?.length) { try { tracker.restore(t); } catch (e) { s.log.warn(`could not restore artifacts: ${(e as Error).message}`); } } }
  return { conversation: createConversation(s, o, tracker, screen), tracker, folder: o.folder };
}

/** Models found not to take tools, for the life of this window (a reload tries them again). */
const toolSupport = toolSupportMemory();

/**
 * The read-only tools of one answer over the reviewed folder (or the workspace's first folder), with the
 * agent's grant and the budget from settings; none in Restricted Mode, without a folder, with the tools
 * turned off, or for an agent that lists none of ours.
 */
function toolsFor(s: Services, o: ConversationOptions, screen: ScreenChecks, agent: ResolvedAgent): AnswerTools | undefined {
  const folder = o.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder || !vscode.workspace.isTrusted) { return undefined; }
  const config = vscode.workspace.getConfiguration(ConfigSection);
  const rounds = config.get<number>(Settings.toolRounds, ToolDefaults.rounds);
  if (!(rounds >= 1)) { return undefined; }
  const lib = loadBundle<ToolsBundle>('tools.js');
  const grant = lib.grantAgentTools(agent.tools);
  if (grant.tools.length === 0) {
    s.log.info(`${agent.info.name} lists none of our tools (${(agent.tools ?? []).join(', ') || 'an empty list'}): the workspace context is sent instead`);
    return undefined;
  }
  const validators = (): ValidatorsBundle => loadBundle<ValidatorsBundle>('validators.js');
  const box = lib.createToolbox({
    files: vscodeToolFiles(folder, root => lib.nodeToolFiles(root)),
    grant: grant.tools,
    checker: (kind, content) => validators().validateArtifact({ kind, content }, { parseMermaid: text => screen.parseMermaid(text) }),
  });
  return {
    runner: box,
    budget: { maxRounds: Math.floor(rounds), resultTokens: config.get<number>(Settings.toolResultTokenBudget, ToolDefaults.resultTokens) },
    overview: async signal => ({ folderName: folderLabel(folder), contextText: await box.overview(signal) }),
    readAhead: signal => box.readAhead(signal),
  };
}

/**
 * One repair turn: the agent's instructions, then the validator's problems and the block, asking for the
 * corrected block only. Not shown as a turn of the conversation; the card says what changed.
 */
async function repairTurn(s: Services, o: ConversationOptions, artifact: Artifact, problems: ArtifactProblem[]): Promise<string | undefined> {
  const resolved = await (o.chosenModel?.resolve() ?? resolveEndpoint(s.secrets));
  if ('error' in resolved) { return undefined; }
  const name = o.agentName?.() ?? vscode.workspace.getConfiguration(ConfigSection).get<string>(Settings.defaultAgent, 'backend-architect');
  const agent = await s.registry.get(name);
  const v = loadBundle<ValidatorsBundle>('validators.js');
  const messages = [
    { role: 'system' as const, content: systemPrompt(agent.body) },
    { role: 'user' as const, content: v.repairPrompt(artifact, problems) },
  ];
  s.log.info(`repair turn for ${artifact.path ?? artifact.kind}: ${problems.length} problems`);
  const stream = o.chosenModel?.stream ?? (resolved.endpoint.baseURL === vscodeLmBaseURL ? streamVsCodeLm : loadBundle<LlmBundle>('llm.js').streamChat);
  const model = (o.chosenModel ? undefined : agent.model) ?? resolved.endpoint.model;
  const result = await stream({ endpoint: { ...resolved.endpoint, model }, messages }, { onDelta: () => undefined });
  return result.status === 'complete' ? v.pickRepairedBlock(result.text, artifact) : undefined;
}

/**
 * Puts a review answer's findings on the turn (the panel lists them) and the verified ones in the Problems
 * panel: a finding whose file is not in the folder, or whose line is past its end, is marked unverified.
 * In Restricted Mode nothing is read, so nothing is verified and nothing goes to the Problems panel.
 */
async function showFindings(s: Services, folder: vscode.Uri, turn: TurnRecord): Promise<void> {
  const findings = loadBundle<ContextBundle>('context.js').parseFindings(turn.text);
  const checked = vscode.workspace.isTrusted
    ? await loadBundle<ToolsBundle>('tools.js').verifyFindings(findings, vscodeToolFiles(folder))
    : findings.map(f => (f.file ? { ...f, verified: false } : f));
  turn.findings = checked.map(f => ({ severity: f.severity, title: f.title, rationale: f.rationale, file: f.file, line: f.line, ...('verified' in f && { verified: f.verified }) }));
  const n = s.review.show(folder, checked.filter(f => !('verified' in f) || f.verified));
  const unverified = checked.filter(f => 'verified' in f && f.verified === false).length;
  s.log.info(`review: ${findings.length} findings, ${n} in the Problems panel${unverified ? `, ${unverified} unverified` : ''}`);
}

/** What the model gets without tools: in Restricted Mode only the folder's file names, otherwise the scanner's context. */
async function staticContext(s: Services, folder: vscode.Uri | undefined) {
  if (folder && !vscode.workspace.isTrusted) {
    const listing = await listFolder(folder);
    return listing && { ...listing, note: 'Restricted Mode: the architect was given the file names only; no file was read. Trust the workspace to let it read the code.' };
  }
  try {
    return await promptContextFor(folder, s.workspaceState);
  } catch (e) {
    // A scan that fails must not cost the answer: fall back to the bare listing.
    s.log.warn(`workspace scan failed, sending a listing only: ${(e as Error).message}`);
    return listFolder(folder);
  }
}

function createConversation(s: Services, o: ConversationOptions, tracker: ArtifactTracker, screen: ScreenChecks): Conversation {
  const agentName = (): string => o.agentName?.() ?? vscode.workspace.getConfiguration(ConfigSection).get<string>(Settings.defaultAgent, 'backend-architect');
  return new Conversation({
    mode: o.mode,
    resolveAgent: async () => {
      const a = await s.registry.get(agentName());
      // A model picked in VS Code's Chat view wins over the one the agent's definition maps to.
      return { body: a.body, info: agentInfo(a), model: o.chosenModel ? undefined : a.model, tools: a.tools };
    },
    resolveEndpoint: () => o.chosenModel?.resolve() ?? resolveEndpoint(s.secrets),
    contextFor: async () => {
      if (o.readWorkspace === false) { return undefined; }
      const folder = o.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      // A review also reads how the folder's API spec and its routes differ (nothing without a spec or trust).
      const drift = o.mode === 'review' ? driftForReview(folder, s.log) : Promise.resolve('');
      return appendDriftContext(await staticContext(s, folder), await drift);
    },
    tools: async agent => toolsFor(s, o, screen, agent),
    toolSupport,
    // The openai package loads with the first request, not at activation.
    stream: async (request, handlers, signal) => o.chosenModel ? o.chosenModel.stream(request, handlers, signal) : request.endpoint.baseURL === vscodeLmBaseURL
      ? streamVsCodeLm(request, handlers, signal)
      : loadBundle<LlmBundle>('llm.js').streamChat(request, handlers, signal),
    persist: o.persist,
    log: m => s.log.info(m),
    watchArtifacts: () => tracker.watch(),
    analyse: async (turn, update) => {
      await tracker.analyse(turn, update);
      if (await offerMigrations(tracker.all(turn.id))) { turn.artifacts = tracker.all(turn.id).map(t => ({ ...t.view })); update(turn.artifacts); }
      if (o.mode === 'review' && o.folder) { await showFindings(s, o.folder, turn); update(turn.artifacts ?? []); }
    },
  }, o.turns);
}
