// Review Architecture in a real VS Code: the folder's context (with secrets kept out of the request), and
// findings in the Problems panel on the lines they name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TurnRecord } from '../../src/protocol';
import { findSecretLeaks, secretsAppDir } from '../unit/context/contextFixtures';
import { ModelServer } from '../support/modelServer';

const section = 'backendArchitect';

const findingsAnswer = [
  'The config holds a hard-coded key and the server trusts every origin.',
  '```findings',
  JSON.stringify([
    { severity: 'error', title: 'Hard-coded API key', rationale: 'Move it to a secret store.', file: 'config.ts', line: 3 },
    { severity: 'warning', title: 'CORS allows every origin', rationale: 'List the front-end origins.', file: 'src/server.js', line: 2 },
    { severity: 'info', title: 'Add a health endpoint', rationale: 'For the load balancer.' },
  ]),
  '```',
].join('\n');

suite('Review Architecture: context and findings', () => {
  let server: ModelServer;
  let folder: vscode.Uri;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    const c = vscode.workspace.getConfiguration(section);
    await c.update('provider', 'custom', vscode.ConfigurationTarget.Global);
    await c.update('baseURL', server.url, vscode.ConfigurationTarget.Global);
    await c.update('model', 'm', vscode.ConfigurationTarget.Global);
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'secrets-app');
    fs.cpSync(secretsAppDir, folder.fsPath, { recursive: true });
  });
  suiteTeardown(async () => {
    const c = vscode.workspace.getConfiguration(section);
    for (const k of ['provider', 'baseURL', 'model']) { await c.update(k, undefined, vscode.ConfigurationTarget.Global); }
    await vscode.commands.executeCommand('backendArchitect.clearFindings');
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
    await server.close();
  });

  test('the folder is read for the model, but no secret value reaches the request', async () => {
    server.enqueue({ content: findingsAnswer });
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.reviewArchitecture`, folder);
    assert.equal(result.status, 'complete');
    const body = JSON.stringify(server.requests.at(-1)!.body);
    assert.match(body, /config\.ts/, 'the config file was read');
    assert.match(body, /findings/, 'the review asks for findings in a block');
    assert.deepEqual(findSecretLeaks(body), [], 'no planted secret in the request');
  });

  test('findings land in the Problems panel on their lines, and Clear Review Findings removes them', async () => {
    const config = vscode.Uri.joinPath(folder, 'config.ts');
    const serverJs = vscode.Uri.joinPath(folder, 'src', 'server.js');
    const end = Date.now() + 10000;
    while (vscode.languages.getDiagnostics(config).length === 0 && Date.now() < end) { await new Promise(r => setTimeout(r, 100)); }
    const [d] = vscode.languages.getDiagnostics(config);
    assert.ok(d, 'a diagnostic on config.ts');
    assert.equal(d.range.start.line, 2);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.match(d.message, /^Hard-coded API key/);
    const [w] = vscode.languages.getDiagnostics(serverJs);
    assert.equal(w.range.start.line, 1);
    assert.equal(w.severity, vscode.DiagnosticSeverity.Warning);
    await vscode.commands.executeCommand('backendArchitect.clearFindings');
    assert.equal(vscode.languages.getDiagnostics(config).length, 0);
  });
});
