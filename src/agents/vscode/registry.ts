import * as fs from 'node:fs';
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
  /** The tools the definition lists, as written; undefined when it lists none (then all of ours). */
  tools?: string[];
  problems: AgentProblem[];
}

/** A definition file that yielded no agent, with why. */
export interface RejectedAgentFile {
  uri: vscode.Uri;
  origin: AgentOrigin;
  problems: AgentProblem[];
}

interface SearchRoot { origin: AgentOrigin; base: vscode.Uri; pattern: string; }

/** One read of every root: what it yielded, and what it looked like on disk when it was read. */
interface Loaded {
  agents: LoadedAgent[];
  rejected: RejectedAgentFile[];
  roots: SearchRoot[];
  files: vscode.Uri[];
  fingerprint: string;
}

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

/** The folder a root's pattern starts in: the part before the first glob (`.claude/agents`), else the base itself. */
function staticDir(root: SearchRoot): vscode.Uri {
  const fixed: string[] = [];
  for (const part of root.pattern.split('/')) {
    if (/[*?[{]/.test(part)) { break; }
    fixed.push(part);
  }
  // A pattern with no glob at all names a file: its folder is what can appear and disappear.
  if (fixed.length === root.pattern.split('/').length) { fixed.pop(); }
  return fixed.length ? vscode.Uri.joinPath(root.base, ...fixed) : root.base;
}

async function statKey(uri: vscode.Uri): Promise<string> {
  try {
    const st = await vscode.workspace.fs.stat(uri);
    return `${st.mtime}:${st.size}`;
  } catch {
    return 'missing';
  }
}

/** The folder itself when it exists, else the nearest folder above it that does. */
async function nearestFolder(dir: vscode.Uri): Promise<vscode.Uri | undefined> {
  for (let at = dir; ; ) {
    try {
      if ((await vscode.workspace.fs.stat(at)).type & vscode.FileType.Directory) { return at; }
    } catch {
      // Not there: look one level up.
    }
    const up = vscode.Uri.joinPath(at, '..');
    if (up.toString() === at.toString()) { return undefined; }
    at = up;
  }
}

/** The first path segment of `dir` below `ancestor` (`.claude` for the workspace and `.claude/agents`). */
function childName(ancestor: vscode.Uri, dir: vscode.Uri): string {
  return dir.path.slice(ancestor.path.replace(/\/$/, '').length + 1).split('/')[0];
}

/**
 * What the definitions on disk look like, by stat alone: each root's folder (its mtime changes when a
 * file is added or removed), each file found last time, and the folders they sit in (for nested ones).
 * Two equal fingerprints mean nothing worth re-reading happened, whatever the file watchers said.
 */
async function fingerprint(roots: SearchRoot[], files: vscode.Uri[]): Promise<string> {
  const dirs = new Map<string, vscode.Uri>();
  for (const r of roots) { const d = staticDir(r); dirs.set(d.toString(), d); }
  for (const f of files) { const d = vscode.Uri.joinPath(f, '..'); dirs.set(d.toString(), d); }
  const keys = await Promise.all([...dirs.values(), ...files].map(async u => `${u.toString()}=${await statKey(u)}`));
  return keys.join('\n');
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
 * Node's own watcher of one folder level (inotify on Linux, independent of VS Code's watchers): every entry,
 * or only the one named. Undefined when the folder cannot be watched (then VS Code's watcher is used). When
 * the folder itself goes away the watcher reports it once and stops; the caller makes watchers anew.
 */
function ownWatcher(folder: string, entry: string | undefined, onEvent: () => void, log: vscode.LogOutputChannel): vscode.Disposable | undefined {
  try {
    const w = fs.watch(folder, { persistent: false }, (_kind, name) => {
      // Some platforms give no name: then any event may be ours.
      if (entry === undefined || !name || name.toString() === entry) { onEvent(); }
    });
    w.on('error', e => { log.info(`agents: stopped watching ${folder} (${e.message})`); w.close(); onEvent(); });
    return new vscode.Disposable(() => w.close());
  } catch (e) {
    log.info(`agents: ${folder} is watched by VS Code only (${(e as Error).message})`);
    return undefined;
  }
}

/**
 * Finds, parses and watches agent definitions. Nothing is read at activation: the first list() reads, later
 * calls use the cache until a watched file, a setting or workspace trust changes.
 */
export class AgentRegistry implements vscode.Disposable {
  private cache: Promise<Loaded> | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('backendArchitect.agents');
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics, this.changed];
  /** The watchers of the roots last read, and which of their folders existed when they were made. */
  private watchers: { disposables: vscode.Disposable[]; roots: string; folders: Set<string> } | undefined;
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

  /**
   * Re-checks the definitions on disk by stat and reloads when anything changed, so the list never depends
   * on file events alone (a watcher can miss events, or stop when its folder is deleted). Cheap: a few
   * stats. Called when the agent picker opens and before each request.
   */
  async revalidate(why = 'without a file event'): Promise<void> {
    const cached = this.cache;
    if (!cached) { return; }
    const loaded = await cached;
    if (this.cache !== cached) { return; }
    const now = await fingerprint(loaded.roots, loaded.files);
    if (now !== loaded.fingerprint && this.cache === cached) {
      this.log.info(`agents: definitions changed on disk ${why}; reading them again`);
      this.invalidate();
    }
  }

  private load(): Promise<Loaded> {
    this.cache ??= this.readAll();
    return this.cache;
  }

  private async readAll(): Promise<Loaded> {
    const roots = searchRoots(this.context);
    await this.watch(roots);
    // The YAML and front-matter parsers load when the first agent is read, not at activation.
    const { parseAgentDefinition, MAX_AGENT_FILE_BYTES } = loadBundle<AgentParserBundle>('agentParser.js');
    const modelMap = vscode.workspace.getConfiguration(ConfigSection).get<Record<string, string>>(Settings.modelMap, {});
    const agents: LoadedAgent[] = [];
    const rejected: RejectedAgentFile[] = [];
    this.diagnostics.clear();
    const listed = await Promise.all(roots.map(filesUnder));
    const files = listed.flat();
    this.watchSubfolders(roots, files);
    // Taken before reading: a change made while reading shows up as a difference at the next check.
    const print = await fingerprint(roots, files);
    for (const [i, root] of roots.entries()) {
      for (const uri of listed[i]) {
        try {
          const { size } = await vscode.workspace.fs.stat(uri);
          // Oversized files are refused by the parser from their size alone, without reading them.
          const bytes = size > MAX_AGENT_FILE_BYTES ? new Uint8Array() : await vscode.workspace.fs.readFile(uri);
          const result = parseAgentDefinition(bytes, uri.fsPath, { size, modelMap });
          if (result.problems.length) { this.diagnostics.set(uri, result.problems.map(toDiagnostic)); }
          if (!result.agent) { rejected.push({ uri, origin: root.origin, problems: result.problems }); continue; }
          const a = result.agent;
          agents.push({ name: a.name, description: a.description, body: a.body, origin: root.origin, uri, model: a.resolvedModel, tools: a.toolsListed ? a.tools : undefined, problems: result.problems });
        } catch (e) {
          this.log.warn(`could not read agent file ${uri.fsPath}: ${(e as Error).message}`);
        }
      }
    }
    this.log.info(`agents: ${agents.length} loaded, ${rejected.length} rejected${vscode.workspace.isTrusted ? '' : ' (workspace agents skipped: workspace not trusted)'}`);
    return { agents, rejected, roots, files, fingerprint: print };
  }

  /**
   * Watches every root but the bundled one, three ways, because a single watcher can go deaf:
   * - the root's pattern, nested files included, through VS Code (inside the workspace it is served by the
   *   workspace's recursive watcher, which can miss a folder made together with its parent, as `mkdir -p`
   *   does: nothing under it is reported again);
   * - when the root's folder exists, its first level from a watcher of its own made after the folder was
   *   (Node's, on a local disk, so it cannot be one of VS Code's that fell deaf), checked by stat so that
   *   unrelated files cost a few stats; and the folder itself from its parent, for it going away;
   * - when the folder is missing, the nearest folder above it that exists, for the next step towards it.
   * Which folders existed is part of the state: when one comes or goes the watchers are made anew.
   */
  private async watch(roots: SearchRoot[]): Promise<void> {
    const plans = await Promise.all(roots.filter(r => r.origin !== 'bundled').map(async root => {
      const dir = staticDir(root);
      return { root, dir, anchor: await nearestFolder(dir) };
    }));
    const state = plans.map(p => `${p.root.base.toString()}|${p.root.pattern}|${p.anchor?.toString() ?? 'none'}`).join('\n');
    if (this.watchers?.roots === state) { return; }
    this.watchers?.disposables.forEach(d => d.dispose());
    const disposables: vscode.Disposable[] = [];
    const made = new Set<string>();
    const once = (key: string): boolean => !made.has(key) && !!made.add(key);
    const listen = (base: vscode.Uri, pattern: string, onEvent: () => void, changes = true): void => {
      if (!once(`${base.toString()}|${pattern}|${changes}`)) { return; }
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, pattern), false, !changes, false);
      disposables.push(w, w.onDidCreate(onEvent), w.onDidChange(onEvent), w.onDidDelete(onEvent));
    };
    /** One level of `folder`: every entry, or only `entry`. Node's watcher on a local disk, else VS Code's. */
    const listenOwn = (folder: vscode.Uri, entry: string | undefined, onEvent: () => void): void => {
      if (!once(`own|${folder.toString()}|${entry ?? '*'}`)) { return; }
      const own = folder.scheme === 'file' ? ownWatcher(folder.fsPath, entry, onEvent, this.log) : undefined;
      // A folder that is watched for one entry only cares about it coming and going, not about its changes.
      if (own) { disposables.push(own); } else { listen(folder, entry ?? '*', onEvent, entry === undefined); }
    };
    let missing = 0;
    for (const { root, dir, anchor } of plans) {
      listen(root.base, root.pattern, () => this.invalidate());
      if (anchor?.toString() === dir.toString()) {
        listenOwn(dir, undefined, () => { void this.revalidate('(seen in their folder)'); });
        const parent = vscode.Uri.joinPath(dir, '..');
        if (parent.toString() !== dir.toString()) { listenOwn(parent, childName(parent, dir), () => this.folderCameOrWent()); }
      } else {
        missing++;
        if (anchor) { listenOwn(anchor, childName(anchor, dir), () => this.folderCameOrWent()); }
      }
    }
    this.watchers = { disposables, roots: state, folders: new Set() };
    this.log.info(`agents: watching ${plans.length} folders (${missing} not there yet, watched from the nearest folder above)`);
  }

  /**
   * The subfolders that hold definitions (`.claude/agents/team/`) get a watcher of their own too, on a local
   * disk: VS Code's watcher of the root's pattern is the one that can fall deaf. Their events are checked by
   * stat, like the root folder's. Made as definitions are found; they go when the roots' watchers are made anew.
   */
  private watchSubfolders(roots: SearchRoot[], files: vscode.Uri[]): void {
    const w = this.watchers;
    if (!w) { return; }
    const rootDirs = new Set(roots.map(r => staticDir(r).toString()));
    for (const f of files) {
      const dir = vscode.Uri.joinPath(f, '..');
      const key = dir.toString();
      if (dir.scheme !== 'file' || rootDirs.has(key) || w.folders.has(key)) { continue; }
      w.folders.add(key);
      const own = ownWatcher(dir.fsPath, undefined, () => { void this.revalidate('(seen in their folder)'); }, this.log);
      if (own) { w.disposables.push(own); }
    }
  }

  /** A root's folder was created or deleted: its watchers may be dead, so the next read makes them anew. */
  private folderCameOrWent(): void {
    this.watchers?.disposables.forEach(d => d.dispose());
    this.watchers = undefined;
    this.invalidate();
  }

  /** The agent with this name (highest precedence), else the bundled backend-architect; re-checked on disk first. */
  async get(name: string): Promise<LoadedAgent> {
    await this.revalidate();
    const all = await this.list();
    const found = all.find(a => a.name === name) ?? all.find(a => a.name === 'backend-architect' && a.origin === 'bundled');
    if (!found) { throw new Error('The bundled backend-architect agent is missing from this installation.'); }
    return found;
  }

  dispose(): void {
    this.watchers?.disposables.forEach(d => d.dispose());
    this.disposables.forEach(d => d.dispose());
  }
}

/** What the webview header shows about an agent. */
export function agentInfo(a: LoadedAgent): AgentInfo {
  return { name: a.name, description: a.description, origin: a.origin === 'bundled' ? 'bundled' : `${a.origin}: ${vscode.workspace.asRelativePath(a.uri)}` };
}
