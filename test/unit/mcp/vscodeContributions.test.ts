// package.json describes the chat participant, the model provider, the language-model tools and the MCP
// server definition provider; the code registers them under ids in src/constants.ts, and the tools' schemas
// come from the one catalogue MCP uses. A drift between them fails silently in VS Code, so it fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChatIds } from '../../../src/constants';
import { modeOfCommand } from '../../../src/chat/history';
import { toolJsonSchema } from '../../../src/mcp/toolSchemas';
import { ARCHITECT_TOOLS } from '../../../src/mcp/tools';
import { repoRoot } from '../agents/agentPaths';

interface ToolEntry {
  name: string; toolReferenceName: string; displayName: string; userDescription: string; modelDescription: string;
  canBeReferencedInPrompt: boolean; inputSchema: unknown; when?: string;
}
const contributes = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).contributes;

describe('package.json: what the extension adds to VS Code\'s chat', () => {
  it('each catalogue tool is a language-model tool whose input schema is toolJsonSchema of the catalogue\'s', () => {
    const tools = contributes.languageModelTools as ToolEntry[];
    assert.deepEqual(tools.map(t => t.name), ARCHITECT_TOOLS.map(t => `${ChatIds.toolPrefix}${t.name}`));
    for (const [i, tool] of ARCHITECT_TOOLS.entries()) {
      const entry = tools[i];
      assert.deepEqual(entry.inputSchema, toolJsonSchema(tool.inputSchema, 'input'), `${tool.name}: inputSchema`);
      assert.equal(entry.modelDescription, tool.description, `${tool.name}: the model reads the same description as over MCP`);
      assert.equal(entry.displayName, tool.title);
      assert.ok(entry.userDescription.length > 20 && entry.userDescription.length < 200, `${tool.name}: a user description`);
      assert.equal(entry.canBeReferencedInPrompt, true);
      assert.match(entry.toolReferenceName, /^[\w-]+$/, 'VS Code refuses a reference name with spaces');
      assert.match(entry.name, /^(?!copilot_|vscode_)[\w-]+$/);
    }
    assert.equal(new Set(tools.map(t => t.toolReferenceName)).size, tools.length, 'reference names are unique');
  });

  it('the tool that reads the workspace is off in Restricted Mode; the checks are not', () => {
    const tools = contributes.languageModelTools as ToolEntry[];
    assert.deepEqual(tools.filter(t => t.when).map(t => [t.name, t.when]), [[`${ChatIds.toolPrefix}workspace_context`, 'isWorkspaceTrusted']]);
  });

  it('@architect is sticky, with /design and /review, under the id the code registers', () => {
    const [participant, ...others] = contributes.chatParticipants;
    assert.equal(others.length, 0);
    assert.equal(participant.id, ChatIds.participant);
    assert.equal(participant.name, 'architect');
    assert.equal(participant.isSticky, true);
    assert.deepEqual(participant.commands.map((c: { name: string }) => c.name), ['design', 'review']);
    for (const c of participant.commands) { assert.equal(modeOfCommand(c.name), c.name, 'each command is a mode the planner knows'); }
  });

  it('the model provider and the MCP server provider are declared under the registered ids', () => {
    assert.deepEqual(contributes.languageModelChatProviders.map((p: { vendor: string }) => p.vendor), [ChatIds.vendor]);
    assert.deepEqual(contributes.mcpServerDefinitionProviders, [{ id: ChatIds.mcpProvider, label: 'Backend Architect', when: 'isWorkspaceTrusted' }]);
  });
});
