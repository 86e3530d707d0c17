import * as assert from 'node:assert/strict';
import { document, newContainer } from './domWindow';
import { grammarOf, highlightBlock, highlightedLines } from '../../../webview/highlight/highlight';

describe('webview: source highlighting', () => {
  it('cuts highlighted HTML into numbered lines, splitting a token that spans lines, keeping the text', () => {
    // What highlight.js 11 gives for a YAML string over two lines (its output, as measured).
    const html = '<span class="hljs-attr">title:</span> <span class="hljs-string">&quot;Shop\n  API&quot;</span> <span class="hljs-comment"># x</span>\n<span class="hljs-attr">a:</span> 1\n';
    const lines = highlightedLines(html, document);
    assert.deepEqual(lines.map(l => l.dataset.n), ['1', '2', '3']);
    assert.equal(lines.map(l => l.textContent).join(''), 'title: "Shop\n  API" # x\na: 1\n');
    assert.equal(lines[0].innerHTML, '<span class="hljs-attr">title:</span> <span class="hljs-string">"Shop\n</span>');
    assert.equal(lines[1].innerHTML, '<span class="hljs-string">  API"</span> <span class="hljs-comment"># x</span>\n');
  });

  it('keeps only text and hljs token spans from the highlighter\'s HTML', () => {
    const html = '<img src="https://127.0.0.1:1/x" onerror="alert(1)">a<span class="hljs-string" onclick="x()">b</span><script>c</script><span class="evil">d</span><a href="javascript:e">e</a>';
    const [line] = highlightedLines(html, document);
    assert.equal(line.innerHTML, 'a<span class="hljs-string">b</span>cde');
  });

  it('knows the fences\' languages by their usual names', () => {
    const pre = (lang: string): HTMLElement => { const p = document.createElement('pre'); p.innerHTML = `<code class="language-${lang}">x</code>`; return p; };
    assert.deepEqual(['yaml', 'yml', 'sql', 'postgresql', 'json', 'ts', 'mermaid', 'brainfuck'].map(l => grammarOf(pre(l)) ?? null),
      ['yaml', 'yaml', 'pgsql', 'pgsql', 'json', 'typescript', null, null]);
  });

  it('leaves a block it cannot colour exactly as it was', async () => {
    const pre = newContainer().appendChild(document.createElement('pre'));
    pre.innerHTML = '<code class="language-mermaid">flowchart LR\n  a --> b\n</code>';
    assert.equal(await highlightBlock(pre), false);
    assert.equal(pre.innerHTML, '<code class="language-mermaid">flowchart LR\n  a --&gt; b\n</code>');
  });

  it('colours SQL with highlight.js: keywords and strings become token spans, the text stays the same', async () => {
    const pre = newContainer().appendChild(document.createElement('pre'));
    const sql = "CREATE TABLE users (\n  email text NOT NULL DEFAULT 'x'\n);\n";
    pre.innerHTML = '<code class="language-sql"></code>';
    pre.querySelector('code')!.textContent = sql;
    assert.equal(await highlightBlock(pre), true);
    assert.equal(pre.textContent, sql);
    assert.equal(pre.querySelectorAll('.src-line').length, 3);
    assert.ok([...pre.querySelectorAll('.hljs-keyword')].some(k => k.textContent === 'CREATE'), pre.innerHTML);
    assert.equal(pre.querySelector('.hljs-string')?.textContent, "'x'");
  });
});
