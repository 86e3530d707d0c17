/**
 * The Source tab: the answer's own code block, cut into numbered lines when first needed, so a problem can
 * take the reader to its line. The text never changes (textContent stays what the model wrote).
 */

/** Splits the block's text into one span per line (idempotent). Returns the line elements. */
export function numberLines(pre: HTMLElement): HTMLElement[] {
  const code = pre.querySelector('code') ?? pre;
  if (pre.dataset.lines === 'yes') { return Array.from(code.querySelectorAll<HTMLElement>(':scope > .src-line')); }
  const text = code.textContent ?? '';
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') { lines.pop(); }
  const doc = pre.ownerDocument;
  const spans = lines.map((line, i) => {
    const span = doc.createElement('span');
    span.className = 'src-line';
    span.dataset.n = String(i + 1);
    span.textContent = i < lines.length - 1 || text.endsWith('\n') ? `${line}\n` : line;
    return span;
  });
  code.replaceChildren(...spans);
  pre.dataset.lines = 'yes';
  pre.classList.add('numbered');
  return spans;
}

/** Scrolls to line `n` (1-based) of the block and marks it until another line is shown. */
export function revealLine(pre: HTMLElement, n: number): void {
  const lines = numberLines(pre);
  for (const l of lines) { l.classList.remove('src-line-target'); }
  const target = lines[Math.min(Math.max(n, 1), lines.length) - 1];
  if (!target) { return; }
  target.classList.add('src-line-target');
  target.scrollIntoView?.({ block: 'center' });
}
