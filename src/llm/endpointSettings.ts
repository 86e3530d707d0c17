import * as vscode from 'vscode';
import { ConfigSection, DemoEnv, Settings } from '../constants';
import type { ResolvedEndpoint } from '../design/conversation';
import { effectiveBaseURL, isProviderId, originOf, providerPresets, type ProviderId } from './providers';

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

/** Where answers come from now: base URL, model, key and timeouts, or the reason there is no usable endpoint. */
export async function resolveEndpoint(secrets: vscode.SecretStorage): Promise<ResolvedEndpoint> {
  const providerSetting = userSetting<string>(Settings.provider, 'openai');
  const provider: ProviderId = isProviderId(providerSetting) ? providerSetting : 'custom';
  const preset = providerPresets[provider];
  const baseURL = effectiveBaseURL(provider, userSetting<string>(Settings.baseURL, ''));
  const origin = originOf(baseURL);
  const demo = !!process.env[DemoEnv] && process.env[DemoEnv]!.replace(/\/+$/, '') === baseURL;
  let model = userSetting<string>(Settings.model, '').trim();
  const info = { model, endpoint: origin ? new URL(origin).host : '(no endpoint)', demo };
  if (!origin) {
    return { info, error: { kind: 'config', message: `No valid base URL is set for ${preset.label}. Set "backendArchitect.baseURL" in your user settings.`, actions: ['openSettings'] } };
  }
  const apiKey = await secrets.get(secretKeyFor(origin));
  if (preset.needsKey && !apiKey) {
    return { info, error: { kind: 'auth', message: `No API key is set for ${origin}. Set one, or choose a local provider such as Ollama.`, actions: ['setApiKey', 'openSettings'] } };
  }
  const headers = userSetting<Record<string, string>>(Settings.headers, {});
  const timeoutS = userSetting<number>(Settings.requestTimeoutSeconds, 120);
  const endpoint = {
    baseURL, apiKey, model, headers,
    requestTimeoutMs: timeoutS * 1000,
    firstTokenTimeoutMs: (preset.local ? 180 : 60) * 1000,
    idleTimeoutMs: (preset.local ? 90 : 45) * 1000,
  };
  if (!model) {
    // No model chosen: ask the endpoint, once per base URL, and take the first it offers.
    const cached = modelCache.get(baseURL);
    try {
      model = cached ?? (await (await import('./openaiStream')).listModels(endpoint))[0] ?? '';
    } catch (e) {
      const error = (e as { answerError?: ResolvedEndpoint extends { error: infer E } ? E : never }).answerError;
      return { info, error: error ?? { kind: 'connection', message: `Could not list the models of ${origin}: ${(e as Error).message}`, actions: ['openSettings', 'retry'] } };
    }
    if (!model) {
      return { info, error: { kind: 'not-found', message: `${origin} offers no models. Set "backendArchitect.model" in your user settings.`, actions: ['openSettings'] } };
    }
    modelCache.set(baseURL, model);
  }
  return { endpoint: { ...endpoint, model }, info: { ...info, model } };
}

/** Forget models learned from endpoints (after the settings changed). */
export function clearModelCache(): void {
  modelCache.clear();
}

/** The origin the current settings point at, for Set API Key. */
export function currentOrigin(): string | undefined {
  const providerSetting = userSetting<string>(Settings.provider, 'openai');
  const provider: ProviderId = isProviderId(providerSetting) ? providerSetting : 'custom';
  return originOf(effectiveBaseURL(provider, userSetting<string>(Settings.baseURL, '')));
}
