import * as vscode from 'vscode';
import { ConfigSection, DemoEnv, Settings } from '../../constants';
import type { EndpointConfig, ResolvedEndpoint } from '../types';
import { loadBundle, type LlmBundle } from '../../lazy';
import { vscodeLmBaseURL, vscodeLmModels } from './vscodeLm';
import { effectiveBaseURL, isProviderId, originOf, providerPresets, type ProviderId } from '../providers';

/**
 * Reads a setting from the person's user (application) level only. The settings that decide where prompts and
 * keys go are application-scoped in package.json already; reading only the global value is the second lock,
 * so a workspace's .vscode/settings.json can never redirect them (THREATS T8).
 */
function userSetting<T>(key: string, fallback: T): T {
  const info = vscode.workspace.getConfiguration(ConfigSection).inspect<T>(key);
  return info?.globalValue ?? info?.defaultValue ?? fallback;
}

/** SecretStorage key of an endpoint's API key: one per origin. */
export function secretKeyFor(origin: string): string {
  return `apiKey:${origin}`;
}

const modelCache = new Map<string, string>();

type EndpointError = Extract<ResolvedEndpoint, { error: unknown }>['error'];

/** The configured provider (an unknown value counts as Custom). */
export function currentProvider(): ProviderId {
  const v = userSetting<string>(Settings.provider, 'openai');
  return isProviderId(v) ? v : 'custom';
}

/**
 * The endpoint the user settings describe, key included, with the model as configured (possibly empty),
 * or why it cannot be used.
 */
export async function configuredEndpoint(secrets: vscode.SecretStorage): Promise<ResolvedEndpoint> {
  const provider = currentProvider();
  if (provider === 'vscode-lm') {
    const model = userSetting<string>(Settings.model, '').trim();
    return { endpoint: { baseURL: vscodeLmBaseURL, model }, info: { model, endpoint: 'VS Code', demo: false } };
  }
  const preset = providerPresets[provider];
  const baseURL = effectiveBaseURL(provider, userSetting<string>(Settings.baseURL, ''));
  const origin = originOf(baseURL);
  const demo = !!process.env[DemoEnv] && process.env[DemoEnv]!.replace(/\/+$/, '') === baseURL;
  const model = userSetting<string>(Settings.model, '').trim();
  const info = { model, endpoint: origin ? new URL(origin).host : '(no endpoint)', demo };
  if (!origin) {
    return { info, error: { kind: 'config', message: `No valid base URL is set for ${preset.label}. Set "backendArchitect.baseURL" in your user settings.`, actions: ['openSettings'] } };
  }
  const apiKey = await secrets.get(secretKeyFor(origin));
  if (preset.needsKey && !apiKey) {
    return { info, error: { kind: 'auth', message: `No API key is set for ${origin}. Set one, or choose a local provider such as Ollama.`, actions: ['setApiKey', 'openSettings'] } };
  }
  if (provider === 'azure' && !model) {
    return { info, error: { kind: 'config', message: 'Azure OpenAI needs the deployment name: set "backendArchitect.model" to it.', actions: ['selectModel', 'openSettings'] } };
  }
  const timeoutS = userSetting<number>(Settings.requestTimeoutSeconds, 120);
  const endpoint = {
    baseURL, apiKey, model,
    headers: userSetting<Record<string, string>>(Settings.headers, {}),
    requestTimeoutMs: timeoutS * 1000,
    firstTokenTimeoutMs: (preset.local ? 180 : 60) * 1000,
    idleTimeoutMs: (preset.local ? 90 : 45) * 1000,
    azure: provider === 'azure' ? { apiVersion: userSetting<string>(Settings.azureApiVersion, '2024-10-21') } : undefined,
  };
  return { endpoint, info };
}

/** The models an endpoint offers, or the error that says why they could not be listed. */
export async function endpointModels(endpoint: EndpointConfig): Promise<string[] | EndpointError> {
  if (endpoint.baseURL === vscodeLmBaseURL) {
    const ids = await vscodeLmModels();
    return ids.length ? ids : { kind: 'not-found', message: 'VS Code offers no language model here. Sign in to a model provider such as GitHub Copilot, or choose another provider.', actions: ['openSettings'] };
  }
  try {
    return await loadBundle<LlmBundle>('llm.js').listModels(endpoint);
  } catch (e) {
    return (e as { answerError?: EndpointError }).answerError
      ?? { kind: 'connection', message: `Could not list the models of ${originOf(endpoint.baseURL)}: ${(e as Error).message}`, actions: ['openSettings', 'retry'] };
  }
}

/** Where answers come from now: base URL, model, key and timeouts, or the reason there is no usable endpoint. */
export async function resolveEndpoint(secrets: vscode.SecretStorage): Promise<ResolvedEndpoint> {
  const configured = await configuredEndpoint(secrets);
  if ('error' in configured || configured.endpoint.model) { return configured; }
  const { endpoint, info } = configured;
  // No model chosen: ask the endpoint, once per base URL, and take the first it offers.
  let model = modelCache.get(endpoint.baseURL);
  if (!model) {
    const models = await endpointModels(endpoint);
    if (!Array.isArray(models)) { return { info, error: models }; }
    if (!models[0]) {
      return { info, error: { kind: 'not-found', message: `${originOf(endpoint.baseURL) ?? 'The endpoint'} offers no models. Set "backendArchitect.model" in your user settings.`, actions: ['selectModel', 'openSettings'] } };
    }
    model = models[0];
    modelCache.set(endpoint.baseURL, model);
  }
  return { endpoint: { ...endpoint, model }, info: { ...info, model } };
}

/** Forget models learned from endpoints (after the settings changed). */
export function clearModelCache(): void {
  modelCache.clear();
}

/** The origin the current settings point at, for Set API Key. */
export function currentOrigin(): string | undefined {
  return originOf(effectiveBaseURL(currentProvider(), userSetting<string>(Settings.baseURL, '')));
}
