import * as os from 'node:os';
import * as vscode from 'vscode';
import { ConfigSection, Settings } from '../../constants';
import type { AgentInfo } from '../../protocol';
import type { AgentProblem } from '../types';
import { loadBundle, type AgentParserBundle } from '../../lazy';

export type AgentOrigin = 'workspace' | 'user' | 'setting' | 'bundled';

export interface LoadedAgent {
  name: string;
  description: string;
  body: string;
  origin: AgentOrigin;
  uri: vscode.Uri;
  /** Provider model after the modelMap setting; undefined means the configured default model. */
  model?: string;
  problems: AgentProblem[];
}

/** A definition file that yielded no agent, with why. */
export interface RejectedAgentFile {
  uri: vscode.Uri;
  origin: AgentOrigin;
  problems: AgentProblem[];
}

interface SearchRoot { origin: AgentOrigin; base: vscode.Uri; pattern: string; }

/** Workspace locations people keep agents in (Claude Code, VS Code custom agents, older chat modes). */
export const workspaceAgentPatterns = ['.claude/agents/**/*.md', '.github/agents/*.agent.md', '.github/chatmodes/*.chatmode.md'];

function expandHome(p: string): string {
  return p.replace(/^~(?=$|[\\/])/, os.homedir());
}

/**
 * Where agents are looked for, highest precedence first: workspace (only when trusted: THREATS T7), user
 * folders (Claude Code's and VS Code's own user prompts folder), folders from settings, bundled.
 */
function searchRoots(context: vscode.ExtensionContext): SearchRoot[] {
  const roots: SearchRoot[] = [];
  if (vscode.workspace.isTrusted) {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      for (const pattern of workspaceAgentPatterns) { roots.push({ origin: 'workspace', base: f.uri, pattern }); }
    }
  }
  roots.push({ origin: 'user', base: vscode.Uri.file(`${os.homedir()}/.claude/agents`), pattern: '**/*.md' });
  // globalStorageUri is <user data>/User/globalStorage/<extension id>; VS Code keeps user agents in User/prompts.
  const userPrompts = vscode.Uri.joinPath(context.globalStorageUri, '..', '..', 'prompts');
  roots.push({ origin: 'user', base: userPrompts, pattern: '{*.agent.md,*.chatmode.md}' });
  for (const folder of vscode.workspace.getConfiguration(ConfigSection).get<string[]>(Settings.agentFolders, [])) {
    if (typeof folder === 'string' && folder.trim()) {
      roots.push({ origin: 'setting', base: vscode.Uri.file(expandHome(folder.trim())), pattern: '**/*.md' });
    }
  }
  roots.push({ origin: 'bundled', base: vscode.Uri.joinPath(context.extensionUri, 'agents'), pattern: '*.md' });
  return roots;
}

async function filesUnder(root: SearchRoot): Promise<vscode.Uri[]> {
  try {
    await vscode.workspace.fs.stat(root.base);
  } catch {
    return [];
  }
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(root.base, root.pattern), '**/node_modules/**', 1000);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

function toDiagnostic(p: AgentProblem): vscode.Diagnostic {
  const line = Math.max(0, p.line - 1);
  const col = Math.max(0, (p.column ?? 1) - 1);
  const severity = p.severity === 'error' ? vscode.DiagnosticSeverity.Error
    : p.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const d = new vscode.Diagnostic(new vscode.Range(line, col, line, Number.MAX_SAFE_INTEGER), p.message, severity);
  d.source = 'Backend Architect';
  return d;
}

/**
 * Finds, parses and watches agent definitions. Nothing is read at activation: the first list() reads, later
 * calls use the cache until a watched file, a setting or workspace trust changes.
 */
