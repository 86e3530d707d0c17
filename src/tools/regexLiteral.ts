/**
 * The longest run of plain characters every match of a regular expression must contain, so a search can skip
 * a file whose bytes lack it without decoding the file or running the expression on it. Pure.
 *
 * Conservative on purpose: whatever is unclear (a group, a class, an escape other than punctuation, a
 * character followed by a quantifier, anything after a top-level "|") ends the run or yields nothing. A wrong
 * answer here would silently drop hits; a missing one only costs time.
 */

/** Shortest run worth a byte search: one or two characters occur in nearly every file. */
const MIN_LITERAL = 3;

/**
 * A literal every match of `source` (a regular expression without flags other than g/m) contains, or
 * undefined when none of at least three printable ASCII characters can be told for sure.
 */
export function requiredLiteral(source: string): string | undefined {
  const runs: string[] = [];
  let run = '';
  const end = (dropLast: boolean): void => {
    if (dropLast) { run = run.slice(0, -1); }
    if (run.length >= MIN_LITERAL) { runs.push(run); }
    run = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '|') { return undefined; }
    if (c === '\\') {
      // The whole escape: \x41 and \u0041 must not leave "41" or "0041" behind as if they were plain text.
      const escape = /^\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]+\}|c[A-Za-z]|[^])/.exec(source.slice(i))?.[0] ?? '\\';
      i += escape.length - 1;
      // Only an escaped punctuation mark stands for itself; \d, \b, \x41, \u… and the like end the run.
      if (escape.length === 2 && /^[!-/:-@[-`{-~]$/.test(escape[1])) { run += escape[1]; } else { end(false); }
      continue;
    }
    if (c === '(' || c === '[') {
      const close = skipGroup(source, i);
      if (close === undefined) { return undefined; }
      end(false);
      i = close;
      // A quantifier after the group or class is skipped with it.
      i = skipQuantifier(source, i + 1) - 1;
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      // The character before is optional or repeated: it may be absent or not next to what follows.
      end(true);
      continue;
    }
    if (c === '{') {
      end(true);
      const q = /^\{\d*,?\d*\}/.exec(source.slice(i));
      if (q) { i += q[0].length - 1; }
      continue;
    }
    if (c === '.' || c === '^' || c === '$' || c === '}' || c === ')' || c === ']' || c < ' ' || c > '~') {
      end(false);
      continue;
    }
    run += c;
  }
  end(false);
  return runs.reduce<string | undefined>((best, r) => (!best || r.length > best.length ? r : best), undefined);
}

/** The index of the ")" or "]" closing the group or class opened at `start`, or undefined when unbalanced. */
function skipGroup(source: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') { j++; }
      if (source[j] === ']') { j++; }
      while (j < source.length && source[j] !== ']') { j += source[j] === '\\' ? 2 : 1; }
      if (j >= source.length) { return undefined; }
      if (depth === 0) { return j; }
      i = j;
      continue;
    }
    if (c === '(') { depth++; } else if (c === ')') {
      depth--;
      if (depth === 0) { return i; }
    }
  }
  return undefined;
}

/** The index after a quantifier starting at `i` ("*", "+?", "{2,}"…), or `i` when there is none. */
function skipQuantifier(source: string, i: number): number {
  const q = /^(?:[*+?]|\{\d*,?\d*\})\??/.exec(source.slice(i));
  return q ? i + q[0].length : i;
}
