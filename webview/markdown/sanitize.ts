/**
 * Second line of defence after parser.ts: DOMPurify with an allowlist that only admits what our renderer
 * emits. The VS Code guide's advice is "never rely on sanitization alone": the CSP (img-src without remote
 * hosts, form-action 'none', no script without the nonce) is the third line and is built elsewhere.
 */
import DOMPurify from 'dompurify';
import type { Config } from 'dompurify';
import { ALLOWED_HREF } from './urlPolicy';

type Purifier = ReturnType<typeof DOMPurify>;
type DomWindow = NonNullable<Parameters<typeof DOMPurify>[0]>;

/** Exactly the elements markdown-it (default preset, `html: false`) and parser.ts produce. */
const ALLOWED_TAGS = [
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre', 'code', 'em', 'strong', 's',
  'a', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];

/**
 * Redundant with the allowlist, on purpose: if someone widens ALLOWED_TAGS later, these stay out. Each one
 * can fetch, submit, navigate or execute (THREATS T1, T3, T4).
 */
const FORBID_TAGS = [
  'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'frameset', 'object', 'embed',
  'style', 'link', 'meta', 'base', 'img', 'picture', 'source', 'svg', 'math', 'video', 'audio', 'track',
  'image', 'script', 'noscript', 'template', 'portal', 'applet', 'canvas', 'dialog', 'details', 'marquee',
];

const ALLOWED_ATTR = ['href', 'data-href', 'title', 'rel', 'class', 'start', 'data-info', 'data-line'];

const FORBID_ATTR = [
  'style', 'src', 'srcset', 'action', 'formaction', 'ping', 'background', 'poster', 'xlink:href', 'target',
  'id', 'name', 'srcdoc', 'download',
];

const CONFIG: Config = {
  ALLOWED_TAGS,
  FORBID_TAGS,
  ALLOWED_ATTR,
  FORBID_ATTR,
  // DOMPurify tests every allowed attribute not listed below as a URI: here `href` and `data-href`, held to
  // the same rule the renderer applied.
  ALLOWED_URI_REGEXP: ALLOWED_HREF,
  // Not URLs, so exempt from the URI test (it would strip `start="3"` and the info string otherwise).
  ADD_URI_SAFE_ATTR: ['start', 'rel', 'data-info', 'data-line'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOW_SELF_CLOSE_IN_ATTR: false,
  SAFE_FOR_XML: true,
  SANITIZE_DOM: true,
  WHOLE_DOCUMENT: false,
  KEEP_CONTENT: true,
};

interface Purifiers {
  toString: Purifier;
  toFragment: Purifier;
}

let purifiers: Purifiers | undefined;

/**
 * Binds the sanitiser to a DOM window. Not needed in the webview (the global `window` is used); unit tests
 * and the benchmark pass a jsdom window. Our own DOMPurify instances are created, so that hooks or settings
 * other code puts on the shared default instance (mermaid uses DOMPurify too) never affect ours.
 */
export function setDomWindow(win: DomWindow): void {
  purifiers = {
    toString: createPurifier(win, { ...CONFIG, RETURN_DOM: false, RETURN_DOM_FRAGMENT: false }),
    toFragment: createPurifier(win, { ...CONFIG, RETURN_DOM_FRAGMENT: true }),
  };
}

function createPurifier(win: DomWindow, config: Config): Purifier {
  const instance = DOMPurify(win);
  if (!instance.isSupported) {
    throw new Error('DOMPurify cannot run on this window');
  }
  // Parsing the configuration costs more than sanitising a typical streamed block, so it is done once.
  instance.setConfig(config);
  // Whatever produced the markup, a surviving link has the shape the click interceptor and the host expect:
  // data-href equal to the (already validated) href, and no opener or referrer.
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') {
      return;
    }
    const href = node.getAttribute('href');
    if (href === null) {
      node.removeAttribute('data-href');
      node.removeAttribute('rel');
    } else {
      node.setAttribute('data-href', href);
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return instance;
}

function getPurifiers(): Purifiers {
  if (!purifiers) {
    const win = (globalThis as { window?: DomWindow }).window;
    if (!win) {
      throw new Error('No DOM window: call setDomWindow() before rendering');
    }
    setDomWindow(win);
  }
  return purifiers as Purifiers;
}

/** Sanitised HTML as a string. */
export function sanitizeToString(html: string): string {
  return getPurifiers().toString.sanitize(html);
}

/**
 * Sanitised HTML as a fragment (of an inert document; inserting it adopts the nodes). Inserting the fragment
 * avoids serialising and re-parsing the sanitised markup, the round trip that mutation XSS exploits.
 */
export function sanitizeToFragment(html: string): DocumentFragment {
  // Configured with RETURN_DOM_FRAGMENT through setConfig, which the typings cannot see.
  return getPurifiers().toFragment.sanitize(html) as unknown as DocumentFragment;
}
