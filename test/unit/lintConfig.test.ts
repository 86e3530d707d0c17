import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { repoRoot } from './agents/agentPaths';

/**
 * The lint configuration is the layering written down; these tests prove each rule bites. Each case lints
 * a fixture text as if it were a real file of the repository (typed linting needs a file the project knows),
 * so the verdict is the one `npm run lint` would give for that change.
 */
describe('lint config: the layers', function () {
  // Typed linting builds a TypeScript program on first use: seconds on a busy machine.
  this.timeout(120_000);
  const eslint = new ESLint({ cwd: repoRoot });

  async function lint(file: string, text: string): Promise<{ rule: string | null; message: string }[]> {
    const [result] = await eslint.lintText(text, { filePath: path.join(repoRoot, file) });
    return result.messages.map(m => ({ rule: m.ruleId, message: m.message }));
  }
  const rules = (messages: { rule: string | null }[]): (string | null)[] => messages.map(m => m.rule);

  it('fails a pure file that imports vscode at run time', async () => {
    const messages = await lint('src/agents/parse.ts', "import * as vscode from 'vscode';\nexport const where = vscode.window;\n");
    assert.ok(rules(messages).includes('no-restricted-imports'), JSON.stringify(messages));
    assert.match(messages.find(m => m.rule === 'no-restricted-imports')!.message, /Pure code runs in the CLI/);
  });

  it('lets a pure file take types from vscode, and an edge file import it', async () => {
    assert.deepEqual(rules(await lint('src/agents/parse.ts', "import type * as vscode from 'vscode';\nexport type Where = vscode.Uri;\n")), []);
    assert.deepEqual(rules(await lint('src/agents/vscode/registry.ts', "import * as vscode from 'vscode';\nexport const where = vscode.window;\n")), []);
  });

  it('fails pure code (the CLI included) that imports an edge file', async () => {
    const fromCore = await lint('src/artifacts/validate.ts', "import { ArtifactWriter } from './vscode/writer';\nexport const W = ArtifactWriter;\n");
    assert.ok(rules(fromCore).includes('import-x/no-restricted-paths'), JSON.stringify(fromCore));
    const fromCli = await lint('src/cli.ts', "import { showSession } from './views/webviewHost';\nexport const s = showSession;\n");
    assert.ok(rules(fromCli).includes('import-x/no-restricted-paths'), JSON.stringify(fromCli));
  });

  it('fails a lower capability that reaches up into design/, and design reaching into views/', async () => {
    const up = await lint('src/context/scan.ts', "import { systemPrompt } from '../design/prompt';\nexport const p = systemPrompt;\n");
    assert.ok(rules(up).includes('import-x/no-restricted-paths'), JSON.stringify(up));
    const edgeUp = await lint('src/llm/vscode/vscodeLm.ts', "import type { Conversation } from '../../design/conversation';\nexport type C = Conversation;\n");
    assert.ok(rules(edgeUp).includes('import-x/no-restricted-paths'), JSON.stringify(edgeUp));
    const screen = await lint('src/design/vscode/sessions.ts', "import { MermaidBridge } from '../../views/mermaidBridge';\nexport const b = new MermaidBridge();\n");
    assert.ok(rules(screen).includes('import-x/no-restricted-paths'), JSON.stringify(screen));
  });

  it('lets the webview take the protocol from src/ and nothing else', async () => {
    assert.deepEqual(rules(await lint('webview/diagrams.ts', "import type { HostMessage } from '../src/protocol';\nexport type M = HostMessage;\n")), []);
    const other = await lint('webview/diagrams.ts', "import type { ChatMessage } from '../src/llm/types';\nexport type M = ChatMessage;\n");
    assert.ok(rules(other).includes('import-x/no-restricted-paths'), JSON.stringify(other));
  });

  it('fails an import cycle', async () => {
    // parse.ts imports unicode.ts at run time; unicode.ts importing parse.ts back closes the loop.
    const messages = await lint('src/agents/unicode.ts', "import { parseAgentDefinition } from './parse';\nexport const p = parseAgentDefinition;\n");
    assert.ok(rules(messages).includes('import-x/no-cycle'), JSON.stringify(messages));
  });

  it('fails a floating promise', async () => {
    const messages = await lint('src/llm/watchdog.ts', 'async function later(): Promise<void> { /* nothing */ }\nexport function run(): void { later(); }\n');
    assert.ok(rules(messages).includes('@typescript-eslint/no-floating-promises'), JSON.stringify(messages));
  });
});
