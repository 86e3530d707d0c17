/**
 * Colours a Source tab's code with highlight.js, loaded on first use. Its HTML is not trusted as markup: it
 * is parsed inert and only text and `<span class="hljs-…">` survive, then cut into one element per line so
 * a problem can still point at its line. The text itself never changes.
 */

/** Fence languages (and their usual aliases) to highlight.js grammar names. */
const GRAMMAR: Record<string, string> = {
  yaml: 'yaml', yml: 'yaml', openapi: 'yaml', json: 'json', jsonc: 'json', sql: 'pgsql', postgresql: 'pgsql', postgres: 'pgsql',
  pgsql: 'pgsql', psql: 'pgsql', md: 'markdown', markdown: 'markdown', sh: 'bash', bash: 'bash', shell: 'bash', zsh: 'bash',
  ts: 'typescript', typescript: 'typescript', js: 'javascript', javascript: 'javascript', mjs: 'javascript', py: 'python',
  python: 'python', go: 'go', golang: 'go', java: 'java', kotlin: 'java', dockerfile: 'dockerfile', docker: 'dockerfile',
  xml: 'xml', html: 'xml',
};
/** Beyond this the block stays uncoloured: highlighting is linear, but a huge block is not read anyway. */
const MAX_CHARS = 200_000;
const TOKEN_CLASS = /^hljs-[a-z_]+(?:[ _-][a-z_]+)*(?: [a-z_]+_*)*$/;

type Loaded = typeof import('./hljs');
let loading: Promise<Loaded | undefined> | undefined;

function load(): Promise<Loaded | undefined> {
  loading ??= import('./hljs').catch(() => undefined);
  return loading;
}

/** The grammar for a `<pre>` from the answer (its code's `language-x` class), if we have one. */
export function grammarOf(pre: HTMLElement): string | undefined {
  const cls = /(?:^|\s)language-([\w+-]+)/.exec(pre.querySelector('code')?.className ?? '')?.[1]?.toLowerCase();
  return cls ? GRAMMAR[cls] : undefined;
}

/**
 * Highlighted HTML as line elements: a fresh `<span class="src-line">` per line, each holding the token
 * spans open at that point (a token that spans lines is split). Anything but text and hljs spans is kept
 * as its text only.
 */
export function highlightedLines(html: string, doc: Document): HTMLElement[] {
  const template = doc.createElement('template');
  template.innerHTML = html;
  const lines: HTMLElement[] = [];
  const newLine = (): HTMLElement => {
    const line = doc.createElement('span');
    line.className = 'src-line';
    line.dataset.n = String(lines.length + 1);
    return line;
  };
  let line = newLine();
  let open: HTMLElement[] = [];
  const current = (): HTMLElement => open[open.length - 1] ?? line;
  const walk = (node: Node, classes: string[]): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === 3) {
        (child.textContent ?? '').split('\n').forEach((part, i) => {
          if (i > 0) {
            current().append('\n');
            lines.push(line);
            line = newLine();
            open = [];
            for (const c of classes) { const span = doc.createElement('span'); span.className = c; current().append(span); open.push(span); }
          }
          if (part) { current().append(part); }
        });
      } else if (child.nodeType === 1) {
        const cls = (child as Element).getAttribute('class') ?? '';
        if ((child as Element).localName === 'span' && TOKEN_CLASS.test(cls)) {
          const span = doc.createElement('span');
          span.className = cls;
          current().append(span);
          open.push(span);
          walk(child, [...classes, cls]);
          open.pop();
        } else {
          walk(child, classes);
        }
      }
    }
  };
  walk(template.content, []);
  if (line.textContent !== '' || lines.length === 0) { lines.push(line); }
  return lines;
}

/**
 * Colours the block in place (once): its code becomes highlighted, numbered lines. Resolves false when it
 * stays plain (no grammar for its language, too long, or no highlighter in this build).
 */
export async function highlightBlock(pre: HTMLElement): Promise<boolean> {
  if (pre.dataset.highlighted) { return pre.dataset.highlighted === 'yes'; }
  const code = pre.querySelector('code');
  const grammar = grammarOf(pre);
  const text = code?.textContent ?? '';
  if (!code || !grammar || text.length > MAX_CHARS) { pre.dataset.highlighted = 'no'; return false; }
  pre.dataset.highlighted = 'pending';
  const hl = (await load())?.highlighter;
  if (!hl?.languages.has(grammar) || code.textContent !== text) { pre.dataset.highlighted = 'no'; return false; }
  const lines = highlightedLines(hl.highlight(text, grammar), pre.ownerDocument);
  const target = code.querySelector('.src-line-target') as HTMLElement | null;
  code.replaceChildren(...lines);
  if (target) { lines[Number(target.dataset.n) - 1]?.classList.add('src-line-target'); }
  pre.dataset.lines = 'yes';
  pre.classList.add('numbered', 'hljs');
  pre.dataset.highlighted = 'yes';
  return true;
}
