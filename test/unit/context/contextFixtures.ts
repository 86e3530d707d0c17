/**
 * Shared by the context unit tests and the integration test that records the request body: where the
 * fixture backends are, the secret values planted in `secrets-app`, and an in-memory FileSource.
 */
import * as path from 'node:path';
import { repoRoot } from '../agents/agentPaths';
import type { FileEntry, FileSource } from '../../../src/context/types';

/** test/fixtures/context in the repository, however the tests were compiled. */
export const contextFixturesDir: string = path.join(repoRoot, 'test', 'fixtures', 'context');

export function fixtureDir(name: string): string {
  return path.join(contextFixturesDir, name);
}

/** The fixture workspace holding secrets (THREATS T13). */
export const secretsAppDir: string = fixtureDir('secrets-app');

/**
 * Every secret value planted in secrets-app, exactly as written there. None may appear in anything
 * sent to a model: the first group sits in files that are never read (.env, .env.local, .npmrc,
 * credentials.json, id_rsa, certs/server.pem), the second in files that are read and must be redacted.
 */
export const SECRET_VALUES: readonly string[] = [
  // .env
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'sk-proj-EnvFileFake0123456789abcdefghijklmnopqrst',
  'EnvFileDbPassw0rd',
  // .env.local, .npmrc, credentials.json, id_rsa, certs/server.pem
  'NEVER-READ-env-local-value',
  'NEVER-READ-npmrc-token',
  'NEVER-READ-credentials-json',
  'NEVER-READ-id_rsa',
  'NEVER-READ-server-pem',
  // .env.example (read, strictly redacted)
  'ExampleFileSecretValue',
  'ExampleFileDbPassw0rd',
  // config.ts
  'sk-proj-ConfigTsFake0123456789abcdefghijklmnopq',
  'ConfigTsDbPassw0rd',
  'cfgTsAwsSecret/9bQe2Kx7LmN4pR8sT1vW3yZ6aC0dF5',
  'ConfigTs-session-secret-4711',
  'a9F3kQ7zL2mX8pV4tR6wY1uE5oI0sD3g',
  // src/server.js (a JWT), src/notes.js (a key split by a zero-width space, in both spellings)
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmaXh0dXJlLXNlcnZpY2UifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_fixture',
  'sk-proj-ZeroWidthSplit0123456789abcdefghijkl',
  'sk-proj-Zero\u200bWidthSplit0123456789abcdefghijkl',
  // k8s/db-secret.yaml (base64 of "fixture-k8s-secret-value"), docker-compose.yml
  'Zml4dHVyZS1rOHMtc2VjcmV0LXZhbHVl',
  'ComposeFixturePassw0rd',
];

/**
 * The shapes of those secrets, for asserting on text that was transformed on the way (JSON-escaped,
 * split into chunks): none may match anything sent. They are narrower than the redaction patterns
 * so ordinary prompt text cannot match them.
 */
export const SECRET_PATTERNS: readonly RegExp[] = [
  /\bAKIA[0-9A-Z]{16}\b/,
  /wJalrXUtnFEMI/,
  /sk-proj-[A-Za-z0-9_\u200b-]{20,}/,
  /[A-Za-z]+DbPassw0rd/,
  /NEVER-READ-[\w-]+/,
  /ExampleFileSecretValue/,
  /cfgTsAwsSecret/,
  /ConfigTs-session-secret/,
  /a9F3kQ7zL2mX8pV4/,
  /eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJ/,
  /Zml4dHVyZS1rOHMtc2VjcmV0/,
  /ComposeFixturePassw0rd/,
  /[\u{E0000}-\u{E007F}]/u,
];

/** Each planted secret value or secret shape found in `text` (empty when none leaked). */
export function findSecretLeaks(text: string): string[] {
  const leaks = SECRET_VALUES.filter(v => text.includes(v));
  for (const re of SECRET_PATTERNS) {
    const m = re.exec(text);
    if (m) { leaks.push(`${re}: ${m[0]}`); }
  }
  return leaks;
}

/** A FileSource over an in-memory folder that records every read, for tests that must prove a file was never opened. */
export interface MemorySource extends FileSource {
  reads: string[];
  /** The byte limit each read asked for, by path. */
  limits: Map<string, number>;
}

/**
 * `files` maps relative paths to contents (string or bytes). Sizes are given unless `sizes` is false;
 * `delayMs` makes each read wait, for cancellation tests.
 */
export function memorySource(files: Record<string, string | Uint8Array>, options: { sizes?: boolean; delayMs?: number } = {}): MemorySource {
  const bytes = new Map<string, Uint8Array>();
  for (const [p, c] of Object.entries(files)) { bytes.set(p, typeof c === 'string' ? new TextEncoder().encode(c) : c); }
  const reads: string[] = [];
  const limits = new Map<string, number>();
  return {
    reads,
    limits,
    list: async (): Promise<FileEntry[]> => [...bytes].map(([p, b]) => (options.sizes === false ? { path: p } : { path: p, size: b.length })),
    read: async (p: string, maxBytes: number): Promise<Uint8Array> => {
      reads.push(p);
      limits.set(p, maxBytes);
      if (options.delayMs) { await new Promise(r => setTimeout(r, options.delayMs)); }
      const b = bytes.get(p);
      if (!b) { throw Object.assign(new Error(`no such file ${p}`), { code: 'ENOENT' }); }
      return b.subarray(0, maxBytes);
    },
  };
}