export class AgentRegistry implements vscode.Disposable {
  private cache: Promise<{ agents: LoadedAgent[]; rejected: RejectedAgentFile[] }> | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('backendArchitect.agents');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.changed];
  private watching = false;
  /** Fires after definitions were added, changed or removed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.invalidate()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(`${ConfigSection}.${Settings.agentFolders}`) || e.affectsConfiguration(`${ConfigSection}.${Settings.modelMap}`)) { this.invalidate(); }
      }),
    );
  }

  /** Forget what was read; the next list() reads again. */
  invalidate(): void {
    this.cache = undefined;
    this.changed.fire();
  }

  /** Every agent found, in precedence order; a later agent with the same name is shadowed, not dropped. */
  async list(): Promise<LoadedAgent[]> {
    return (await this.load()).agents;
  }

  /** Definition files that yielded no agent. */
  async rejected(): Promise<RejectedAgentFile[]> {
    return (await this.load()).rejected;
  }

  private load(): Promise<{ agents: LoadedAgent[]; rejected: RejectedAgentFile[] }> {
    this.cache ??= this.readAll();
    return this.cache;
  }

  private async readAll(): Promise<{ agents: LoadedAgent[]; rejected: RejectedAgentFile[] }> {
    const roots = searchRoots(this.context);
    this.watch(roots);
    // The YAML and front-matter parsers load when the first agent is read, not at activation.
    const { parseAgentDefinition, MAX_AGENT_FILE_BYTES } = loadBundle<AgentParserBundle>('agentParser.js');
    const modelMap = vscode.workspace.getConfiguration(ConfigSection).get<Record<string, string>>(Settings.modelMap, {});
    const agents: LoadedAgent[] = [];
    const rejected: RejectedAgentFile[] = [];
    this.diagnostics.clear();
    for (const root of roots) {
      for (const uri of await filesUnder(root)) {
        try {
          const { size } = await vscode.workspace.fs.stat(uri);
          // Oversized files are refused by the parser from their size alone, without reading them.
          const bytes = size > MAX_AGENT_FILE_BYTES ? new Uint8Array() : await vscode.workspace.fs.readFile(uri);
          const result = parseAgentDefinition(bytes, uri.fsPath, { size, modelMap });
          if (result.problems.length) { this.diagnostics.set(uri, result.problems.map(toDiagnostic)); }
          if (!result.agent) { rejected.push({ uri, origin: root.origin, problems: result.problems }); continue; }
          const a = result.agent;
          agents.push({ name: a.name, description: a.description, body: a.body, origin: root.origin, uri, model: a.resolvedModel, problems: result.problems });
        } catch (e) {
          this.log.warn(`could not read agent file ${uri.fsPath}: ${(e as Error).message}`);
        }
      }
    }
    this.log.info(`agents: ${agents.length} loaded, ${rejected.length} rejected${vscode.workspace.isTrusted ? '' : ' (workspace agents skipped: workspace not trusted)'}`);
    return { agents, rejected };
  }

  private watch(roots: SearchRoot[]): void {
    if (this.watching) { return; }
    this.watching = true;
    for (const root of roots.filter(r => r.origin !== 'bundled')) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root.base, root.pattern));
      this.disposables.push(w, w.onDidCreate(() => this.invalidate()), w.onDidChange(() => this.invalidate()), w.onDidDelete(() => this.invalidate()));
    }
  }

  /** The agent with this name (highest precedence), else the bundled backend-architect. */
  async get(name: string): Promise<LoadedAgent> {
    const all = await this.list();
    const found = all.find(a => a.name === name) ?? all.find(a => a.name === 'backend-architect' && a.origin === 'bundled');
    if (!found) { throw new Error('The bundled backend-architect agent is missing from this installation.'); }
    return found;
  }

  dispose(): void {
    this.disposables.forEach(d => d.dispose());
  }
}

/** What the webview header shows about an agent. */
export function agentInfo(a: LoadedAgent): AgentInfo {
  return { name: a.name, description: a.description, origin: a.origin === 'bundled' ? 'bundled' : `${a.origin}: ${vscode.workspace.asRelativePath(a.uri)}` };
}
