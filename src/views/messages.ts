import type { ArtifactActionName, ErrorActionName, WebviewMessage } from '../protocol';

const actions: ReadonlySet<string> = new Set<ErrorActionName>(['setApiKey', 'selectModel', 'openSettings', 'retry']);
const artifactActions: ReadonlySet<string> = new Set<ArtifactActionName>(['write', 'diff', 'copy', 'open', 'migration']);
/** Ids are short tokens the host made (`a-…`, `a1`); anything else is not one of ours. */
const id = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v);
/** Longest request a person can send from the composer; more is refused, not cut. */
export const maxRequestChars = 20_000;

function hasOnlyKeys(o: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(o).every(k => keys.includes(k));
}

/**
 * Checks a message from a webview against the closed protocol. Anything else (extra fields, unknown types,
 * wrong field types, oversized text) yields undefined and must be ignored: a compromised webview gets no
 * more than a person clicking the UI could do (THREATS T3).
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) { return undefined; }
  const o = raw as Record<string, unknown>;
  switch (o.type) {
    case 'webview/ready':
    case 'answer/stop':
    case 'answer/retry':
    case 'artifact/undo':
      return hasOnlyKeys(o, ['type']) ? { type: o.type } : undefined;
    case 'chat/send':
      return hasOnlyKeys(o, ['type', 'text']) && typeof o.text === 'string' && o.text.trim() !== '' && o.text.length <= maxRequestChars
        ? { type: 'chat/send', text: o.text } : undefined;
    case 'link/open':
      return hasOnlyKeys(o, ['type', 'href']) && typeof o.href === 'string' && o.href.length <= 4096
        ? { type: 'link/open', href: o.href } : undefined;
    case 'action/run':
      return hasOnlyKeys(o, ['type', 'action']) && typeof o.action === 'string' && actions.has(o.action)
        ? { type: 'action/run', action: o.action as ErrorActionName } : undefined;
    case 'artifact/run':
      return hasOnlyKeys(o, ['type', 'turnId', 'artifactId', 'action']) && id(o.turnId) && id(o.artifactId) && typeof o.action === 'string' && artifactActions.has(o.action)
        ? { type: 'artifact/run', turnId: o.turnId, artifactId: o.artifactId, action: o.action as ArtifactActionName } : undefined;
    case 'artifact/writeAll':
      return hasOnlyKeys(o, ['type', 'turnId']) && id(o.turnId) ? { type: 'artifact/writeAll', turnId: o.turnId } : undefined;
    case 'finding/open':
      return hasOnlyKeys(o, ['type', 'turnId', 'index']) && id(o.turnId) && Number.isInteger(o.index) && (o.index as number) >= 0 && (o.index as number) < 1000
        ? { type: 'finding/open', turnId: o.turnId, index: o.index as number } : undefined;
    case 'diagram/save':
      return hasOnlyKeys(o, ['type', 'turnId', 'artifactId', 'format', 'data']) && id(o.turnId) && id(o.artifactId)
        && (o.format === 'svg' || o.format === 'png') && typeof o.data === 'string' && diagramImageOk(o.format, o.data)
        ? { type: 'diagram/save', turnId: o.turnId, artifactId: o.artifactId, format: o.format, data: o.data } : undefined;
    case 'mermaid/parsed':
      return hasOnlyKeys(o, ['type', 'requestId', 'ok', 'error', 'line']) && Number.isInteger(o.requestId) && typeof o.ok === 'boolean'
        && (o.error === undefined || (typeof o.error === 'string' && o.error.length <= 4000)) && (o.line === undefined || Number.isInteger(o.line))
        ? { type: 'mermaid/parsed', requestId: o.requestId as number, ok: o.ok, error: o.error as string | undefined, line: o.line as number | undefined } : undefined;
    default:
      return undefined;
  }
}

/** Largest diagram image accepted from a webview (characters of SVG text or of base64). */
export const maxDiagramImageChars = 12_000_000;

/**
 * The shape of a diagram image from a webview: an SVG document with nothing that could run or load (the
 * webview sanitised it; this is the host's own check), or base64 that decodes to a PNG.
 */
export function diagramImageOk(format: 'svg' | 'png', data: string): boolean {
  if (data.length === 0 || data.length > maxDiagramImageChars) { return false; }
  if (format === 'png') {
    return /^iVBORw0KGgo[A-Za-z0-9+/]*={0,2}$/.test(data);
  }
  const svg = data.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?/, '');
  return svg.startsWith('<svg') && /<\/svg>\s*$/.test(svg)
    && !/<\s*(?:script|foreignObject|iframe|object|embed|image|use)\b/i.test(svg)
    // No handlers, no links or sources, nothing CSS could load but the SVG's own markers (labels may mention URLs as text).
    && !/\son[a-z]+\s*=/i.test(svg) && !/\s(?:xlink:)?(?:href|src)\s*=/i.test(svg) && !/url\s*\(\s*['"]?(?!#)|@import/i.test(svg);
}

/**
 * Only plain https links leave the editor, and only after the person saw the full URL (THREATS T1).
 * Returns the normalised URL, or undefined for anything else (http, javascript:, command:, file:, ...).
 */
export function allowedExternalLink(href: string): string | undefined {
  let url: URL;
  try { url = new URL(href); } catch { return undefined; }
  if (url.protocol !== 'https:' || url.username || url.password) { return undefined; }
  return url.toString();
}
