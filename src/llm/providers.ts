/** Provider presets: where each kind of OpenAI-compatible endpoint usually listens and what it needs. */

export type ProviderId = 'openai' | 'azure' | 'ollama' | 'lmstudio' | 'vllm' | 'openrouter' | 'vscode-lm' | 'custom';

export interface ProviderPreset {
  label: string;
  /** Default base URL; empty when the person must supply one. */
  baseURL: string;
  needsKey: boolean;
  /** Local servers load models slowly: allow more time for the first token. */
  local: boolean;
}

export const providerPresets: Record<ProviderId, ProviderPreset> = {
  openai: { label: 'OpenAI', baseURL: 'https://api.openai.com/v1', needsKey: true, local: false },
  azure: { label: 'Azure OpenAI', baseURL: '', needsKey: true, local: false },
  ollama: { label: 'Ollama', baseURL: 'http://127.0.0.1:11434/v1', needsKey: false, local: true },
  lmstudio: { label: 'LM Studio', baseURL: 'http://127.0.0.1:1234/v1', needsKey: false, local: true },
  vllm: { label: 'vLLM', baseURL: 'http://127.0.0.1:8000/v1', needsKey: false, local: true },
  openrouter: { label: 'OpenRouter', baseURL: 'https://openrouter.ai/api/v1', needsKey: true, local: false },
  'vscode-lm': { label: 'VS Code language models (e.g. GitHub Copilot)', baseURL: '', needsKey: false, local: false },
  custom: { label: 'Custom', baseURL: '', needsKey: false, local: false },
};

export function isProviderId(v: unknown): v is ProviderId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(providerPresets, v);
}

/** The origin a key belongs to: keys are stored and sent per origin, never across origins (THREATS T8). */
export function originOf(baseURL: string): string | undefined {
  try {
    const u = new URL(baseURL);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/** The base URL in force: the person's own setting, else the preset's. Trailing slashes dropped. */
export function effectiveBaseURL(provider: ProviderId, configured: string): string {
  const url = (configured.trim() || providerPresets[provider].baseURL).replace(/\/+$/, '');
  return url;
}
