/**
 * Spring Boot's application.properties and application.yml as flat `a.b.c` keys, for the context path and
 * `${...}` placeholders in mappings. The plain `application.*` files win over profile files
 * (`application-dev.yml`). Pure; YAML through the `yaml` package with its alias limit (THREATS T11).
 */
import { parseDocument } from 'yaml';

/** Flat properties from the given files (path and text). */
export function readProperties(files: readonly { path: string; text: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  const ordered = [...files].sort((a, b) => rank(a.path) - rank(b.path));
  for (const f of ordered) {
    const add = (k: string, v: unknown): void => { if (!out.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) { out.set(k, String(v)); } };
    if (/\.properties$/i.test(f.path)) {
      for (const line of f.text.split('\n')) {
        const m = /^\s*([\w.-]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
        if (m && !line.trimStart().startsWith('#')) { add(m[1], m[2]); }
      }
      continue;
    }
    try {
      // Several documents (`---`) are profiles; the first is the default one.
      const data = parseDocument(f.text.split(/^---\s*$/m)[0]).toJS({ maxAliasCount: 50 }) as unknown;
      flatten(data, '', add);
    } catch {
      // Not YAML we can read: no properties from it.
    }
  }
  return out;
}

function rank(path: string): number {
  return /(^|\/)application\.(properties|ya?ml)$/i.test(path) ? 0 : 1;
}

function flatten(value: unknown, prefix: string, add: (k: string, v: unknown) => void, depth = 0): void {
  if (depth > 20 || typeof value !== 'object' || value === null || Array.isArray(value)) {
    if (prefix) { add(prefix, value); }
    return;
  }
  for (const [k, v] of Object.entries(value)) { flatten(v, prefix ? `${prefix}.${k}` : k, add, depth + 1); }
}
