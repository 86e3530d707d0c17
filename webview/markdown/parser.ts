/**
 * The markdown-it instance that turns model output into HTML *before* sanitising. Everything security
 * relevant is decided here as well as in sanitize.ts: raw HTML is escaped (`html: false`), images become
 * inert text, links carry `data-href` for the click interceptor, fences keep their info string.
 */
import MarkdownIt from 'markdown-it';
import { cleanInfoString, describeImageSource, isAllowedHref, languageOf } from './urlPolicy';

/** Class names the renderer emits; the webview stylesheet targets these. */
export const CSS = {
  imageBlocked: 'md-image-blocked',
  linkBlocked: 'md-link-blocked',
  notice: 'md-notice',
  alignPrefix: 'md-align-',
} as const;


// Derived from the instance: markdown-it's own typings (import) and the CommonJS ones name these differently.
type Parser = InstanceType<typeof MarkdownIt>;
type Token = ReturnType<Parser['parse']>[number];

/** markdown-it's `env`: carries reference definitions from one render to the next while streaming. */
export type ParseEnv = NonNullable<Parameters<Parser['render']>[1]>;

const OPTIONS = {
  // Raw HTML from the model is shown as text: no tag the model writes ever reaches the DOM (T3, T4).
  html: false,
  // Off: linkify-it accepts every two-letter TLD, so `main.py`, `setup.sh` or `README.md` in an answer
  // would turn into links to strangers' hosts. Models write real links as `[text](url)` or `<url>`.
  linkify: false,
  typographer: false,
  breaks: false,
  // markdown-it stops nesting blocks and inline spans here, which bounds DOM depth for `>>>>…` and `[[[[…`.
  maxNesting: 32,
} as const;

/** Creates the configured parser. One instance is enough for the whole webview. */
export function createMarkdownParser(): Parser {
  const md = new MarkdownIt('default', OPTIONS);
  // Every destination is accepted at parse time so that images with any scheme still become an image token
  // (and so a blocked-image notice), and a link with a refused scheme still shows its label; the policy is
  // enforced when rendering, below.
  md.validateLink = () => true;
  md.core.ruler.push('ba_policy', (state) => applyPolicy(state.tokens));

  const rules = md.renderer.rules;
  const escape = md.utils.escapeHtml;

  rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    const alt = self.renderInlineAsText(token.children ?? [], options, env).trim() || 'untitled';
    const source = describeImageSource(attr(token, 'src'));
    return `<span class="${CSS.imageBlocked}">[image blocked: ${escape(alt)} → ${escape(source)}]</span>`;
  };

  rules.link_open = (tokens, idx) => {
    const token = tokens[idx];
    if (token.meta?.blocked) {
      return `<span class="${CSS.linkBlocked}">`;
    }
    const href = escape(attr(token, 'href'));
    const title = attr(token, 'title');
    const titleAttr = title ? ` title="${escape(title)}"` : '';
    return `<a href="${href}" data-href="${href}"${titleAttr} rel="noopener noreferrer">`;
  };
  rules.link_close = (tokens, idx) => (tokens[idx].meta?.blocked ? '</span>' : '</a>');

  rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    const info = cleanInfoString(md.utils.unescapeAll(token.info));
    const language = languageOf(info);
    const infoAttr = info ? ` data-info="${escape(info)}"` : '';
    const classAttr = language ? ` class="language-${escape(language)}"` : '';
    return `<pre${infoAttr}><code${classAttr}>${escape(token.content)}</code></pre>\n`;
  };

  return md;
}

/**
 * Marks links whose target the policy refuses (the renderer shows their label as text) and turns table
 * alignment into classes, so that DOMPurify can forbid the `style` attribute altogether.
 */
function applyPolicy(tokens: Token[]): void {
  for (const token of tokens) {
    if (token.type === 'th_open' || token.type === 'td_open') {
      alignToClass(token);
    } else if (token.type === 'inline' && token.children) {
      markBlockedLinks(token.children);
    }
  }
}

function alignToClass(token: Token): void {
  const style = attr(token, 'style');
  if (!style) {
    return;
  }
  token.attrs = (token.attrs ?? []).filter((pair) => pair[0] !== 'style');
  const align = /text-align:\s*(left|right|center)/.exec(style)?.[1];
  if (align) {
    token.attrJoin('class', `${CSS.alignPrefix}${align}`);
  }
}

function markBlockedLinks(children: Token[]): void {
  // Links do not nest in CommonMark, but a stack keeps open/close pairs right even if a plugin ever makes them.
  const open: Token[] = [];
  for (const token of children) {
    if (token.type === 'link_open') {
      const blocked = !isAllowedHref(attr(token, 'href'));
      token.meta = { ...(token.meta ?? {}), blocked };
      open.push(token);
    } else if (token.type === 'link_close') {
      const opener = open.pop();
      token.meta = { ...(token.meta ?? {}), blocked: opener?.meta?.blocked === true };
    }
  }
}

function attr(token: Token, name: string): string {
  const value = token.attrGet(name);
  return value === null ? '' : String(value);
}
