/**
 * Model markdown to sanitised HTML: markdown-it (parser.ts) then DOMPurify (sanitize.ts). Runs in the
 * webview; unit tests and the benchmark bind a jsdom window first with `setDomWindow` from sanitize.ts.
 */
import { CSS, createMarkdownParser, type ParseEnv } from './parser';
import { sanitizeToFragment, sanitizeToString } from './sanitize';

/**
 * Longest answer rendered, in UTF-16 code units (about 1 MB of mostly ASCII text). Beyond it the text is
 * cut and a notice shown: a runaway or hostile model must not be able to freeze the view (THREATS T14).
 */
export const MAX_ANSWER_CHARS = 1_000_000;

/** Text of the notice that follows an answer cut at MAX_ANSWER_CHARS. */
export const TRUNCATION_NOTICE = `The answer is longer than ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters; the rest is not shown.`;

/** The notice as markup, exactly as StreamingMarkdownView builds it with DOM calls. */
export const TRUNCATION_NOTICE_HTML = `<p class="${CSS.notice}">${TRUNCATION_NOTICE}</p>`;

let parser: ReturnType<typeof createMarkdownParser> | undefined;

function markdownToHtml(source: string, env: ParseEnv): string {
  parser ??= createMarkdownParser();
  return parser.render(source, env);
}

/**
 * Markdown (from the model) to a sanitised HTML string. Images become `[image blocked: …]` text, links
 * carry `data-href` and are opened only through the host, raw HTML is shown as text.
 */
export function renderMarkdown(source: string): string {
  const truncated = source.length > MAX_ANSWER_CHARS;
  const html = sanitizeToString(markdownToHtml(truncated ? source.slice(0, MAX_ANSWER_CHARS) : source, {}));
  return truncated ? html + TRUNCATION_NOTICE_HTML : html;
}

/**
 * Like `renderMarkdown`, as a fragment ready to insert (its nodes are adopted by the document they go into),
 * for a source known to be within the size cap. `env` shares reference definitions between the pieces of a
 * streamed answer.
 * @internal used by StreamingMarkdownView
 */
export function renderMarkdownFragment(source: string, env: ParseEnv = {}): DocumentFragment {
  return sanitizeToFragment(markdownToHtml(source, env));
}
