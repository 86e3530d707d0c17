import * as os from 'node:os';
import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../constants';
import type { AgentInfo } from '../protocol';
import type { AgentProblem } from './parse';

export type AgentOrigin = 'workspace' | 'user' | 'setting' | 'bundled';

export interface LoadedAgent {
  name: string;
  description: string;
  body: string;
  origin: AgentOrigin;
  uri: vscode.Uri;
  problems: AgentProblem[];
}

/** Where agents are looked for, highest precedence first. Workspace folders only in a trusted workspace. */
function searchRoots(extensionUri: vscode.Uri): { origin: AgentOrigin; base: vscode.Uri; pattern: string }[] {
  const roots: { origin: AgentOrigin; base: vscode.Uri; pattern: string }[] = [];
  if (vscode.workspace.isTrusted) {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      roots.push({ origin: 'workspace', base: f.uri, pattern: '.claude/agents/**/*.md' });
      roots.push({ origin: 'workspace', base: f.uri, pattern: '.github/agents/*.agent.md' });
      roots.push({ origin: 'workspace', base: f.uri, pattern: '.github/chatmodes/*.chatmode.md' });
    }
  }
  roots.push({ origin: 'user', base: vscode.Uri.file(`${os.homedir()}/.claude/agents`), pattern: '**/*.md' });
  for (const folder of vscode.workspace.getConfiguration(ConfigSection).get<string[]>(Settings.agentFolders, [])) {
    roots.push({ origin: 'setting', base: vscode.Uri.file(folder.replace(/^~(?=\/|$)/, os.homedir())), pattern: '**/*.md' });
  }
  roots.push({ origin: 'bundled', base: vscode.Uri.joinPath(extensionUri, 'agents'), pattern: '*.md' });
  return roots;
}

async function filesUnder(base: vscode.Uri, pattern: string): Promise<vscode.Uri[]> {
  try {
    await vscode.workspace.fs.stat(base);
  } catch {
    return [];
  }
  return vscode.workspace.findFiles(new vscode.RelativePattern(base, pattern), undefined, 500);
}

/**
 * Finds and parses agent definitions. Reads happen on demand (when a command runs or the picker opens),
 * never at activation.
 */
export class AgentRegistry {
  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {}

  /** Every agent found, in precedence order; a later agent with the same name is shadowed, not dropped. */
  async list(): Promise<LoadedAgent[]> {
    const agents: LoadedAgent[] = [];
    for (const root of searchRoots(this.extensionUri)) {
      for (const uri of await filesUnder(root.base, root.pattern)) {
        const loaded = await this.load(uri, root.origin);
        if (loaded) { agents.push(loaded); }
      }
    }
    return agents;
  }

  private async load(uri: vscode.Uri, origin: AgentOrigin): Promise<LoadedAgent | undefined> {
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      // The YAML and front-matter parsers load when the first agent is read, not at activation.
      const { parseAgentDefinition } = await import('./parse');
      const result = parseAgentDefinition(bytes, uri.fsPath);
      if (!result.agent) {
        this.log.warn(`agent file ${uri.fsPath}: ${result.problems.map((p: AgentProblem) => `line ${p.line}: ${p.message}`).join('; ')}`);
        return undefined;
      }
      const a = result.agent;
      return { name: a.name, description: a.description, body: a.body, origin, uri, problems: result.problems };
    } catch (e) {
      this.log.warn(`could not read agent file ${uri.fsPath}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** The agent with this name (highest precedence), else the bundled backend-architect. */
  async get(name: string): Promise<LoadedAgent> {
    const all = await this.list();
    const found = all.find(a => a.name === name) ?? all.find(a => a.name === 'backend-architect' && a.origin === 'bundled');
    if (!found) { throw new Error('The bundled backend-architect agent is missing from this installation.'); }
    return found;
  }
}

/** What the webview header shows about an agent. */
export function agentInfo(a: LoadedAgent): AgentInfo {
  return { name: a.name, description: a.description, origin: a.origin === 'bundled' ? 'bundled' : `${a.origin}: ${vscode.workspace.asRelativePath(a.uri)}` };
}
