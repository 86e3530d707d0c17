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

/**
 * markdown-it's `env`: carries reference definitions from one render to the next while streaming, and the
 * answer line the rendered piece starts on (`lineOffset`, 0-based), so each fence says where it is.
 */
export type ParseEnv = NonNullable<Parameters<Parser['render']>[1]> & { lineOffset?: number };

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
  md.block.ruler.before('table', 'ba_wide_table', wideTableAsSource, { alt: ['paragraph', 'reference'] });
  md.core.ruler.push('ba_policy', (state) => applyPolicy(state.tokens));

  const rules = md.renderer.rules;
  const escape = md.utils.escapeHtml;

  // Unreachable with `html: false`; here so that turning it on by mistake shows markup as text, not as HTML.
  rules.html_block = (tokens, idx) => escape(tokens[idx].content);
  rules.html_inline = (tokens, idx) => escape(tokens[idx].content);

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

  rules.fence = (tokens, idx, _options, env?: ParseEnv) => {
    const token = tokens[idx];
    const info = cleanInfoString(md.utils.unescapeAll(token.info));
    const language = languageOf(info);
    const infoAttr = info ? ` data-info="${escape(info)}"` : '';
    const classAttr = language ? ` class="language-${escape(language)}"` : '';
    // The answer line where the content starts (as artifact extraction counts it): its card goes here.
    const lineAttr = token.map ? ` data-line="${(env?.lineOffset ?? 0) + token.map[0] + 2}"` : '';
    return `<pre${infoAttr}${lineAttr}><code${classAttr}>${escape(token.content)}</code></pre>\n`;
  };

  return md;
}

/**
 * Tables wider than this are shown as their source in a code block. markdown-it builds every cell (and pads
 * short rows, up to 65,536 cells) and a browser lays out every column: a 5,000-column table costs seconds
 * for text nobody could read as a table anyway (THREATS T14).
 */
export const MAX_TABLE_COLUMNS = 64;

type BlockState = Parameters<Parameters<Parser['block']['ruler']['push']>[1]>[0];

/**
 * A block rule run just before markdown-it's table rule: when the line after `startLine` is a table delimiter
 * row with more than MAX_TABLE_COLUMNS columns, the lines up to the next blank line become a code block.
 */
function wideTableAsSource(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  const delimiterLine = startLine + 1;
  if (delimiterLine >= endLine || state.sCount[delimiterLine] < state.blkIndent || state.sCount[delimiterLine] - state.blkIndent >= 4) {
    return false;
  }
  let pipes = 0;
  for (let pos = state.bMarks[delimiterLine] + state.tShift[delimiterLine]; pos < state.eMarks[delimiterLine]; pos++) {
    const c = state.src.charCodeAt(pos);
    if (c === 0x7c /* | */) {
      pipes++;
    } else if (c !== 0x2d /* - */ && c !== 0x3a /* : */ && c !== 0x20 && c !== 0x09) {
      return false;
    }
  }
  if (pipes <= MAX_TABLE_COLUMNS + 1) {
    return false;
  }
  if (silent) {
    return true;
  }
  let next = delimiterLine + 1;
  while (next < endLine && !state.isEmpty(next) && state.sCount[next] >= state.blkIndent) {
    next++;
  }
  const token = state.push('code_block', 'code', 0);
  token.content = state.getLines(startLine, next, state.blkIndent, true);
  token.map = [startLine, next];
  state.line = next;
  return true;
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
