import { JSDOM } from 'jsdom';
import { setDomWindow } from '../../../webview/markdown/sanitize';
import { renderMarkdown } from '../../../webview/markdown/render';
import { StreamingMarkdownView } from '../../../webview/markdown/incremental';
const dom = new JSDOM('<!doctype html><body></body>');
setDomWindow(dom.window as never);
const src = `# Title\n\nSome *text* with [link](https://example.com "t") and [bad](javascript:alert(1)) and ![img](https://127.0.0.1:9/?q=SECRET).\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n\`\`\`yaml file=docs/api/openapi.yaml\nopenapi: 3.1.0\n\n\`\`\`\n\n3. three\n4. four\n\n<img src=x onerror=alert(1)>\n\n[ref]: https://x.test\n![r][ref]\n`;
console.log(renderMarkdown(src));
const c = dom.window.document.createElement('div');
const v = new StreamingMarkdownView(c, { schedule: () => {} });
for (let i = 0; i < src.length; i += 7) { v.append(src.slice(i, i + 7)); v.flush(); }
v.finish();
console.log(c.innerHTML === renderMarkdown(src));
