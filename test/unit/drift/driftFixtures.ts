/** Where the drift fixtures are, the shared Conduit spec, and sources that add that spec to a fixture backend. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../agents/agentPaths';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import type { FileEntry, FileSource } from '../../../src/context/types';
import { checkDrift, type DriftOptions } from '../../../src/drift/drift';
import { extractRoutes, type RouteExtraction } from '../../../src/drift/routes';
import type { DriftReport } from '../../../src/drift/types';

/** test/fixtures/drift in the repository, however the tests were compiled. */
export const driftFixturesDir: string = path.join(repoRoot, 'test', 'fixtures', 'drift');

export function driftFixture(name: string): string {
  return path.join(driftFixturesDir, name);
}

/** The Conduit OpenAPI document every RealWorld backend implements (servers: .../api). */
export const SHARED_SPEC = 'conduit-openapi.yml';
export const sharedSpecText: string = fs.readFileSync(path.join(driftFixturesDir, SHARED_SPEC), 'utf8');

/** The fixture backend `name` with the shared spec at its root (most fixtures hold only their route files). */
export function withSharedSpec(name: string, specText = sharedSpecText): FileSource {
  const inner = nodeFileSource(driftFixture(name));
  return {
    list: async signal => [...await (inner.list(signal) as Promise<FileEntry[]>), { path: SHARED_SPEC }],
    read: async (p, max) => (p === SHARED_SPEC ? Buffer.from(specText).subarray(0, max) : inner.read(p, max)),
  };
}

/** checkDrift on a fixture with the shared spec. */
export function driftOf(name: string, options?: DriftOptions): Promise<DriftReport> {
  return checkDrift(withSharedSpec(name), options);
}

/** The line (1-based) of the first line of `file` in the fixture that contains `text`. */
export function lineOf(name: string, file: string, text: string): number {
  const lines = fs.readFileSync(path.join(driftFixture(name), file), 'utf8').split('\n');
  const i = lines.findIndex(l => l.includes(text));
  if (i < 0) { throw new Error(`${text} not found in ${name}/${file}`); }
  return i + 1;
}

/** The line of `text` in the shared spec. */
export function specLine(text: string, after?: string): number {
  const lines = sharedSpecText.split('\n');
  const from = after ? lines.findIndex(l => l === after) : 0;
  const i = lines.findIndex((l, n) => n > from && l === text);
  if (i < 0) { throw new Error(`${text} not found in the shared spec`); }
  return i + 1;
}

/** Route extraction over in-memory files (path → text). */
export function extract(files: Record<string, string>, properties?: Map<string, string>): RouteExtraction {
  return extractRoutes(Object.entries(files).map(([path, text]) => ({ path, text })), { properties });
}

/** `METHOD path` of every route the files declare, sorted. */
export function routesOf(files: Record<string, string>, properties?: Map<string, string>): string[] {
  return extract(files, properties).routes.map(r => `${r.method} ${r.path}`).sort();
}
