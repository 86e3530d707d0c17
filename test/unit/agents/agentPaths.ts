/** Where the agent tests find the repository's fixtures and the shared corpus, however they were compiled. */
import * as fs from 'node:fs';
import * as path from 'node:path';

function isRepoRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === 'backend-architect';
  } catch {
    return false;
  }
}

function walkUp(from: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (isRepoRoot(dir)) { return dir; }
    if (path.dirname(dir) === dir) { return undefined; }
  }
}

/**
 * The repository root: up from the compiled test (out/test/unit/agents), else up from the working
 * directory (tests compiled elsewhere, e.g. with --outDir /tmp/...), else BA_REPO_ROOT.
 */
export const repoRoot: string = walkUp(__dirname) ?? walkUp(process.cwd()) ?? process.env.BA_REPO_ROOT ?? process.cwd();

/** `shared/` beside the repository (CI and developers have it), or BA_SHARED_DIR. */
export const sharedDir: string = process.env.BA_SHARED_DIR ?? path.resolve(repoRoot, '..', 'shared');

export const fixturesDir: string = path.join(repoRoot, 'test', 'fixtures', 'agents');

export function fixture(...parts: string[]): Buffer {
  return fs.readFileSync(path.join(fixturesDir, ...parts));
}
