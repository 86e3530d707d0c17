/**
 * URL and attribute-value policy for rendered model output (THREATS T1, T3). Pure string functions: the same
 * rules are applied while building the HTML and again by DOMPurify, so a mistake in one layer is caught by
 * the other.
 */

/**
 * Link targets that may appear in an `href`. Anything else (`javascript:`, `data:`, `vscode:`, `command:`,
 * `file:`, protocol-relative `//host`, relative paths that would resolve inside the webview's origin) is
 * rendered as plain text. The host still confirms before opening any of these.
 */
export const ALLOWED_HREF = /^(?:https?:\/\/[^\s/?#]|mailto:[^\s]|#)/i;

/** True when `href` may become a clickable link (the click still goes through the host). */
export function isAllowedHref(href: string): boolean {
  return ALLOWED_HREF.test(href);
}

/**
 * What the blocked-image notice names as the image's origin: the host (with port) for web URLs, the scheme
 * otherwise. Never the path or query, since that is where an exfiltrating URL carries its payload.
 */
export function describeImageSource(src: string): string {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return src.startsWith('//') ? 'remote host' : 'local path';
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    return clip(url.host || 'unknown host', 100);
  }
  return clip(url.protocol, 30);
}

// Zero-width and bidi controls can make an info string display differently from what it is (THREATS T7).
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Info string of a fenced code block, cleaned for a `data-info` attribute: visible text, bounded length. */
export function cleanInfoString(info: string): string {
  return clip(info.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim(), 256);
}

/** The language word of an info string, restricted to characters that are safe inside a class name. */
export function languageOf(info: string): string {
  const first = info.split(/[\s{]/, 1)[0] ?? '';
  return /^[A-Za-z0-9_+#.-]{1,40}$/.test(first) ? first.toLowerCase() : '';
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
