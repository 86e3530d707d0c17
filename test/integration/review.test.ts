// Review Architecture in a real VS Code: the model reads the folder with the read-only tools (secrets kept
// out of everything it is sent), each call is a step of the answer, and verified findings go to the Problems
// panel on the lines they name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TurnRecord } from '../../src/protocol';
import { findSecretLeaks, secretsAppDir } from '../unit/context/contextFixtures';
import { ModelServer, toolResults } from '../support/modelServer';
import { until } from '../support/until';
import { forgetEndpoint, useEndpoint } from '../support/endpoint';

const section = 'backendArchitect';

const findingsAnswer = [
  'The config holds a hard-coded key and the server trusts every origin.',
  '```findings',
  JSON.stringify([
    { severity: 'error', title: 'Hard-coded API key', rationale: 'Move it to a secret store.', file: 'config.ts', line: 3 },
    { severity: 'warning', title: 'CORS allows every origin', rationale: 'List the front-end origins.', file: 'src/server.js', line: 2 },
    { severity: 'info', title: 'Add a health endpoint', rationale: 'For the load balancer.' },
    { severity: 'warning', title: 'A file that is not there', rationale: 'Made up.', file: 'src/payments.js', line: 4 },
    { severity: 'warning', title: 'A line past the end', rationale: 'Misremembered.', file: 'config.ts', line: 999 },
  ]),
  '```',
].join('\n');

suite('Review Architecture: context and findings', () => {
  let server: ModelServer;
  let folder: vscode.Uri;
  let outside: string;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    await useEndpoint(server);
    folder = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'secrets-app');
    fs.cpSync(secretsAppDir, folder.fsPath, { recursive: true });
    // A link inside the folder to a file outside it: the tools never follow it.
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-outside-'));
    fs.writeFileSync(path.join(outside, 'notes.ts'), 'export const canary = "OUTSIDE-CANARY-7f3a";\n');
    fs.symlinkSync(path.join(outside, 'notes.ts'), path.join(folder.fsPath, 'linked.ts'));
  });
  suiteTeardown(async () => {
    await forgetEndpoint();
    await vscode.commands.executeCommand('backendArchitect.clearFindings');
    fs.rmSync(folder.fsPath, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await server.close();
  });

  test('the model reads the folder with tools, and no secret value reaches any request', async () => {
    server.requests.length = 0;
    server.enqueue(
      { toolCalls: [
        { id: 'a', name: 'read_file', arguments: { path: 'config.ts' } },
        { id: 'b', name: 'read_file', arguments: { path: '.env' } },
        { id: 'c', name: 'search_text', arguments: { query: 'sk-proj' } },
        { id: 'd', name: 'read_file', arguments: { path: 'linked.ts' } },
      ] },
      { content: findingsAnswer },
    );
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.reviewArchitecture`, folder);
    assert.equal(result.status, 'complete');
    assert.equal(server.completions.length, 2, server.requests.map(r => `${r.method} ${r.path}`).join(', '));
    assert.match(JSON.stringify(server.completions[0].body.messages), /findings/, 'the review asks for findings in a block');
    const [config, env, , linked] = toolResults(server.completions[1]);
    assert.match(config.content, /^config\.ts, lines 1-10 of 10 \(\d+ secret-looking values replaced with \[redacted\]\):/, 'the config file was read, redacted');
    assert.match(env.content, /^Not read: a secret \(environment file/);
    assert.match(linked.content, /symbolic link/, 'the link is not followed');
    assert.deepEqual(result.steps?.map(st => [st.label, st.state]), [['Read config.ts', 'done'], ['Read .env', 'failed'], ['Searched `sk-proj`', 'done'], ['Read linked.ts', 'failed']]);
    for (const r of server.requests) { assert.deepEqual(findSecretLeaks(JSON.stringify(r.body ?? null)), [], 'no planted secret in any request'); }
    assert.doesNotMatch(JSON.stringify(server.requests.map(r => r.body ?? null)), /OUTSIDE-CANARY/, 'nothing from outside the folder');
  });

  test('findings land in the Problems panel on their lines, and Clear Review Findings removes them', async () => {
    const config = vscode.Uri.joinPath(folder, 'config.ts');
    const serverJs = vscode.Uri.joinPath(folder, 'src', 'server.js');
    await until(() => vscode.languages.getDiagnostics(config).length > 0, 'the review\'s findings in the Problems panel');
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

  test('findings on files or lines that are not there are unverified and stay out of the Problems panel', async () => {
    server.enqueue({ toolCalls: [{ name: 'read_file', arguments: { path: 'config.ts' } }] }, { content: findingsAnswer });
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.reviewArchitecture`, folder);
    const config = vscode.Uri.joinPath(folder, 'config.ts');
    // The command hands back the turn itself; its findings are set once the answer's checks ran.
    await until(() => !!result.findings?.length, 'the findings');
    const verdicts = Object.fromEntries(result.findings!.map(f => [f.title, f.verified]));
    assert.deepEqual(verdicts, {
      'Hard-coded API key': true, 'CORS allows every origin': true, 'Add a health endpoint': undefined,
      'A file that is not there': false, 'A line past the end': false,
    });
    assert.deepEqual(vscode.languages.getDiagnostics(config).map(d => d.message.split(':')[0]), ['Hard-coded API key']);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.joinPath(folder, 'src', 'payments.js')).length, 0);
    await vscode.commands.executeCommand('backendArchitect.clearFindings');
  });
});

