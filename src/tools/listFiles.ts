/** `list_files`: the folder's files, optionally below a subfolder and matching a glob. Secrets are never listed. Pure. */
import { compileGlob } from '../context/ignore';
import type { ToolOutcome } from '../llm/toolLoop';
import { checkReadPath, neverListed } from './readPaths';
import { type Args, plural, refuse, textArg, intArg, type ToolContext } from './toolContext';
import type { ToolSpec } from '../llm/types';

const DEFAULT_LIMIT = 300;
const MAX_LIMIT = 1000;

export const listFilesSpec: ToolSpec = {
  name: 'list_files',
  description: 'List the files of the folder under review, as paths relative to it. Dependency, build and version-control '
    + 'folders are not descended into (each shows as one line), and secret files (.env, keys, credentials) are never listed.',
  parameters: {
    type: 'object',
    properties: {
      glob: { type: 'string', description: 'Only files matching this glob, e.g. "src/**/*.ts", "**/*.sql"; a pattern without "/" such as "*.prisma" matches file names at any depth.' },
      folder: { type: 'string', description: 'Only files below this folder, e.g. "src/routes" (the glob is then relative to it).' },
      limit: { type: 'integer', description: `At most this many paths (default ${DEFAULT_LIMIT}, up to ${MAX_LIMIT}).` },
    },
    additionalProperties: false,
  },
};

/** "Listed src/routes *.js". */
export function listFilesLabel(args: Args): string {
  const folder = textArg(args, 'folder')?.trim().replace(/^\.\/?$/, '') || '';
  const glob = textArg(args, 'glob')?.trim();
  return `Listed ${folder || 'the folder'}${glob ? ` ${glob}` : ''}`;
}

export async function listFiles(args: Args, ctx: ToolContext, signal: AbortSignal): Promise<ToolOutcome> {
  const where = checkReadPath(textArg(args, 'folder') ?? '', { folder: true });
  if (!where.ok) { return refuse(`Cannot list that folder: ${where.reason}.`); }
  const glob = textArg(args, 'glob')?.trim();
  const match = glob ? compileGlob(glob) : undefined;
  const limit = intArg(args, 'limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  const prefix = where.path ? `${where.path}/` : '';
  const entries = await ctx.listing(signal);
  const files: string[] = [];
  const notDescended: string[] = [];
  const links: string[] = [];
  for (const e of entries) {
    if (!e.path.startsWith(prefix) || neverListed(e.path.replace(/\/$/, ''))) { continue; }
    const rel = e.path.slice(prefix.length);
    if (e.skip) {
      // Folders not descended into and links say why; secrets are not named at all.
      // With a glob, only what it could have matched is worth naming.
      if (e.path.endsWith('/')) { if (!match) { notDescended.push(`${e.path} (${e.skip})`); } } else if (!match || match(rel)) { links.push(e.path); }
      continue;
    }
    if (match && !match(rel)) { continue; }
    files.push(e.path);
  }
  if (files.length === 0 && notDescended.length === 0 && links.length === 0) {
    const what = where.path ? `below ${where.path}/` : 'in the folder';
    return { ok: true, content: `No files ${glob ? `match "${glob}" ` : ''}${what}.`, summary: 'no files' };
  }
  const shown = files.slice(0, limit);
  const lines = [`${plural(files.length, 'file')}${glob ? ` match "${glob}"` : ''}${where.path ? ` below ${where.path}/` : ''}:`, ...shown];
  if (files.length > shown.length) { lines.push(`[${files.length - shown.length} more: narrow the folder or the glob]`); }
  if (links.length) { lines.push('', 'Symbolic links (never followed, not readable):', ...links.slice(0, 20)); }
  if (notDescended.length) { lines.push('', 'Not descended into:', ...notDescended.slice(0, 20)); }
  return { ok: true, content: lines.join('\n'), summary: plural(files.length, 'file') };
}
