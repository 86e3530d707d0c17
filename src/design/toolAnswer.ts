/**
 * What a conversation needs to answer with tools, and how it decides that a model does not take them: the
 * endpoint refused a request that offered tools (Ollama, vLLM and llama.cpp answer 400 or name the tools), the
 * model wrote a tool call out as text (the server dropped `tools`), or a Review came back without a single file
 * read. Such a model is remembered, and its answers get the fixed workspace context instead. Pure.
 */
import type { PromptContext } from '../context/types';
import type { ToolBudget, ToolLoopResult, ToolRunner, ToolStep } from '../llm/toolLoop';
import type { ToolStepView, ViewMode } from '../protocol';

/** The read-only tools one answer may use, as the edge provides them. */
export interface AnswerTools {
  runner: ToolRunner;
  budget: ToolBudget;
  /** The folder's name and overview (no file contents) for a first request that offers tools. */
  overview?(signal?: AbortSignal): Promise<PromptContext | undefined>;
  /** Starts reading ahead what the tools will likely read; `signal` is aborted when the answer's tool calls are over. */
  readAhead?(signal: AbortSignal): Promise<unknown>;
}

/** Why a model's answers go without tools. */
export type NoToolsReason = 'rejected' | 'as-text' | 'unread';

/** Models found not to take tools, by endpoint and model. The extension keeps them for the window's life. */
export interface ToolSupportMemory {
  noTools(key: string): NoToolsReason | undefined;
  remember(key: string, why: NoToolsReason): void;
}

/** An in-memory ToolSupportMemory. */
export function toolSupportMemory(): ToolSupportMemory {
  const known = new Map<string, NoToolsReason>();
  return { noTools: key => known.get(key), remember: (key, why) => { known.set(key, why); } };
}

/** The key a model is remembered under: the same model id at two endpoints are two models. */
export function toolSupportKey(baseURL: string, model: string): string {
  return `${baseURL.replace(/\/+$/, '')}#${model}`;
}

/**
 * Whether the answer shows that the model does not take tools. A Review that read nothing counts: its
 * request says the contents are not there, so a model that can call tools reads before it reviews.
 */
export function noToolsIn(mode: ViewMode, first: boolean, result: ToolLoopResult): NoToolsReason | undefined {
  if (result.toolsRejected) { return 'rejected'; }
  if (result.toolCallsAsText) { return 'as-text'; }
  if (mode === 'review' && first && result.status === 'complete' && result.steps.length === 0) { return 'unread'; }
  return undefined;
}

/** The note on an answer that went without tools, the first time and after. */
export function noToolsNote(why: NoToolsReason, model: string, firstTime: boolean): string {
  const cause = why === 'rejected' ? 'the endpoint refused a request that offered tools'
    : why === 'as-text' ? 'it wrote a tool call as text, so the endpoint does not pass tools on'
      : 'it reviewed without reading a single file';
  const name = model ? `"${model}"` : 'This model';
  return firstTime
    ? `${name} does not use tools (${cause}), so the workspace context was sent instead, as a fixed slice. Remembered for this model until the window is reloaded.`
    : `${name} does not use tools (found earlier: ${cause}), so the workspace context was sent as a fixed slice.`;
}

/** Longest detail a step keeps for display: what the model was sent, cut for very long results. */
const DETAIL_CHARS = 12_000;

/** A loop step as the webview shows it. */
export function stepView(step: ToolStep): ToolStepView {
  const view: ToolStepView = { id: step.id, label: step.label, state: step.state };
  if (step.summary) { view.summary = step.summary; }
  if (step.content !== undefined) {
    view.detail = step.content.length > DETAIL_CHARS
      ? `${step.content.slice(0, DETAIL_CHARS)}\n[… shown cut; the model was sent ${step.content.length.toLocaleString('en-US')} characters]`
      : step.content;
  }
  return view;
}
