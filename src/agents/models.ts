/**
 * Maps the `model` an agent file asks for (Claude Code's `sonnet`, `opus`, `haiku`, `inherit`, pinned
 * ids, anything else) onto a model the user's provider serves, through a map the user supplies.
 */
import type { AgentProblem } from './types';

export interface ModelChoice {
  /** The value as written; the first entry of a list. */
  model?: string;
  /** The provider model; undefined means "use the default model". */
  resolvedModel?: string;
  problems: AgentProblem[];
}

/** Model families a pinned id can be reduced to, e.g. `claude-sonnet-4-5-20250929` → `sonnet`. */
const FAMILIES = ['opus', 'sonnet', 'haiku'] as const;

/**
 * Resolves `raw` (the front-matter value) through `modelMap`. Order: `inherit` (the default model,
 * no note); an exact key; the same key in lower case; for a pinned id, its family (`opus`, `sonnet`,
 * `haiku`). Anything else uses the default model and adds an info note. Only own keys of the map
 * count, so `model: constructor` cannot pick up `Object.prototype.constructor`.
 */
export function resolveModel(raw: unknown, line: number, modelMap: Readonly<Record<string, string>> = {},
  defaultModel?: string): ModelChoice {
  const problems: AgentProblem[] = [];
  const model = firstValue(raw, line, problems);
  if (model === undefined) { return { problems }; }
  if (model.toLowerCase() === 'inherit') { return { model, problems }; }
  const resolvedModel = lookup(modelMap, model) ?? lookup(modelMap, model.toLowerCase()) ?? lookupFamily(modelMap, model);
  if (resolvedModel === undefined) {
    const fallback = defaultModel ? `the default model (${defaultModel})` : 'the default model';
    problems.push({ line, severity: 'info', message: `model "${model}" has no mapping; ${fallback} is used` });
  }
  return { model, resolvedModel, problems };
}

function firstValue(raw: unknown, line: number, problems: AgentProblem[]): string | undefined {
  if (Array.isArray(raw)) {
    const entries = raw.filter(isScalar).map(v => String(v).trim()).filter(v => v !== '');
    if (entries.length > 1) {
      problems.push({ line, severity: 'info', message: `"model" lists ${entries.length} models; the first, "${entries[0]}", is used` });
    }
    return entries[0];
  }
  if (raw === null || raw === undefined) { return undefined; }
  if (!isScalar(raw)) {
    problems.push({ line, severity: 'warning', message: '"model" should be a model name; this value is ignored' });
    return undefined;
  }
  const text = String(raw).trim();
  return text === '' ? undefined : text;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function lookup(map: Readonly<Record<string, string>>, key: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(map, key)) { return undefined; }
  const value = map[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function lookupFamily(map: Readonly<Record<string, string>>, model: string): string | undefined {
  const words = model.toLowerCase().split(/[^a-z0-9]+/);
  const family = FAMILIES.find(f => words.includes(f));
  return family === undefined ? undefined : lookup(map, family);
}
