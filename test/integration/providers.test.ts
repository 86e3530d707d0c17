// Model providers in a real VS Code: keys in SecretStorage per origin, Test Connection, Azure OpenAI's
// request shape, and errors that come with the way forward.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BackendArchitectApi } from '../../src/extension';
import type { TurnRecord } from '../../src/protocol';
import { ModelServer } from '../support/modelServer';

const section = 'backendArchitect';
const extensionId = 'backend-architect.backend-architect';
const key = 'sk-it-secret-0123456789abcdef';

interface Verdict { ok: boolean; message: string; models?: string[]; actions?: string[]; }

async function configure(values: Record<string, unknown>): Promise<void> {
  const c = vscode.workspace.getConfiguration(section);
  for (const [k, v] of Object.entries(values)) { await c.update(k, v, vscode.ConfigurationTarget.Global); }
}

async function design(request: string): Promise<TurnRecord> {
  return vscode.commands.executeCommand<TurnRecord>(`${section}.designBackend`, { request });
}

suite('Model providers in a real VS Code', () => {
  let one: ModelServer;
  let two: ModelServer;
  suiteSetup(async () => {
    await vscode.extensions.getExtension(extensionId)!.activate();
    one = await ModelServer.start({ quiet: true, models: ['alpha', 'beta'] });
    two = await ModelServer.start({ quiet: true });
  });
  suiteTeardown(async () => {
    for (const s of [one, two]) {
      await configure({ provider: 'custom', baseURL: s.url });
      await vscode.commands.executeCommand(`${section}.setApiKey`, { key: '' });
    }
    await configure({ provider: undefined, baseURL: undefined, model: undefined, azureApiVersion: undefined });
    await one.close();
    await two.close();
  });

  test('a key set for one endpoint is sent there, and never to another origin', async () => {
    await configure({ provider: 'custom', baseURL: one.url, model: 'alpha' });
    assert.equal(await vscode.commands.executeCommand(`${section}.setApiKey`, { key }), true);
    one.enqueue({ content: 'from one' });
    assert.equal((await design('x')).text, 'from one');
    assert.equal(one.completions.at(-1)!.headers.authorization, `Bearer ${key}`);

    await configure({ baseURL: two.url });
    two.enqueue({ content: 'from two' });
    assert.equal((await design('y')).text, 'from two');
    assert.equal(two.completions.at(-1)!.headers.authorization, undefined, 'the other origin gets no key');

    const chatState = JSON.stringify(vscode.extensions.getExtension<BackendArchitectApi>(extensionId)!.exports.chat().turns);
    assert.ok(!chatState.includes(key), 'the key is not in any conversation state');
  });

  test('Test Connection lists the models, and names the next step when the model is not offered', async () => {
    await configure({ provider: 'custom', baseURL: one.url, model: 'alpha' });
    const ok = await vscode.commands.executeCommand<Verdict>(`${section}.testConnection`, { quiet: true });
    assert.equal(ok.ok, true, ok.message);
    assert.deepEqual(ok.models, ['alpha', 'beta']);
    assert.match(ok.message, /2 models offered; answers will use alpha/);
    await configure({ model: 'gamma' });
    const missing = await vscode.commands.executeCommand<Verdict>(`${section}.testConnection`, { quiet: true });
    assert.equal(missing.ok, false);
    assert.deepEqual(missing.actions, ['selectModel']);
    assert.match(missing.message, /does not offer the model "gamma"/);
  });

  test('an endpoint that is not running says so, with Open Settings', async () => {
    const down = await ModelServer.start({ quiet: true });
    const url = down.url;
    await down.close();
    await configure({ provider: 'custom', baseURL: url, model: 'alpha' });
    const v = await vscode.commands.executeCommand<Verdict>(`${section}.testConnection`, { quiet: true });
    assert.equal(v.ok, false);
    assert.ok(v.actions?.includes('openSettings'), JSON.stringify(v));
    assert.match(v.message, /Could not reach|running/i);
  });

  test('a rejected key fails the answer with Set API Key, without echoing the key', async () => {
    await configure({ provider: 'custom', baseURL: one.url, model: 'alpha' });
    one.enqueue({ fault: 'S21-401' });
    const result = await design('z');
    assert.equal(result.status, 'failed');
    assert.ok(result.actions?.includes('setApiKey'));
    assert.ok(!(result.note ?? '').includes(key));
  });

  test('VS Code language models: where the editor offers none, the answer says so at once', async () => {
    await configure({ provider: 'vscode-lm', baseURL: undefined, model: undefined });
    const before = one.completions.length + two.completions.length;
    const result = await design('v');
    assert.equal(result.status, 'failed');
    assert.match(result.note ?? '', /VS Code offers no language model here/);
    assert.ok(result.actions?.includes('openSettings'));
    assert.equal(one.completions.length + two.completions.length, before, 'no chat request was made');
  });

  test('Azure OpenAI: deployment in the path, api-version in the query, the key in api-key', async () => {
    await configure({ provider: 'azure', baseURL: one.origin, model: 'my-deployment', azureApiVersion: '2024-10-21' });
    await vscode.commands.executeCommand(`${section}.setApiKey`, { key });
    one.enqueue({ content: 'azure answer' });
    const result = await design('w');
    assert.equal(result.text, 'azure answer');
    const req = one.completions.at(-1)!;
    assert.equal(req.path, '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21');
    assert.equal(req.headers['api-key'], key);
    assert.equal(req.headers.authorization, undefined);
  });
});
