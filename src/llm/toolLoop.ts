/**
 * The tool loop: the model calls tools, we run them, send the results and ask again, until it answers without
 * calling one. Bounded by a budget of rounds and of result tokens; when that is spent the model is told to
 * answer with what it has (`tool_choice: none`), and calls it still makes are not run. Stop ends it during a
 * request, during the calls and between them. Knows nothing of which tools exist: a `ToolRunner` does.
 * Pure; no I/O of its own.
 */
import { hasAnswerText, emptyAnswerError } from './outcome';
import type { AnswerError, ChatMessage, ChatRequest, ChatResult, ChatStreamFn, StreamHandlers, ToolCall, ToolSpec } from './types';

/** What running one call gave: the text the model is sent, and how the person sees the step. */
export interface ToolOutcome {
  ok: boolean;
  /** Sent to the model as the call's result. */
  content: string;
  /** A short result for the step line, e.g. "3 hits", "80 lines". */
  summary?: string;
}

/** The tools of one answer and how to run them. */
export interface ToolRunner {
  readonly specs: ToolSpec[];
  /** One line naming the call for the person, from its arguments alone: "Read src/routes/orders.js 1-80". */
  label(call: ToolCall): string;
  /** Runs one call. Never throws: a refusal or a failure is an outcome with `ok: false` the model can read. */
  run(call: ToolCall, signal: AbortSignal): Promise<ToolOutcome>;
}

/** One call as the person sees it: a compact line that expands to what the model was sent. */
export interface ToolStep {
  /** Unique within the answer. */
  id: string;
  name: string;
  arguments: string;
  label: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  summary?: string;
  /** What the model was sent (set once the call ran). */
  content?: string;
  /** 0-based request that made the call. */
  round: number;
}

/** How much calling one answer may do. */
export interface ToolBudget {
  /** Requests that may end in tool calls; the next one is asked to answer. */
  maxRounds: number;
  /** Tokens of tool results sent to the model, over the whole answer. */
  resultTokens: number;
}

export interface ToolLoopHandlers extends StreamHandlers {
  /** A step began (state `running`) or ended; called again with the same id. */
  onStep?(step: ToolStep): void;
}

export interface ToolLoopResult extends ChatResult {
  steps: ToolStep[];
  /** Requests that ended in tool calls which were run. */
  rounds: number;
  /** What ended the calling, when the budget did. */
  budgetSpent?: 'rounds' | 'tokens';
  /** The endpoint refused the first request because it carried tools (the model or server takes none). */
  toolsRejected?: boolean;
  /** The first answer wrote a tool call out as text: the server dropped `tools` and the model guessed. */
  toolCallsAsText?: boolean;
}

/** Options of one loop. */
export interface ToolLoopOptions {
  budget: ToolBudget;
  /** Token estimate of a result (default: characters / 4). */
  countTokens?(text: string): number;
}

/** Told to the model when the budget is spent; the request that follows offers no further calls. */
export function budgetSpentMessage(why: 'rounds' | 'tokens'): string {
  const what = why === 'rounds' ? 'rounds of tool calls' : 'tokens of tool results';
  return `The budget of ${what} for this answer is spent. Do not call any more tools: answer now with what you have read, and say what you could not check.`;
}

const CUT_NOTE = '\n[cut here: the budget of tool results for this answer is spent]';

/**
 * Streams an answer, running the tools it calls. The result's text is everything the person saw, across
 * requests; its status is that of the last request. Never throws (a failing `stream` should not either).
 * @param request endpoint and messages; `tools` and `toolChoice` are set here
 * @param signal Stop: ends the request or the calls being run, and no further request is made
 */
export async function runToolLoop(stream: ChatStreamFn, request: ChatRequest, runner: ToolRunner, handlers: ToolLoopHandlers,
  signal: AbortSignal | undefined, options: ToolLoopOptions): Promise<ToolLoopResult> {
  return new ToolLoop(stream, request, runner, handlers, signal, options).run();
}

