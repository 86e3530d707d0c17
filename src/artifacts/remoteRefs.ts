/**
 * Finds URLs in JSON and YAML documents that other tools fetch on their own (THREATS T10): a JSON language
 * server follows `$schema`, OpenAPI tools follow `$ref` and `externalValue`. Pure: works on the parsed
 * value and gives JSON pointers; the caller turns pointers into lines with whatever parser it used.
 */

/** Keys whose URL values tools fetch without asking. */
export const FETCHED_KEYS = ['$ref', '$schema', '$id', '$dynamicRef', 'externalValue'] as const;

export interface RemoteReference {
  /** JSON pointer to the key, e.g. `#/components/schemas/Pet/$ref`. */
  pointer: string;
  key: string;
  url: string;
}

/** An absolute URL with a host (`https://`, `http://`, `ftp://`, protocol-relative `//host`). */
export function isRemoteUrl(value: string): boolean {
  return /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/\s]/i.test(value.trim()) && !/^file:/i.test(value.trim());
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Every fetched-key URL in a parsed document, in document order. Walks each object once (aliases that
 * repeat a node are not walked twice), so a hostile document cannot make this exponential.
 */
export function findRemoteReferences(root: unknown): RemoteReference[] {
  const found: RemoteReference[] = [];
  const seen = new Set<object>();
  const walk = (node: unknown, pointer: string): void => {
    if (typeof node !== 'object' || node === null || seen.has(node)) { return; }
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`));
      return;
    }
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const at = `${pointer}/${escapePointer(key)}`;
      if ((FETCHED_KEYS as readonly string[]).includes(key) && typeof value === 'string' && isRemoteUrl(value)) {
        found.push({ pointer: at, key, url: value });
      }
      walk(value, at);
    }
  };
  walk(root, '#');
  return found;
}

/** The warning shown for one remote URL: the person decides, nothing fetches it. */
export function remoteReferenceMessage(ref: RemoteReference): string {
  return `Remote ${ref.key} "${ref.url}" was not fetched. Tools that open this file may fetch it (and anything in its query string); ` +
    'inline the definition or confirm the host before writing.';
}
