/**
 * An agent definition's `tools:` list mapped to our read-only tools. The names come from the formats people
 * write agents in: Claude Code (Read, Grep, Glob, LS), GitHub Copilot custom agents and chat modes (codebase,
 * search, readFile, textSearch, tool sets such as `read` and `search`, namespaced names such as
 * `search/codebase`), Factory droids (Read, LS, Grep, Glob) and our own tool names. Anything else (Write,
 * Edit, Bash, WebFetch, MCP tools...) is ignored and named in a note: a definition can never grant more
 * than reading. Pure: no imports at run time.
 */
import type { ToolName } from './types';

/** The reading tools; overview and checks come with any of them (they read nothing these could not). */
const FILE_TOOLS: readonly ToolName[] = ['list_files', 'read_file', 'search_text'];
const COMPANIONS: readonly ToolName[] = ['workspace_overview', 'check_artifact'];
const EVERY: readonly ToolName[] = [...FILE_TOOLS, ...COMPANIONS];

// Keys are lower-cased names with '-', '_' and spaces removed ("read_file", "readFile" and "read-file" meet).
const NAMES: Readonly<Record<string, readonly ToolName[]>> = {
  // Claude Code and Factory droids
  read: ['read_file'], notebookread: ['read_file'], grep: ['search_text'], glob: ['list_files'], ls: ['list_files'],
  // GitHub Copilot (VS Code agent tools and tool sets)
  codebase: ['list_files', 'read_file', 'search_text', 'workspace_overview'],
  search: ['list_files', 'search_text'], readfile: ['read_file'], textsearch: ['search_text'], findtextinfiles: ['search_text'],
  filesearch: ['list_files'], findfiles: ['list_files'], listdirectory: ['list_files'], listdir: ['list_files'], usages: ['search_text'],
  // Other agents' names for the same things (Cursor, Continue, Cline)
  grepsearch: ['search_text'], codebasesearch: ['search_text'], searchfiles: ['search_text'], listfiles: ['list_files'],
  readfiles: ['read_file'], viewfile: ['read_file'],
  // Ours
  searchtext: ['search_text'], workspaceoverview: ['workspace_overview'], checkartifact: ['check_artifact'],
};

/** What an agent's `tools` give it here. */
export interface AgentToolGrant {
  tools: ToolName[];
  /** Names listed that we do not have, as written. */
  ignored: string[];
}

/**
 * Maps an agent's tools. `undefined` (no `tools` key) and `*` mean all of ours; an empty list means none.
 * Copilot's namespaced names (`search/codebase`) and Claude's scoped ones (`Bash(git:*)`) are read by their
 * last part and their name before the parenthesis.
 */
export function grantAgentTools(listed: readonly string[] | undefined): AgentToolGrant {
  if (listed === undefined) { return { tools: [...EVERY], ignored: [] }; }
  const granted = new Set<ToolName>();
  const ignored: string[] = [];
  for (const raw of listed) {
    const name = raw.trim();
    if (name === '*' || /^all$/i.test(name)) { EVERY.forEach(t => granted.add(t)); continue; }
    const mapped = mapName(name);
    if (mapped) { mapped.forEach(t => granted.add(t)); } else if (name) { ignored.push(name); }
  }
  if ([...granted].some(t => FILE_TOOLS.includes(t))) { COMPANIONS.forEach(t => granted.add(t)); }
  return { tools: EVERY.filter(t => granted.has(t)), ignored };
}

function mapName(name: string): readonly ToolName[] | undefined {
  // mcp__server__tool and server/tool are tools of other programs, except Copilot's own namespaces.
  if (/^mcp__/i.test(name)) { return undefined; }
  const slash = name.lastIndexOf('/');
  if (slash >= 0 && !/^(read|search|vscode|codebase)$/i.test(name.slice(0, slash))) { return undefined; }
  const last = name.slice(slash + 1).replace(/\(.*$/, '');
  const key = last.toLowerCase().replace(/[-_\s]/g, '');
  return Object.prototype.hasOwnProperty.call(NAMES, key) ? NAMES[key] : undefined;
}

/** The note for a definition whose `tools` name tools we do not have, or undefined when it names none. */
export function ignoredToolsNote(grant: AgentToolGrant): string | undefined {
  if (grant.ignored.length === 0) { return undefined; }
  const names = grant.ignored.length > 8 ? `${grant.ignored.slice(0, 8).join(', ')} and ${grant.ignored.length - 8} more` : grant.ignored.join(', ');
  const what = grant.tools.length === 0
    ? 'none of the listed tools exists here, so this agent reads no files itself (the workspace context is sent instead)'
    : `not available here, ignored; this agent gets ${grant.tools.join(', ')} (Backend Architect's tools only read)`;
  return `tools ${names}: ${what}`;
}
