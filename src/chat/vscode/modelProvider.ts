import * as vscode from 'vscode';
import { ChatIds, ConfigSection } from '../../constants';
import { configuredEndpoint, endpointModels } from '../../llm/vscode/endpointSettings';
import { vscodeLmBaseURL } from '../../llm/vscode/vscodeLm';
import { loadBundle, type LlmBundle } from '../../lazy';
import type { AnswerError, ChatMessage, ResolvedEndpoint } from '../../llm/types';
import { estimateTokens } from '../../context/tokens';

/**
 * Context and output sizes are not something an OpenAI-compatible `/models` tells; these are what VS Code
 * shows and budgets with. Generous, because a prompt cut short by the caller is worse than an endpoint error.
 */
const assumedInputTokens = 128_000;
const assumedOutputTokens = 16_384;
/** An endpoint such as OpenRouter lists hundreds of models: the picker gets the configured one and the first others. */
const maxModelsOffered = 40;

/**
 * The configured endpoint with `modelId` as its model, or why it cannot answer. When the provider setting
 * is "VS Code's language models" there is no endpoint of our own: answering would ask VS Code, which could
 * pick one of these very models and loop.
 */
export async function endpointForModel(secrets: vscode.SecretStorage, modelId: string): Promise<ResolvedEndpoint> {
  const configured = await configuredEndpoint(secrets);
  if ('error' in configured) { return configured; }
  if (configured.endpoint.baseURL === vscodeLmBaseURL) {
    return { info: configured.info, error: { kind: 'config', message: 'Backend Architect is set to use VS Code\'s language models, so it has no endpoint of its own to answer with. Choose another model, or another provider in Backend Architect: Select Model Provider.', actions: ['openSettings'] } };
  }
  return { endpoint: { ...configured.endpoint, model: modelId }, info: { ...configured.info, model: modelId } };
}

function languageModelError(error: AnswerError): Error {
  switch (error.kind) {
    case 'auth': return vscode.LanguageModelError.NoPermissions(error.message);
    case 'not-found': return vscode.LanguageModelError.NotFound(error.message);
    case 'rate-limit': case 'quota': return vscode.LanguageModelError.Blocked(error.message);
    default: return new Error(error.message);
  }
}

/** The text of a message's parts; tool calls and results become plain text until the endpoint client takes tools. */
function messageText(m: vscode.LanguageModelChatRequestMessage): string {
  return m.content.map(part => {
    if (part instanceof vscode.LanguageModelTextPart) { return part.value; }
    if (part instanceof vscode.LanguageModelToolCallPart) { return `(called ${part.name} with ${JSON.stringify(part.input)})`; }
    if (part instanceof vscode.LanguageModelToolResultPart) {
      return part.content.map(c => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join('');
    }
    return '';
  }).join('');
}

function toChatMessages(messages: readonly vscode.LanguageModelChatRequestMessage[]): ChatMessage[] {
  // Role 3 is the System role of newer VS Code versions; the stable API has User and Assistant only.
  const roleOf = (r: number): ChatMessage['role'] => r === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : r === 3 ? 'system' : 'user';
  return messages.map(m => ({ role: roleOf(m.role), content: messageText(m) }));
}

/**
 * The configured endpoint's models in VS Code's model picker (vendor `backend-architect`), so `@architect`
 * and any extension using `vscode.lm` can answer with them, no Copilot needed. They declare tool calling,
 * without which the Chat view (Agent mode) does not list them at all; tool definitions a caller sends are not
 * passed on yet (that waits for the endpoint client's tool support).
 */
export class EndpointModelProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private listed: Promise<string[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  private watching = false;

  constructor(private readonly secrets: vscode.SecretStorage, private readonly log: vscode.LogOutputChannel) {}

  /** From the first listing on, a change of settings or keys lists the models again (nothing to watch before). */
  private watchSettings(): void {
    if (this.watching) { return; }
    this.watching = true;
    const refresh = (): void => { this.listed = undefined; this.changed.fire(); };
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(ConfigSection)) { refresh(); } }),
      this.secrets.onDidChange(refresh),
    );
  }

  /** The endpoint's model ids, the configured one first; listed once until the settings or keys change. */
  private modelIds(): Promise<string[]> {
    this.watchSettings();
    this.listed ??= (async () => {
      const configured = await configuredEndpoint(this.secrets);
      if ('error' in configured || configured.endpoint.baseURL === vscodeLmBaseURL) { return []; }
      const listed = await endpointModels(configured.endpoint);
      const wanted = configured.endpoint.model;
      if (!Array.isArray(listed)) {
        this.log.warn(`model picker: ${listed.message}`);
        return wanted ? [wanted] : [];
      }
      return [...new Set([...(wanted ? [wanted] : []), ...listed])].slice(0, maxModelsOffered);
    })();
    return this.listed;
  }

  async provideLanguageModelChatInformation(): Promise<vscode.LanguageModelChatInformation[]> {
    const configured = await configuredEndpoint(this.secrets);
    const host = configured.info.endpoint;
    return (await this.modelIds()).map(id => ({
      id, name: id, family: id, version: host, detail: host,
      tooltip: `${id} on ${host}: the endpoint set in Backend Architect's settings`,
      maxInputTokens: assumedInputTokens, maxOutputTokens: assumedOutputTokens,
      capabilities: { toolCalling: true },
    }));
  }

  async provideLanguageModelChatResponse(model: vscode.LanguageModelChatInformation, messages: readonly vscode.LanguageModelChatRequestMessage[],
    _options: vscode.ProvideLanguageModelChatResponseOptions, progress: vscode.Progress<vscode.LanguageModelResponsePart>, token: vscode.CancellationToken): Promise<void> {
    const resolved = await endpointForModel(this.secrets, model.id);
    if ('error' in resolved) { throw languageModelError(resolved.error); }
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort('user-cancel'));
    try {
      const result = await loadBundle<LlmBundle>('llm.js').streamChat({ endpoint: resolved.endpoint, messages: toChatMessages(messages) },
        { onDelta: text => progress.report(new vscode.LanguageModelTextPart(text)) }, controller.signal);
      // A stop asked for by the caller is not an error; any other unfinished ending is, with its reason.
      if (result.status === 'stopped' || result.status === 'complete') { return; }
      if (result.error) { throw languageModelError(result.error); }
      if (result.status !== 'length') { throw new Error(`The answer from ${resolved.info.endpoint} ended early (${result.status}).`); }
    } finally {
      cancel.dispose();
    }
  }

  provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return Promise.resolve(estimateTokens(typeof text === 'string' ? text : messageText(text)));
  }

  /** Asks VS Code to list our models now (it calls provideLanguageModelChatInformation, after activation). */
  announce(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.disposables.forEach(d => d.dispose());
  }
}

/**
 * Registers the provider and tells VS Code it has models. Without that nudge VS Code lists a provider's models
 * only when something asks for them, and without Copilot nothing does before the first `@architect` request,
 * which then fails with "Language model unavailable" (measured in code-server 1.139).
 */
export function registerEndpointModels(context: vscode.ExtensionContext, secrets: vscode.SecretStorage, log: vscode.LogOutputChannel): void {
  const provider = new EndpointModelProvider(secrets, log);
  context.subscriptions.push(provider, vscode.lm.registerLanguageModelChatProvider(ChatIds.vendor, provider));
  provider.announce();
}
