/** Where the artifact tests find their fixtures, however the tests were compiled (see ../agents/agentPaths). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../agents/agentPaths';

export const artifactFixtures: string = path.join(repoRoot, 'test', 'fixtures', 'artifacts');

/** A fixture's text, e.g. `fixtureText('openapi', 'valid', 'oai-petstore-3.0.yaml')`. */
export function fixtureText(...parts: string[]): string {
  return fs.readFileSync(path.join(artifactFixtures, ...parts), 'utf8');
}

/** The file names in a fixture folder, sorted. */
export function fixtureNames(...parts: string[]): string[] {
  return fs.readdirSync(path.join(artifactFixtures, ...parts)).sort();
}

/** The 1-based line of the first line containing `needle`; fails loudly so expectations stay honest. */
export function lineOf(text: string, needle: string, from = 1): number {
  const index = text.split('\n').findIndex((l, i) => i + 1 >= from && l.includes(needle));
  if (index < 0) { throw new Error(`fixture has no line containing ${JSON.stringify(needle)}`); }
  return index + 1;
}
