import * as os from 'node:os';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Services } from '../design/vscode/sessions';

/** A definition in the Claude Code subagent format, which every tool we read understands. */
export function agentTemplate(name: string): string {
  return `---
name: ${name}
description: One sentence on what this agent does and when to use it.
model: inherit
---

You are a ... (who the agent is and what it is expert in).

## Focus
- ...

## How you work
1. ...

## What you deliver
- ...
`;
}

const validName = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** New Agent Definition: asks a name and a place, writes the template there, opens it. */
async function newAgent(s: Services): Promise<vscode.Uri | undefined> {
  const name = await vscode.window.showInputBox({
    title: 'New Agent Definition',
    prompt: 'Name of the agent (lower case, digits and dashes)',
    placeHolder: 'e.g. api-reviewer',
    validateInput: v => validName.test(v) ? undefined : 'Use lower-case letters, digits and dashes, starting with a letter or digit.',
  });
  if (!name) { return undefined; }
  type Item = vscode.QuickPickItem & { dir: vscode.Uri; file: string };
  const items: Item[] = [];
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder && vscode.workspace.isTrusted) {
    items.push({ label: '$(folder) Workspace: .claude/agents/', description: 'shared with the project (Claude Code format)', dir: vscode.Uri.joinPath(folder.uri, '.claude', 'agents'), file: `${name}.md` });
    items.push({ label: '$(folder) Workspace: .github/agents/', description: 'shared with the project (VS Code custom agent)', dir: vscode.Uri.joinPath(folder.uri, '.github', 'agents'), file: `${name}.agent.md` });
  }
  items.push({ label: '$(account) User: ~/.claude/agents/', description: 'only you, every workspace', dir: vscode.Uri.file(`${os.homedir()}/.claude/agents`), file: `${name}.md` });
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Where should the agent live?',
    placeHolder: vscode.workspace.isTrusted ? undefined : 'This workspace is not trusted, so its agents are not loaded: only a user-level agent can be created',
  });
  if (!pick) { return undefined; }
  const uri = vscode.Uri.joinPath(pick.dir, pick.file);
  try {
    await vscode.workspace.fs.stat(uri);
    void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(uri)} already exists; choose another name.`);
    return undefined;
  } catch {
    // does not exist yet: good
  }
  await vscode.workspace.fs.createDirectory(pick.dir);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(agentTemplate(name)));
  s.registry.invalidate();
  await vscode.window.showTextDocument(uri);
  return uri;
}

export function registerAgentCommands(context: vscode.ExtensionContext, s: Services): void {
  context.subscriptions.push(vscode.commands.registerCommand(Commands.newAgent, () => newAgent(s)));
}