class ToolLoop {
  private readonly messages: ChatMessage[];
  private readonly steps: ToolStep[] = [];
  private text = '';
  private reasoning = '';
  private spentTokens = 0;
  private rounds = 0;
  private budgetSpent: 'rounds' | 'tokens' | undefined;
  private separate = false;
  private readonly notes: string[] = [];
  private readonly wrapped: StreamHandlers;
  private readonly signal: AbortSignal;
  private readonly count: (text: string) => number;

  constructor(private readonly stream: ChatStreamFn, private readonly request: ChatRequest, private readonly runner: ToolRunner,
    private readonly handlers: ToolLoopHandlers, signal: AbortSignal | undefined, private readonly options: ToolLoopOptions) {
    this.messages = [...request.messages];
    this.signal = signal ?? new AbortController().signal;
    this.count = options.countTokens ?? (t => Math.ceil(t.length / 4));
    this.wrapped = {
      onDelta: t => this.delta(t),
      onReasoning: t => { this.reasoning += t; handlers.onReasoning?.(t); },
      onStatus: m => handlers.onStatus?.(m),
    };
  }

  async run(): Promise<ToolLoopResult> {
    if (this.options.budget.maxRounds <= 0) { this.budgetSpent = 'rounds'; }
    for (let round = 0; ; round++) {
      const final = this.budgetSpent !== undefined;
      let result = await this.ask(final);
      if (final && result.status === 'failed' && rejectsToolRequest(result.error)) {
        // A server that does not know tool_choice "none": the same request without tools.
        result = await this.stream({ ...this.request, messages: this.messages, tools: undefined, toolChoice: undefined }, this.wrapped, this.signal);
      }
      if (round === 0 && result.status === 'failed' && rejectsToolRequest(result.error)) {
        return { ...this.finish(result), toolsRejected: true };
      }
      const calls = result.toolCalls ?? [];
      if (round === 0 && calls.length === 0 && writesCallsAsText(result.text, this.runner.specs)) {
        return { ...this.finish(result), toolCallsAsText: true };
      }
      if (calls.length === 0 || result.status !== 'complete' || this.signal.aborted) { return this.finish(result); }
      if (final) {
        this.notes.push('The model still called tools after its budget was spent; those calls were not run.');
        return this.finish(result);
      }
      this.messages.push({ role: 'assistant', content: result.text, toolCalls: calls });
      const results = await this.runCalls(calls, round);
      this.rounds++;
      if (this.signal.aborted) { return this.finish({ ...result, status: 'stopped', error: undefined }); }
      this.messages.push(...results);
      if (this.rounds >= this.options.budget.maxRounds) { this.budgetSpent ??= 'rounds'; }
      if (this.budgetSpent) { this.messages.push({ role: 'user', content: budgetSpentMessage(this.budgetSpent) }); }
      // The next request's text starts a new paragraph after what this one wrote.
      this.separate = true;
    }
  }

  private ask(final: boolean): Promise<ChatResult> {
    return this.stream({ ...this.request, messages: this.messages, tools: this.runner.specs, toolChoice: final ? 'none' : 'auto' }, this.wrapped, this.signal);
  }

  private delta(t: string): void {
    if (this.separate && t) {
      this.separate = false;
      const sep = !this.text || this.text.endsWith('\n\n') ? '' : this.text.endsWith('\n') ? '\n' : '\n\n';
      if (sep) { this.text += sep; this.handlers.onDelta(sep); }
    }
    this.text += t;
    this.handlers.onDelta(t);
  }

