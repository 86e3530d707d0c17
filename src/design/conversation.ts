import type { ChatResult, ChatStreamFn, EndpointConfig, ResolvedEndpoint } from '../llm/types';
import { runToolLoop, type ToolLoopHandlers, type ToolLoopResult } from '../llm/toolLoop';
import type { AgentInfo, ArtifactView, HostMessage, ModelInfo, TurnRecord, ViewMode } from '../protocol';
import type { PromptContext } from '../context/types';
import { buildMessages, firstUserMessage } from './prompt';
import { type AnswerTools, noToolsIn, noToolsNote, stepView, toolSupportKey, type ToolSupportMemory } from './toolAnswer';

export type StreamFn = ChatStreamFn;

/**
 * An agent's instructions, how the header shows it, its own model (from the modelMap setting), if any, and the
 * tools its definition lists (undefined when it lists none, which means all of ours).
 */
export interface ResolvedAgent { body: string; info: AgentInfo; model?: string; tools?: string[]; }

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
  /**
   * Read-only tools for the next answer, or undefined when it gets none (Restricted Mode, no folder, tools
   * turned off, an agent that lists none of ours): then the workspace context goes in the request, as before.
   */
  tools?(agent: ResolvedAgent): Promise<AnswerTools | undefined>;
  /** Models found not to take tools; without it, nothing is remembered between answers. */
  toolSupport?: ToolSupportMemory;
}

/** How one answer's text, thinking, status and tool steps reach the turn and the webview. */
interface AnswerSink {
  handlers: ToolLoopHandlers;
  flush(): void;
  /** Forgets what the answer showed so far (its text, thinking, steps and cards): it is asked again. */
  restart(): void;
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
    const sink = this.answerSink(answer);
    this.flushPending = sink.flush;
    const endpoint = { ...resolved.endpoint, model };
    const tools = await this.deps.tools?.(agent);
    const key = toolSupportKey(endpoint.baseURL, model);
    const known = tools ? this.deps.toolSupport?.noTools(key) : undefined;
    let result: ChatResult;
    if (tools && !known) {
      const ctx = first ? await tools.overview?.(controller.signal).catch(() => undefined) : undefined;
      const names = tools.runner.specs.map(t => t.name);
      const messages = buildMessages(agent.body, history, first ? firstUserMessage(this.deps.mode, request, ctx ?? {}, names) : request);
      this.deps.log?.(`request to ${resolved.info.endpoint} (${model}) with tools ${names.join(', ')}, ${messages.length} messages`);
      // While the model thinks, what a search would read is read; it stops when Stop is pressed or the calls are over.
      const ahead = new AbortController();
      const stopAhead = (): void => ahead.abort();
      controller.signal.addEventListener('abort', stopAhead);
      void tools.readAhead?.(ahead.signal);
      let looped: ToolLoopResult;
      try {
        looped = await runToolLoop(this.deps.stream, { endpoint, messages }, tools.runner, sink.handlers, controller.signal, { budget: tools.budget });
      } finally {
        ahead.abort();
        controller.signal.removeEventListener('abort', stopAhead);
      }
      this.deps.log?.(`tools: ${looped.steps.length} calls in ${looped.rounds} rounds${looped.budgetSpent ? ` (budget of ${looped.budgetSpent} spent)` : ''}`);
      const why = controller.signal.aborted ? undefined : noToolsIn(this.deps.mode, first, looped);
      if (why) {
        this.deps.toolSupport?.remember(key, why);
        this.deps.log?.(`${model} does not use tools (${why}); asking again with the workspace context`);
        sink.restart();
        result = withNote(await this.withoutTools(history, request, agent.body, endpoint, sink, controller.signal, resolved.info.endpoint), noToolsNote(why, model, true));
      } else {
        result = looped;
      }
    } else {
      result = await this.withoutTools(history, request, agent.body, endpoint, sink, controller.signal, resolved.info.endpoint);
      if (known) { result = withNote(result, noToolsNote(known, model, false)); }
    }
    sink.flush();
    this.flushPending = undefined;
    return this.finish(answer, result);
  }

  /** The answer as before tools: the workspace context (first request only) in the message, one request. */
  private async withoutTools(history: TurnRecord[], request: string, body: string, endpoint: EndpointConfig, sink: AnswerSink,
    signal: AbortSignal, where: string): Promise<ChatResult> {
    const first = history.length === 0;
    const ctx = first ? await this.deps.contextFor(request) : undefined;
    const messages = buildMessages(body, history, first ? firstUserMessage(this.deps.mode, request, ctx ?? {}) : request);
    this.deps.log?.(`request to ${where} (${endpoint.model}), ${messages.length} messages`);
    const result = await this.deps.stream({ endpoint, messages }, sink.handlers, signal);
    return ctx?.note ? withNote(result, ctx.note) : result;
  }

  /** Handlers that put an answer's text, thinking, status and tool steps on the turn and in the webview. */
  private answerSink(answer: TurnRecord): AnswerSink {
    const batch = this.deltaBatcher(answer);
    let watch = this.deps.watchArtifacts?.();
    const handlers: ToolLoopHandlers = {
      onDelta: t => {
        answer.text += t;
        batch.push(t);
        const cards = watch?.(t);
        // The card follows the text that closed its block, so flush that text first.
        if (cards) { batch.flush(); this.post({ type: 'artifacts/update', turnId: answer.id, artifacts: cards }); }
      },
      onReasoning: t => { batch.flush(); answer.reasoning = (answer.reasoning ?? '') + t; this.post({ type: 'answer/reasoning', turnId: answer.id, text: t }); },
      onStatus: message => this.post({ type: 'answer/status', turnId: answer.id, message }),
      onStep: step => {
        batch.flush();
        const view = stepView(step);
        const steps = answer.steps ?? (answer.steps = []);
        const at = steps.findIndex(s => s.id === view.id);
        if (at >= 0) { steps[at] = view; } else { steps.push(view); }
        this.post({ type: 'answer/step', turnId: answer.id, step: view });
      },
    };
    return {
      handlers,
      flush: batch.flush,
      restart: () => {
        batch.flush();
        answer.text = '';
        answer.reasoning = undefined;
        answer.steps = undefined;
        watch = this.deps.watchArtifacts?.();
        this.post({ type: 'answer/restart', turnId: answer.id });
      },
    };
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

/** The result with one more note for the person. */
function withNote(result: ChatResult, note: string): ChatResult {
  return { ...result, notes: [...(result.notes ?? []), note] };
}
