import type { ChatRequest, ChatResult, ResolvedEndpoint, StreamHandlers } from '../llm/types';
import type { AgentInfo, ArtifactView, HostMessage, ModelInfo, TurnRecord, ViewMode } from '../protocol';
import type { PromptContext } from '../context/types';
import { buildMessages, firstUserMessage } from './prompt';

export type StreamFn = (request: ChatRequest, handlers: StreamHandlers, signal?: AbortSignal) => Promise<ChatResult>;

/** An agent's instructions, how the header shows it, and its own model (from the modelMap setting), if any. */
export interface ResolvedAgent { body: string; info: AgentInfo; model?: string; }

/** What a conversation needs from the outside world; the extension and the tests each supply their own. */
export interface ConversationDeps {
  mode: ViewMode;
  resolveAgent(): Promise<ResolvedAgent>;
  resolveEndpoint(): Promise<ResolvedEndpoint>;
  /** Workspace context for the first request of a conversation. */
  contextFor(request: string): Promise<PromptContext | undefined>;
  stream: StreamFn;
  /** Called whenever the turns changed in a way worth keeping across a reload. */
  persist?(turns: TurnRecord[]): void;
  log?(message: string): void;
  /** Finds, validates and reports the artifacts of an answer that ended; `update` is called as checks finish. */
  analyse?(turn: TurnRecord, update: (views: ArtifactView[]) => void): Promise<unknown>;
  /** A watcher for one streaming answer: given each delta, the cards to show when a block has just closed. */
  watchArtifacts?(): ((delta: string) => ArtifactView[] | undefined) | undefined;
}

/** How long deltas are gathered before one message goes to the webview: fewer, larger posts. */
const deltaBatchMs = 16;

