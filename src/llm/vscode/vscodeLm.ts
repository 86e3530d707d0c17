import * as vscode from 'vscode';
import { ChatIds } from '../../constants';
import type { AnswerError, ChatMessage, ChatRequest, ChatResult, StreamHandlers, ToolCall } from '../types';
import { emptyAnswerError, hasAnswerText } from '../outcome';

/** Base URL marker of the VS Code Language Model API provider: there is no HTTP endpoint. */
export const vscodeLmBaseURL = 'vscode-lm:';

/**
 * The editor's chat models other than our own: ours answer from the configured endpoint, so choosing one of them
 * as "the VS Code model" would send each request back to this provider forever.
 */
async function editorModels(selector?: vscode.LanguageModelChatSelector): Promise<vscode.LanguageModelChat[]> {
  return (await vscode.lm.selectChatModels(selector)).filter(m => m.vendor !== ChatIds.vendor);
}

/** The chat models the editor offers (Copilot and others), as ids; empty where it offers none. */
export async function vscodeLmModels(): Promise<string[]> {
  try {
    return (await editorModels()).map(m => m.id);
  } catch {
    return [];
  }
}

function lmError(e: unknown): AnswerError {
  if (e instanceof vscode.LanguageModelError) {
    if (e.code === vscode.LanguageModelError.NoPermissions.name) {
      return { kind: 'auth', message: 'VS Code did not allow this extension to use the language model. Allow it when asked, or choose another provider.', actions: ['openSettings', 'retry'] };
    }
    if (e.code === vscode.LanguageModelError.NotFound.name) {
      return { kind: 'not-found', message: 'The selected VS Code language model is no longer available.', actions: ['selectModel'] };
    }
    if (e.code === vscode.LanguageModelError.Blocked.name) {
      return { kind: 'rate-limit', message: 'The language model is blocked for now (quota or rate limit). Try again later.', actions: ['retry'] };
    }
  }
  return { kind: 'server', message: `The VS Code language model failed: ${(e as Error).message}`, actions: ['retry'] };
}

/** The arguments a model wrote, as the object the API wants; text that is not a JSON object becomes `{}`. */
function inputOf(args: string): object {
  try {
    const v: unknown = JSON.parse(args || '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/**
 * Our messages as the API takes them: no system role (the system prompt goes first as a user message), tool
 * calls as parts of the assistant's message, and the results of one turn's calls as parts of one user message.
 */
function toLmMessages(messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let results: vscode.LanguageModelToolResultPart[] | undefined;
  for (const m of messages) {
    if (m.role === 'tool') {
      const part = new vscode.LanguageModelToolResultPart(m.toolCallId ?? '', [new vscode.LanguageModelTextPart(m.content)]);
      if (results) { results.push(part); } else { results = [part]; out.push(vscode.LanguageModelChatMessage.User(results)); }
      continue;
    }
    results = undefined;
    if (m.role === 'assistant' && m.toolCalls?.length) {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = m.content ? [new vscode.LanguageModelTextPart(m.content)] : [];
      for (const c of m.toolCalls) { parts.push(new vscode.LanguageModelToolCallPart(c.id, c.name, inputOf(c.arguments))); }
      out.push(vscode.LanguageModelChatMessage.Assistant(parts));
    } else {
      out.push(m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content));
    }
  }
  return out;
}

/**
 * Streams an answer through the editor's Language Model API (`vscode.lm`): a Copilot user needs no key.
 * The API has no system role, so the system prompt goes first as a user message; and it reports no finish
 * reason, so an answer whose stream ends without an error counts as complete. Tools offered in the request
 * go to the model as LanguageModelChatTools; its LanguageModelToolCallParts come back as `toolCalls`. The
 * API has no "answer without tools" mode, so a request that asks for none simply offers none.
 */
export async function streamVsCodeLm(request: ChatRequest, handlers: StreamHandlers, signal?: AbortSignal, chosen?: vscode.LanguageModelChat): Promise<ChatResult> {
  let text = '';
  // `chosen`: the model of a Chat view request, which the participant may use as it is.
  const model = chosen ?? (await editorModels(request.endpoint.model ? { id: request.endpoint.model } : undefined))[0];
  if (!model) {
    return { status: 'failed', text, reasoning: '', error: { kind: 'not-found', message: 'VS Code offers no language model here. Sign in to a model provider such as GitHub Copilot, or choose another provider.', actions: ['openSettings'] } };
  }
  const messages = toLmMessages(request.messages);
  const options: vscode.LanguageModelChatRequestOptions = { justification: 'Backend Architect sends your request and the agent\'s instructions to design or review a backend.' };
  if (request.tools?.length && request.toolChoice !== 'none') {
    options.tools = request.tools.map(t => ({ name: t.name, description: t.description, inputSchema: t.parameters }));
  }
  const calls: ToolCall[] = [];
  const cts = new vscode.CancellationTokenSource();
  const onAbort = (): void => cts.cancel();
  signal?.addEventListener('abort', onAbort);
  try {
    const response = await model.sendRequest(messages, options, cts.token);
    for await (const part of response.stream) {
      if (part instanceof vscode.LanguageModelTextPart) {
        text += part.value;
        handlers.onDelta(part.value);
      } else if (part instanceof vscode.LanguageModelToolCallPart) {
        calls.push({ id: part.callId || `call_${calls.length + 1}`, name: part.name, arguments: JSON.stringify(part.input ?? {}) });
      }
    }
    if (signal?.aborted) { return { status: 'stopped', text, reasoning: '', model: model.id }; }
    if (calls.length) { return { status: 'complete', text, reasoning: '', model: model.id, toolCalls: calls }; }
    // An answer with no text is "empty", never "complete", whichever provider sent it.
    if (!hasAnswerText(text)) { return { status: 'empty', text, reasoning: '', model: model.id, error: emptyAnswerError(false) }; }
    return { status: 'complete', text, reasoning: '', model: model.id };
  } catch (e) {
    if (signal?.aborted) { return { status: 'stopped', text, reasoning: '', model: model.id }; }
    return { status: 'failed', text, reasoning: '', error: lmError(e), model: model.id };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cts.dispose();
  }
}
