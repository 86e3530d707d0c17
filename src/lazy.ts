import * as path from 'node:path';

/**
 * Heavy parts of the extension host (the openai client, the YAML parsers, the validators) are bundles of
 * their own in dist/, required on first use, so activation loads only the small composition root.
 */
let distDir: string | undefined;
const cache = new Map<string, unknown>();

/** Called once by activate() with the extension's folder. */
export function setExtensionPath(extensionPath: string): void {
  distDir = path.join(extensionPath, 'dist');
}

/** Requires dist/<file> once; the path is computed so the host bundle does not swallow the module. */
export function loadBundle<T>(file: string): T {
  if (!distDir) { throw new Error('the extension path is not known yet'); }
  let mod = cache.get(file);
  if (!mod) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path.join(distDir, file));
    cache.set(file, mod);
  }
  return mod as T;
}

/** Stops the SQL checker's worker if the validators were ever loaded. */
export async function shutdownValidators(): Promise<void> {
  const v = cache.get('validators.js') as { shutdownSqlValidator?: () => Promise<void> } | undefined;
  await v?.shutdownSqlValidator?.();
}

export type LlmBundle = typeof import('./llm/openaiStream');
export type AgentParserBundle = typeof import('./agents/parse');
export type ContextBundle = typeof import('./context/contextEntry');
export type ValidatorsBundle = typeof import('./artifacts/validatorsEntry');
export type DriftBundle = typeof import('./drift/driftEntry');
export type ToolsBundle = typeof import('./tools/toolsEntry');
export type McpToolsBundle = typeof import('./mcp/toolsEntry');