let counter = 0;
function newId(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/**
 * One conversation with an agent: the turns, the answer being streamed, Stop and Retry. Shared by the chat
 * view and the Design / Review panels. It posts to whichever webview is attached and never touches the
 * editor itself.
 */
export class Conversation {
  readonly turns: TurnRecord[];
  private sink: ((m: HostMessage) => void) | undefined;
  private controller: AbortController | undefined;
  private running: Promise<TurnRecord> | undefined;
  private lastInfo: { agent?: AgentInfo; model?: ModelInfo } = {};
  private flushPending: (() => void) | undefined;
  private analysing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ConversationDeps, turns: TurnRecord[] = []) {
    // An answer that was streaming when the window closed can never finish: say so instead of spinning forever.
    this.turns = turns.map(t => t.status === 'streaming'
      ? { ...t, status: 'truncated', note: 'The window was reloaded while this answer was streaming.', actions: ['retry'] }
      : t);
  }

  get busy(): boolean { return this.running !== undefined; }
  get mode(): ViewMode { return this.deps.mode; }

  /**
   * Connects a webview (after it said it is ready): it gets the whole state in one message, then every
   * update. The snapshot and the switch of sink happen in one synchronous step, with pending deltas
   * flushed first, so no delta is lost or shown twice.
   */
  async connect(sink: (m: HostMessage) => void, title: string): Promise<void> {
    const [agent, resolved] = await Promise.all([this.deps.resolveAgent(), this.deps.resolveEndpoint()]);
    this.lastInfo = { agent: agent.info, model: resolved.info };
    this.flushPending?.();
    this.sink = sink;
    this.post({ type: 'view/init', mode: this.deps.mode, title, agent: agent.info, model: resolved.info, turns: this.turns, busy: this.busy });
  }

  /** Connects a sink without a snapshot (for a caller that already shows the state). */
  attach(sink: (m: HostMessage) => void): void {
    this.sink = sink;
  }

  detach(): void {
    this.sink = undefined;
  }

  /** Sends a message to the attached webview, if any. */
  post(m: HostMessage): void {
    this.sink?.(m);
  }

  /** Adds the person's request and streams the answer. Resolves with the answer's final record. */
  send(text: string): Promise<TurnRecord> | undefined {
    if (this.running) { return undefined; }
    const user: TurnRecord = { id: newId('u'), role: 'user', text };
    const history = this.turns.slice();
    this.turns.push(user);
    this.post({ type: 'turn/user', turn: user });
    return this.run(history, text);
  }

  /** Streams a new answer to the last request, replacing an answer that did not complete. */
  retry(): Promise<TurnRecord> | undefined {
    if (this.running) { return undefined; }
    const lastUser = this.turns.map(t => t.role).lastIndexOf('user');
    if (lastUser < 0) { return undefined; }
    this.turns.splice(lastUser + 1);
    this.post({ type: 'view/init', mode: this.deps.mode, title: '', agent: this.lastInfo.agent!, model: this.lastInfo.model!, turns: this.turns, busy: false });
    return this.run(this.turns.slice(0, lastUser), this.turns[lastUser].text);
  }

  /** Stops the answer being streamed; what arrived is kept and marked as stopped. */
  stop(): void {
    this.controller?.abort('user-cancel');
  }

  /** Forgets every turn (New chat). A running answer is stopped first. */
  clear(): void {
    this.stop();
    this.turns.splice(0);
    this.post({ type: 'chat/cleared' });
    this.deps.persist?.(this.turns);
  }

  private run(history: TurnRecord[], request: string): Promise<TurnRecord> {
    const promise = this.stream(history, request).finally(() => { this.running = undefined; this.controller = undefined; });
    this.running = promise;
    return promise;
  }

  private async stream(history: TurnRecord[], request: string): Promise<TurnRecord> {
    const controller = new AbortController();
    this.controller = controller;
    const [agent, resolved] = await Promise.all([this.deps.resolveAgent(), this.deps.resolveEndpoint()]);
    this.lastInfo = { agent: agent.info, model: resolved.info };
    // An agent whose definition names a mapped model uses it; the others use the configured model.
    const model = agent.model ?? resolved.info.model;
    const answer: TurnRecord = { id: newId('a'), role: 'assistant', text: '', status: 'streaming', model };
    this.turns.push(answer);
    this.post({ type: 'answer/start', turnId: answer.id, model: answer.model ?? '' });
    if ('error' in resolved) {
      return this.finish(answer, { status: 'failed', text: '', reasoning: '', error: resolved.error });
    }
    const first = history.length === 0;
    const ctx = first ? await this.deps.contextFor(request) : undefined;
    const userMessage = first ? firstUserMessage(this.deps.mode, request, ctx ?? {}) : request;
    const messages = buildMessages(agent.body, history, userMessage);
    const batch = this.deltaBatcher(answer);
    this.flushPending = batch.flush;
    const watch = this.deps.watchArtifacts?.();
    this.deps.log?.(`request to ${resolved.info.endpoint} (${model}), ${messages.length} messages`);
    const result = await this.deps.stream({ endpoint: { ...resolved.endpoint, model }, messages }, {
      onDelta: t => {
        answer.text += t;
        batch.push(t);
        const cards = watch?.(t);
        // The card follows the text that closed its block, so flush that text first.
        if (cards) { batch.flush(); this.post({ type: 'artifacts/update', turnId: answer.id, artifacts: cards }); }
      },
      onReasoning: t => { batch.flush(); answer.reasoning = (answer.reasoning ?? '') + t; this.post({ type: 'answer/reasoning', turnId: answer.id, text: t }); },
      onStatus: message => this.post({ type: 'answer/status', turnId: answer.id, message }),
    }, controller.signal);
    batch.flush();
    this.flushPending = undefined;
    return this.finish(answer, result);
  }

  private finish(answer: TurnRecord, result: ChatResult): TurnRecord {
    answer.text = result.text;
    answer.status = result.status;
    answer.reasoning = result.reasoning || undefined;
    answer.note = [result.error?.message, ...(result.notes ?? [])].filter(Boolean).join(' ') || undefined;
    answer.actions = result.error?.actions ?? (result.status === 'truncated' || result.status === 'stopped' || result.status === 'length' ? ['retry'] : undefined);
    if (result.model && !answer.model) { answer.model = result.model; }
    const usage = result.usage?.totalTokens ? `${result.usage.promptTokens ?? '?'} prompt + ${result.usage.completionTokens ?? '?'} answer tokens.` : undefined;
    this.post({ type: 'answer/end', turnId: answer.id, status: result.status, note: answer.note, actions: answer.actions, usage });
    this.deps.log?.(`answer ${result.status}${result.error ? ` (${result.error.kind})` : ''}, ${answer.text.length} chars`);
    this.deps.persist?.(this.turns);
    if (this.deps.analyse && answer.text) {
      // Validation can take a moment (Postgres starts on the first SQL block); the answer is already shown.
      this.analysing = this.deps.analyse(answer, artifacts => this.post({ type: 'artifacts/update', turnId: answer.id, artifacts, findings: answer.findings }))
        .then(() => this.deps.persist?.(this.turns), e => this.deps.log?.(`artifact check failed: ${(e as Error).message}`));
    }
    return answer;
  }

  /** Resolves when the artifacts of the last answer have been checked. */
  whenChecked(): Promise<void> {
    return this.analysing;
  }

  /** The turn with this id, if it is in this conversation. */
  turn(id: string): TurnRecord | undefined {
    return this.turns.find(t => t.id === id);
  }

  private deltaBatcher(answer: TurnRecord): { push(t: string): void; flush(): void } {
    let pending = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = (): void => {
      if (timer) { clearTimeout(timer); timer = undefined; }
      if (pending) { this.post({ type: 'answer/delta', turnId: answer.id, text: pending }); pending = ''; }
    };
    return {
      push: t => { pending += t; timer ??= setTimeout(flush, deltaBatchMs); },
      flush,
    };
  }
}