suite('Review Architecture of the sample workspace: the model reads two files', () => {
  let server: ModelServer;

  suiteSetup(async () => {
    await vscode.extensions.getExtension('backend-architect.backend-architect')!.activate();
    server = await ModelServer.start({ quiet: true });
    await useEndpoint(server, 'reader');
  });
  suiteTeardown(async () => {
    await forgetEndpoint();
    await vscode.commands.executeCommand('backendArchitect.clearFindings');
    await server.close();
  });

  test('each read is a step of the answer with what the model was sent, and the findings point at real lines', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    server.requests.length = 0;
    server.enqueue(
      { content: 'Reading the order route and the database client.', toolCalls: [
        { id: 'r1', name: 'read_file', arguments: { path: 'src/routes/orders.js', startLine: 1, endLine: 14 } },
        { id: 'r2', name: 'read_file', arguments: { path: 'src/db/client.js' } },
      ] },
      { content: ['Orders are created without validation.', '```findings',
        JSON.stringify([{ severity: 'error', title: 'Order requests are not validated', rationale: 'Validate the body.', file: 'src/routes/orders.js', line: 7 }]), '```'].join('\n') },
    );
    const result = await vscode.commands.executeCommand<TurnRecord>(`${section}.reviewArchitecture`, root);
    assert.equal(result.status, 'complete');
    const opening = server.completions[0].body.messages[1].content as string;
    assert.match(opening, /Workspace overview by Backend Architect/);
    assert.match(opening, /Stack: .*Express/);
    assert.doesNotMatch(opening, /ordersRouter\.post/, 'the first request carries no file contents');
    assert.doesNotMatch(JSON.stringify(server.requests.map(r => r.body)), /not-a-real-password|sk_test_sample_workspace/, '.env is never read');
    assert.deepEqual(result.steps?.map(st => [st.label, st.state, st.summary]), [
      ['Read src/routes/orders.js 1-14', 'done', '14 of 22 lines'],
      ['Read src/db/client.js', 'done', '5 of 5 lines'],
    ]);
    const [orders, client] = toolResults(server.completions[1]);
    assert.equal(result.steps![0].detail, orders.content, 'the step holds exactly what the model was sent');
    assert.match(orders.content, /\n 7\| ordersRouter\.post\('\/', async \(req, res\) => \{\n/);
    assert.match(client.content, /\n4\| const prisma = new PrismaClient\(\);/);
    const file = vscode.Uri.joinPath(root, 'src', 'routes', 'orders.js');
    await until(() => vscode.languages.getDiagnostics(file).length > 0, 'the finding in the Problems panel');
    assert.equal(vscode.languages.getDiagnostics(file)[0].range.start.line, 6);
    assert.equal(result.findings?.[0].verified, true);
  });
});
