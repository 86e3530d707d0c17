import * as vscode from 'vscode';
import { ChatIds, Commands, StateKeys } from '../../constants';
import { createSession, type ConversationOptions, type Services, type Session } from '../../design/vscode/sessions';
import { streamVsCodeLm, vscodeLmBaseURL } from '../../llm/vscode/vscodeLm';
import { loadBundle, type LlmBundle } from '../../lazy';
import type { ArtifactActionName, ArtifactView, FindingView, HostMessage, TurnRecord, ViewMode } from '../../protocol';
import { panelTitle, pickFolder } from '../../commands/designCommands';
import type { AnswerPanels } from '../../views/answerPanel';
import { parseInOpenView } from '../../views/mermaidBridge';
import { runArtifactAction, runErrorAction, writeAllArtifacts } from '../../views/webviewHost';
import { planChat, readMeta, writeMeta, type PriorTurn } from '../history';
import { artifactMarkdown, artifactsHeading, closeOpenFence, commandLink, endingMarkdown, findingsMarkdown } from '../report';
import { endpointForModel } from './modelProvider';

/** An `@architect` answer as the extension's API reports it (integration tests wait for these). */
export interface ParticipantAnswer {
  answerId: string;
  mode: ViewMode;
  status: TurnRecord['status'];
  text: string;
  /** The model that answered, as its id. */
  model: string;
  artifacts: ArtifactView[];
  findings: FindingView[];
}

/** An answer's session, kept for the buttons under it (write, diff, open in panel). */
interface Held { session: Session; mode: ViewMode; title: string; folder?: vscode.Uri; }

/** How many answers keep their files for the buttons; older buttons say the answer is gone. */
const maxHeldAnswers = 30;

const actionNames = new Set<ArtifactActionName>(['write', 'diff', 'copy', 'open']);

/** VS Code's history entries for this participant, as the pure planner reads them. */
function priorTurns(context: vscode.ChatContext): PriorTurn[] {
  return context.history.map((t): PriorTurn => t instanceof vscode.ChatRequestTurn
    ? { role: 'request', prompt: t.prompt, command: t.command }
    : {
      role: 'response',
      markdown: t.response.map(p => (p instanceof vscode.ChatResponseMarkdownPart ? p.value.value : '')).join(''),
      meta: readMeta(t.result.metadata),
      failed: !!t.result.errorDetails,
    });
}

/**
 * Where the answer comes from: the model picked in the Chat view. One of ours goes straight to the configured
 * endpoint (asking VS Code would only come back here); any other answers through VS Code's language-model API.
 */
function chosenModel(s: Services, model: vscode.LanguageModelChat): ConversationOptions['chosenModel'] {
  if (model.vendor === ChatIds.vendor) {
    return { resolve: () => endpointForModel(s.secrets, model.id), stream: (r, h, signal) => loadBundle<LlmBundle>('llm.js').streamChat(r, h, signal) };
  }
  return {
    resolve: () => Promise.resolve({ endpoint: { baseURL: vscodeLmBaseURL, model: model.id }, info: { model: model.id, endpoint: 'VS Code', demo: false } }),
    stream: (r, h, signal) => streamVsCodeLm(r, h, signal, model),
  };
}

/** The folder a `/review` reads: a folder (or a file's folder) the request references, the review it continues, or one the person picks. */
async function reviewFolder(request: vscode.ChatRequest, continued: string | undefined): Promise<vscode.Uri | undefined> {
  for (const r of request.references) {
    const uri = r.value instanceof vscode.Uri ? r.value : r.value instanceof vscode.Location ? r.value.uri : undefined;
    const stat = uri && await vscode.workspace.fs.stat(uri).then(x => x, () => undefined);
    if (uri && stat) { return stat.type & vscode.FileType.Directory ? uri : vscode.Uri.joinPath(uri, '..'); }
  }
  if (continued) { return vscode.Uri.parse(continued, true); }
  return pickFolder();
}

/** Streams the conversation's messages into the Chat view's response. */
function responseSink(stream: vscode.ChatResponseStream): (m: HostMessage) => void {
  let thinking = false;
  return m => {
    switch (m.type) {
      case 'answer/delta': stream.markdown(m.text); break;
      case 'answer/status': stream.progress(m.message); break;
      case 'answer/reasoning': if (!thinking) { thinking = true; stream.progress('Thinking…'); } break;
      // Files are listed once checked (a response cannot change what it showed); tool steps, when
      // conversations have them, can be shown here as progress.
      default: break;
    }
  };
}

