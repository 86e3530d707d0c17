import * as assert from 'node:assert/strict';
import { nodeFileSource } from '../../../src/context/nodeFileSource';
import { formatContextForPrompt } from '../../../src/context/promptFormat';
import { scanWorkspace } from '../../../src/context/scan';
import type { FileSource, WorkspaceContext } from '../../../src/context/types';
import { findSecretLeaks, SECRET_VALUES, secretsAppDir } from './contextFixtures';

const NEVER_READ = ['.env', '.env.local', '.npmrc', 'credentials.json', 'id_rsa', 'certs/server.pem'];

/** The node source, recording every path it is asked to read. */
function recording(): FileSource & { reads: string[] } {
  const inner = nodeFileSource(secretsAppDir);
  const reads: string[] = [];
  return { reads, list: s => inner.list(s), read: (p, n) => { reads.push(p); return inner.read(p, n); } };
}

describe('context scan of a workspace with secrets (THREATS T13)', () => {
  let ctx: WorkspaceContext;
  let reads: string[];

  before(async () => {
    const src = recording();
    ctx = await scanWorkspace(src, { tokenBudget: 24_000 });
    reads = src.reads;
  });

  it('never opens .env, key, certificate or credentials files', () => {
    for (const p of NEVER_READ) {
      assert.ok(!reads.includes(p), `${p} was read`);
      assert.match(ctx.skipped.find(s => s.path === p)?.why ?? '', /^secret: .*never read$/, p);
    }
  });

  it('sends none of the planted secret values, in the prompt or anywhere in the result', () => {
    assert.deepEqual(findSecretLeaks(formatContextForPrompt(ctx)), []);
    assert.deepEqual(findSecretLeaks(JSON.stringify(ctx)), []);
    assert.ok(SECRET_VALUES.length >= 20);
  });

  it('redacts secrets in files it does read, and says how many', () => {
    const counts = Object.fromEntries(ctx.files.map(f => [f.path, f.redactions]));
    assert.equal(counts['config.ts'], 5);
    assert.equal(counts['src/server.js'], 1);
    assert.equal(counts['src/notes.js'], 1);
    assert.equal(counts['k8s/db-secret.yaml'], 2);
    assert.equal(counts['docker-compose.yml'], 1);
    assert.equal(counts['.env.example'], 2);
    const config = ctx.files.find(f => f.path === 'config.ts')!.content;
    assert.match(config, /openaiApiKey: '\[redacted\]'/);
    assert.match(config, /databaseUrl: 'postgres:\/\/app:\[redacted\]@localhost:5432\/app'/);
    assert.match(config, /region: 'eu-west-1'/, 'ordinary values stay');
    assert.match(ctx.files.find(f => f.path === 'src/server.js')!.content, /apiKey: process\.env\.OPENAI_API_KEY/);
  });

  it('strips the hidden instruction and catches the key a zero-width space tried to split', () => {
    const notes = ctx.files.find(f => f.path === 'src/notes.js')!;
    assert.ok(notes.hiddenUnicode > 40, `${notes.hiddenUnicode}`);
    assert.equal(notes.content, "// Release notes for the team.\nconst legacyKey = '[redacted]';\nmodule.exports = { legacyKey };\n");
  });

  it('stays closed when the person adds the secret files and the budget is tiny', async () => {
    const src = recording();
    const small = await scanWorkspace(src, { tokenBudget: 600, include: [...NEVER_READ, '**/*'] });
    assert.deepEqual(src.reads.filter(p => NEVER_READ.includes(p)), []);
    assert.deepEqual(findSecretLeaks(formatContextForPrompt(small)), []);
  });
});