  /** Runs one request's calls at the same time; their results are charged to the budget in the order they were called. */
  private async runCalls(calls: ToolCall[], round: number): Promise<ChatMessage[]> {
    const steps = calls.map((call, i): ToolStep => ({
      id: `r${round}-${i}-${call.id}`, name: call.name, arguments: call.arguments, label: this.runner.label(call), state: 'running', round,
    }));
    for (const s of steps) { this.steps.push(s); this.handlers.onStep?.({ ...s }); }
    const outcomes = await Promise.all(calls.map(async (call, i) => {
      if (this.signal.aborted) { return { ok: false, content: 'Not run: stopped.', skipped: 'not run: stopped' }; }
      if (this.budgetSpent === 'tokens') { return { ok: false, content: 'Not run: the budget of tool results for this answer is spent.', skipped: 'not run: budget spent' }; }
      try {
        return await this.runner.run(call, this.signal);
      } catch (e) {
        return { ok: false, content: `The tool failed: ${(e as Error).message}`, summary: `failed (${steps[i].name})` };
      }
    }));
    return calls.map((call, i) => {
      const outcome = outcomes[i] as ToolOutcome & { skipped?: string };
      const content = this.charge(outcome.content);
      const step = steps[i];
      step.state = outcome.skipped ? 'skipped' : outcome.ok ? 'done' : 'failed';
      step.summary = outcome.skipped ?? outcome.summary;
      step.content = content;
      this.handlers.onStep?.({ ...step });
      return { role: 'tool', toolCallId: call.id, content };
    });
  }

  /** Counts a result against the budget, cutting it where the budget ends. */
  private charge(content: string): string {
    const left = this.options.budget.resultTokens - this.spentTokens;
    const tokens = this.count(content);
    if (tokens <= left) { this.spentTokens += tokens; return content; }
    this.budgetSpent ??= 'tokens';
    if (left <= 0) { return 'Not sent: the budget of tool results for this answer is spent.'; }
    this.spentTokens = this.options.budget.resultTokens;
    // The estimate is about four characters a token; the cut errs on the short side.
    return content.slice(0, Math.max(0, left * 4 - CUT_NOTE.length)) + CUT_NOTE;
  }

  private finish(last: ChatResult): ToolLoopResult {
    const result: ToolLoopResult = { ...last, text: this.text, reasoning: this.reasoning, steps: this.steps, rounds: this.rounds };
    delete result.toolCalls;
    if (this.budgetSpent) { result.budgetSpent = this.budgetSpent; }
    const notes = [...(last.notes ?? []), ...this.notes];
    if (notes.length) { result.notes = notes; }
    // Text from earlier requests counts: an answer is empty only when nothing was written in any of them.
    if (result.status === 'complete' && !hasAnswerText(this.text)) {
      result.status = 'empty';
      result.error = emptyAnswerError(this.reasoning.length > 0);
    } else if (result.status === 'empty' && hasAnswerText(this.text)) {
      result.status = 'complete';
      delete result.error;
    }
    return result;
  }
}

/**
 * A refused request that the tools may be the cause of: 400 or 422 whatever it says (Ollama: "does not support
 * tools"; vLLM without --enable-auto-tool-choice), or a server error that names tools (llama.cpp without --jinja).
 */
export function rejectsToolRequest(error: AnswerError | undefined): boolean {
  if (!error?.httpStatus) { return false; }
  if (error.httpStatus === 400 || error.httpStatus === 422) { return true; }
  return error.httpStatus >= 500 && /\btools?\b|tool[_ ]choice|function call/i.test(error.message);
}

/**
 * An answer that writes a call to one of the offered tools out as text: `{"name": "read_file", ...}`,
 * `<tool_call>`, `[TOOL_CALLS]` or Llama's `<|python_tag|>`. What a model does when the server dropped `tools`
 * but the model was trained to call them.
 */
export function writesCallsAsText(text: string, specs: readonly ToolSpec[]): boolean {
  if (/<tool_call>|\[TOOL_CALLS\]|<\|python_tag\|>/.test(text)) { return true; }
  const names = specs.map(s => s.name.replace(/[^A-Za-z0-9_-]/g, '')).filter(Boolean);
  if (names.length === 0) { return false; }
  return new RegExp(`"(?:name|tool|function)"\\s*:\\s*"(?:${names.join('|')})"`).test(text);
}