/** Commands the Markdown under an answer may run; nothing in the model's own text is trusted. */
const linkedCommands = [Commands.chatArtifactAction, Commands.chatOpenInPanel];

/**
 * The files of an answer with their checks and a line of links each (Write, Show Diff, Open in Panel), a
 * review's findings linked to their lines, then the buttons. All Markdown first and the buttons last: the Chat
 * view's Agent mode folds everything before the last Markdown that follows a button or progress line into
 * "Completed N steps", which would hide the answer itself.
 */
function showFiles(stream: vscode.ChatResponseStream, answer: TurnRecord, views: ArtifactView[], folder: vscode.Uri | undefined): void {
  const findings = answer.findings ?? [];
  if (!views.length && !findings.length) { return; }
  let text = views.length ? artifactsHeading(views) : '';
  for (const v of views) {
    const links = [
      ...(v.partial ? [] : [commandLink('Write', Commands.chatArtifactAction, [answer.id, v.id, 'write']), commandLink('Show Diff', Commands.chatArtifactAction, [answer.id, v.id, 'diff'])]),
      commandLink('Open in Panel', Commands.chatOpenInPanel, [answer.id]),
    ].join(' · ');
    text += artifactMarkdown(v, links);
  }
  text += findingsMarkdown(findings, folder && ((file, line) => `${vscode.Uri.joinPath(folder, ...file.split('/')).toString()}${line ? `#L${line}` : ''}`));
  const md = new vscode.MarkdownString(text);
  md.isTrusted = { enabledCommands: linkedCommands };
  stream.markdown(md);
  const writable = views.filter(v => !v.partial && v.status !== 'invalid' && v.status !== 'checking');
  if (writable.length) { stream.button({ command: Commands.chatWriteAll, title: `Write All (${writable.length})`, arguments: [answer.id] }); }
  stream.button({ command: Commands.chatOpenInPanel, title: 'Open in Panel', arguments: [answer.id] });
}

/**
 * `@architect` in VS Code's Chat view: the same session as the Design / Review panels (the selected agent,
 * the workspace context, the model client, artifact checks and repair turns), streamed as Markdown, with each
 * file's check and buttons under the answer. `/review` is the Review session, so it gains whatever that
 * session gains (tools included) without changes here.
 */
export class ArchitectParticipant implements vscode.Disposable {
  private readonly held = new Map<string, Held>();
  private readonly answered = new vscode.EventEmitter<ParticipantAnswer>();
  readonly onDidAnswer = this.answered.event;

  constructor(private readonly services: Services, private readonly panels: AnswerPanels) {}

  /** Answers one request in the Chat view (VS Code's `ChatRequestHandler`). */
  async handle(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
    const plan = planChat(priorTurns(context), request.command);
    const trusted = vscode.workspace.isTrusted;
    let folder: vscode.Uri | undefined;
    if (plan.mode === 'review') {
      if (!trusted) {
        stream.markdown('A review reads the folder\'s files, and this workspace is in Restricted Mode, so nothing of it is read. Trust the workspace (Manage Workspace Trust) to review it; `@architect` still answers questions without reading it.');
        return {};
      }
      folder = await reviewFolder(request, plan.folder);
      if (!folder) { stream.markdown('Review reads one folder: reference it (`#` and the folder) or pick one when asked.'); return {}; }
    }
    const text = request.prompt.trim() || (plan.mode === 'review' && folder ? `Review the architecture of ${vscode.workspace.asRelativePath(folder, true) || folder.path.split('/').pop()}` : '');
    if (!text) {
      stream.markdown('Describe the backend to design, for example `@architect /design An e-commerce backend with users, a catalog and orders`.');
      return {};
    }
    const session = createSession(this.services, {
      mode: plan.mode, folder, turns: plan.turns,
      agentName: () => this.services.workspaceState.get<string>(StateKeys.chatAgent),
      chosenModel: request.model ? chosenModel(this.services, request.model) : undefined,
      readWorkspace: trusted,
    }, { parseMermaid: parseInOpenView });
    const conversation = session.conversation;
    conversation.attach(responseSink(stream));
    const cancel = token.onCancellationRequested(() => conversation.stop());
    try {
      const answer = (await conversation.send(text))!;
      if (answer.status === 'failed') {
        for (const action of answer.actions ?? []) { if (action !== 'retry') { stream.button({ command: Commands.chatErrorAction, title: actionTitle[action], arguments: [action] }); } }
        return { errorDetails: { message: answer.note ?? 'The request failed.' }, metadata: writeMeta({ answerId: answer.id, mode: plan.mode, request: text, text: answer.text, status: answer.status }) };
      }
      stream.markdown(closeOpenFence(answer.text) + endingMarkdown(answer.status ?? 'complete', answer.note));
      if (answer.artifacts?.length) { stream.progress(`Checking ${answer.artifacts.length} file${answer.artifacts.length === 1 ? '' : 's'}…`); }
      await conversation.whenChecked();
      const views = session.tracker.all(answer.id).map(t => ({ ...t.view }));
      this.hold(answer.id, { session, mode: plan.mode, title: panelTitle(plan.mode === 'review' ? 'Review' : plan.mode === 'design' ? 'Design' : 'Chat', text), folder });
      showFiles(stream, answer, views, folder);
      this.answered.fire({ answerId: answer.id, mode: plan.mode, status: answer.status, text: answer.text, model: answer.model ?? '', artifacts: views, findings: answer.findings ?? [] });
      return { metadata: writeMeta({ answerId: answer.id, mode: plan.mode, request: text, text: answer.text, status: answer.status ?? 'complete', folder: folder?.toString() }) };
    } finally {
      cancel.dispose();
      conversation.detach();
    }
  }

  private hold(answerId: string, held: Held): void {
    this.held.set(answerId, held);
    while (this.held.size > maxHeldAnswers) { this.held.delete(this.held.keys().next().value!); }
  }

  private lookup(answerId: unknown): Held | undefined {
    const held = typeof answerId === 'string' ? this.held.get(answerId) : undefined;
    if (!held) {
      void vscode.window.showInformationMessage('The files of this answer are no longer at hand (the window was reloaded, or many answers came since). Ask @architect again, or copy the block from the answer.');
    }
    return held;
  }

  /** Write or Show Diff under an answer: the ids come from our own buttons, checked again here. */
  async runAction(answerId: unknown, artifactId: unknown, action: unknown): Promise<void> {
    const held = this.lookup(answerId);
    if (!held || typeof artifactId !== 'string' || !actionNames.has(action as ArtifactActionName)) { return; }
    await runArtifactAction(held.session, this.services.writer, answerId as string, artifactId, action as ArtifactActionName);
  }

  /** Write All under an answer: every complete file that did not fail its check, with one confirmation. */
  async writeAll(answerId: unknown): Promise<void> {
    const held = this.lookup(answerId);
    if (held) { await writeAllArtifacts(held.session, this.services.writer, answerId as string); }
  }

  /** Opens the answer in a Design / Review panel: its files' cards, diagrams drawn, and room for follow-ups. */
  openInPanel(answerId: unknown): void {
    const held = this.lookup(answerId);
    if (held) { this.panels.show(held.mode === 'chat' ? 'design' : held.mode, held.title, held.session.conversation.turns, held.folder); }
  }

  dispose(): void {
    this.answered.dispose();
    this.held.clear();
  }
}

const actionTitle: Record<'setApiKey' | 'selectModel' | 'openSettings', string> = {
  setApiKey: 'Set API Key', selectModel: 'Select Model', openSettings: 'Open Settings',
};

/** Registers `@architect` and the commands of the buttons under its answers. */
export function registerArchitectParticipant(context: vscode.ExtensionContext, services: Services, panels: AnswerPanels): ArchitectParticipant {
  const architect = new ArchitectParticipant(services, panels);
  const participant = vscode.chat.createChatParticipant(ChatIds.participant, (request, chatContext, stream, token) => architect.handle(request, chatContext, stream, token));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
  context.subscriptions.push(
    architect, participant,
    vscode.commands.registerCommand(Commands.chatArtifactAction, (answerId: unknown, artifactId: unknown, action: unknown) => architect.runAction(answerId, artifactId, action)),
    vscode.commands.registerCommand(Commands.chatOpenInPanel, (answerId: unknown) => architect.openInPanel(answerId)),
    vscode.commands.registerCommand(Commands.chatWriteAll, (answerId: unknown) => architect.writeAll(answerId)),
    vscode.commands.registerCommand(Commands.chatErrorAction, (action: unknown) => (typeof action === 'string' && action in actionTitle ? runErrorAction(action as keyof typeof actionTitle) : undefined)),
  );
  return architect;
}
