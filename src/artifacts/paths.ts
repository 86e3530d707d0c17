/**
 * Rules for the paths a model suggests for its artifacts (THREATS T5, T6). Pure: the editor side adds what
 * needs the file system (realpath of the nearest existing parent, symlinks, existing files).
 */

export type PathVerdict =
  | { ok: true; /** Normalised, '/'-separated, relative to the workspace folder. */ path: string; /** Why a second confirmation is needed, if it is. */ sensitive?: string }
  | { ok: false; reason: string };

const reservedDevice = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\.|$)/i;
const hidden = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u{e0000}-\u{e007f}]/u;
const control = /[\u0000-\u001f\u007f-\u009f]/;

/** Destinations that can run code or change how tools behave: writing there needs a second, explicit yes. */
const sensitiveRules: { test: (segs: string[], lower: string) => boolean; risk: string }[] = [
  { test: s => s[0] === '.vscode', risk: 'editor settings and tasks in .vscode/ can run commands' },
  { test: (_, l) => l.endsWith('.code-workspace'), risk: 'a workspace file can change editor settings and run tasks' },
  { test: s => s[0] === '.git', risk: '.git/ holds hooks that run on every commit' },
  { test: s => s[0] === '.github' && s[1] === 'workflows', risk: 'CI workflows run with the repository\'s secrets' },
  { test: s => s[0] === '.github' && (s[1] === 'agents' || s[1] === 'chatmodes' || s[1] === 'prompts' || s[1] === 'copilot-instructions.md'), risk: 'AI assistant instructions change what assistants do in this repository' },
  { test: s => s[0] === '.devcontainer', risk: 'a dev container definition runs commands when the container is built' },
  { test: s => ['.claude', '.cursor', '.roo', '.continue', '.windsurf', '.idea', '.husky'].includes(s[0]), risk: 'tool and agent configuration can run commands or change what assistants do' },
  { test: s => s.some(x => x.startsWith('.clinerules') || x === 'mcp.json' || x === '.mcp.json'), risk: 'assistant rules and MCP server definitions can run programs' },
  { test: s => s.some(x => x.startsWith('.env')), risk: '.env files hold secrets and configuration read at start-up' },
  { test: s => s.at(-1) === 'package.json', risk: 'package.json scripts run on npm install and npm test' },
  { test: s => ['dockerfile', 'makefile', 'justfile', 'taskfile.yml', '.npmrc', '.yarnrc', '.yarnrc.yml', 'pyproject.toml', 'setup.py', 'build.gradle', 'build.gradle.kts', 'pom.xml'].includes(s.at(-1)!), risk: 'build files run commands when the project is built' },
  { test: (_, l) => /\.(sh|bash|zsh|ps1|bat|cmd|exe|dll|so)$/.test(l), risk: 'scripts and binaries can be run' },
];

/** Maps look-alike characters to what a file system or a person would read them as. */
function canonicalText(p: string): string {
  return p.normalize('NFKC').replace(/[\u2215\u2044\u29f8\uff0f]/g, '/').replace(/[\u2216\u29f5\u29f9\ufe68\uff3c]/g, '\\');
}

function segmentProblem(seg: string): string | undefined {
  if (seg === '..') { return 'it climbs out of the folder (..)'; }
  if (/[. ]$/.test(seg)) { return `"${seg}" ends in a dot or space, which Windows silently drops`; }
  if (seg.includes(':')) { return `"${seg}" holds ":", a drive or an alternate data stream on Windows`; }
  if (/[<>"|?*]/.test(seg)) { return `"${seg}" holds a character Windows does not allow in names`; }
  if (reservedDevice.test(seg)) { return `"${seg}" is a reserved device name on Windows`; }
  if (seg.length > 255) { return 'a name is longer than 255 characters'; }
  return undefined;
}

/**
 * Checks a suggested artifact path. Refused: empty, absolute, drive letters, UNC and device paths, URIs
 * (`file:` and any other scheme), `..`, control and invisible characters, names Windows mangles (trailing
 * dot or space, `:` streams, reserved device names). Backslashes count as separators, and look-alike
 * characters are folded first, so `a\..\..\x` and `．．/x` are caught. Accepted paths come back normalised,
 * with the reason for a second confirmation when the destination is sensitive (compared case-insensitively).
 */
export function checkArtifactPath(suggested: string): PathVerdict {
  if (typeof suggested !== 'string' || !suggested.trim()) { return { ok: false, reason: 'no path was given' }; }
  if (control.test(suggested)) { return { ok: false, reason: 'the path holds control characters' }; }
  if (hidden.test(suggested)) { return { ok: false, reason: 'the path holds invisible characters' }; }
  const text = canonicalText(suggested);
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) { return { ok: false, reason: 'the path is a URI or starts with a drive letter' }; }
  if (text.startsWith('/') || text.startsWith('\\') || text.startsWith('~')) { return { ok: false, reason: 'the path is absolute; artifacts are written inside the workspace folder' }; }
  const segs = text.split(/[\\/]+/).filter(s => s !== '' && s !== '.');
  if (segs.length === 0) { return { ok: false, reason: 'the path names no file' }; }
  for (const seg of segs) {
    const problem = segmentProblem(seg);
    if (problem) { return { ok: false, reason: problem }; }
  }
  const path = segs.join('/');
  if (path.length > 400) { return { ok: false, reason: 'the path is too long' }; }
  const lowerSegs = segs.map(s => s.toLowerCase());
  const lower = lowerSegs.join('/');
  const rule = sensitiveRules.find(r => r.test(lowerSegs, lower));
  return rule ? { ok: true, path, sensitive: rule.risk } : { ok: true, path };
}
