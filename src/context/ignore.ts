/**
 * Small path matchers for the context scanner: globs for the person's include/exclude lists, and a
 * `.gitignore` reader for the node:fs walker (the extension gets .gitignore handling from VS Code's
 * own file search instead). Pure: no I/O.
 *
 * Known limits of the .gitignore support, compared with git itself: no `core.excludesFile`, no
 * `.git/info/exclude`, no case folding on case-insensitive file systems. Nested .gitignore files,
 * negation, anchoring, `**`, character classes and directory-only rules are handled.
 */

/** Glob syntax to a RegExp source: `**` spans folders, `*` and `?` stay inside one name, `[...]` is a class. */
function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // "**/" matches zero or more folders; a trailing "**" matches everything below.
        const slash = glob[i + 2] === '/';
        out += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) { out += '\\['; continue; }
      let cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (cls.startsWith('!')) { cls = `^${cls.slice(1)}`; }
      out += `[${cls}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += escapeRegExp(glob[++i]);
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A matcher for one include/exclude entry as a person types it: a glob (`src/**`, `*.sql`), a file
 * path, or a folder path (with or without a trailing `/`, matching everything below it). A pattern
 * without `/` matches a name at any depth, as in .gitignore.
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  let p = pattern.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (p === '') { return () => false; }
  const anchored = p.startsWith('/') || p.replace(/\/+$/, '').includes('/');
  p = p.replace(/^\/+/, '').replace(/\/+$/, '');
  const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${globBody(p)}(?:/.*)?$`);
  return path => re.test(path);
}

/** One parsed .gitignore line. */
interface IgnoreRule {
  re: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

/** The rules of one .gitignore file, with the folder (relative, '' for the root) it applies to. */
export interface IgnoreFile {
  base: string;
  rules: IgnoreRule[];
}

/** Parses a .gitignore found in folder `base` (relative to the scanned root, '' for the root itself). */
export function parseGitignore(text: string, base: string): IgnoreFile {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    // Trailing spaces are ignored unless escaped with a backslash.
    let line = raw.replace(/(?<!\\)\s+$/, '');
    if (line === '' || line.startsWith('#')) { continue; }
    let negate = false;
    if (line.startsWith('!')) { negate = true; line = line.slice(1); }
    if (line.startsWith('\\#') || line.startsWith('\\!')) { line = line.slice(1); }
    const dirOnly = line.endsWith('/');
    line = line.replace(/\/+$/, '');
    if (line === '') { continue; }
    const anchored = line.includes('/');
    line = line.replace(/^\/+/, '');
    const re = new RegExp(`${anchored ? '^' : '(?:^|/)'}${globBody(line)}$`);
    rules.push({ re, negate, dirOnly });
  }
  return { base, rules };
}

/**
 * Whether `path` (relative to the root) is ignored by the .gitignore files that apply to it, given in
 * order from the root down. Within and across files the last matching rule wins, as in git. Callers
 * test folders before descending, so a file below an ignored folder is never asked about.
 */
export function isIgnored(files: readonly IgnoreFile[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const f of files) {
    if (f.base !== '' && !path.startsWith(`${f.base}/`)) { continue; }
    const rel = f.base === '' ? path : path.slice(f.base.length + 1);
    for (const r of f.rules) {
      if (r.dirOnly && !isDir) { continue; }
      if (r.re.test(rel)) { ignored = !r.negate; }
    }
  }
  return ignored;
}
