// UI tests: the packaged .vsix installed into a real VS Code (code-server), the workbench driven in Chromium
// the way a person would use it. Screenshots go to docs/screenshots (shown in the README).
// Usage: node test/e2e/ui.mjs [path/to.vsix]   env: SHOTS, E2E_KEEP, E2E_ONLY (substring of a test name),
// UI_GREP (a regular expression over the test names; the tests build on each other, so keep the ones before)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { copyDir, installVsix, launchChromium, makeTmp, repoRoot, startCodeServer, writeUserSettings } from '../support/codeServer.mjs';
import { ModelServer } from '../../out/test/support/modelServer.js';
import { demoAnswer, demoDesign } from '../../out/test/support/demoAnswers.js';
import { parse as parseYaml } from 'yaml';

const vsix = path.resolve(process.argv[2] ?? path.join(repoRoot, 'backend-architect.vsix'));
const shots = process.env.SHOTS ?? path.join(repoRoot, 'docs/screenshots');
fs.mkdirSync(shots, { recursive: true });
const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

const tmp = makeTmp('e2e-');
const workspace = copyDir(path.join(repoRoot, 'sample-workspace'), path.join(tmp, 'shop-api'));
// The person's own agents: one good, one broken (a YAML alias, which the loader refuses).
fs.mkdirSync(path.join(workspace, '.claude/agents'), { recursive: true });
fs.writeFileSync(path.join(workspace, '.claude/agents/api-reviewer.md'), '---\nname: api-reviewer\ndescription: Reviews HTTP APIs for consistency and safety.\n---\nYou review APIs.\n');
fs.writeFileSync(path.join(workspace, '.claude/agents/broken.md'), '---\nname: broken\ntools: &t [Read]\nmodel: *t\n---\nBody\n');
log(installVsix(tmp, vsix).trim().split('\n').pop());
const model = await ModelServer.start({ quiet: true, models: ['demo-recorded'], defaultAnswer: demoAnswer });
const userSettings = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'backendArchitect.provider': 'custom',
  'backendArchitect.baseURL': model.url,
  'backendArchitect.model': 'demo-recorded',
};
writeUserSettings(tmp, userSettings);
const server = await startCodeServer(tmp, { env: { BACKEND_ARCHITECT_DEMO_URL: model.url } });
log('code-server at', server.url, 'model server at', model.url);

/** Webviews are nested iframes; finds the frame that holds `selector`. */
async function frameWith(page, selector, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try { if (await f.$(selector)) { return f; } } catch { /* frame navigated meanwhile */ }
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview frame shows ${selector}`);
}

/** The palette lists commands when it opens; until the extension's contributions are in, retry. */
async function runCommand(page, title, attempts = 6) {
  const exactly = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  for (let i = 1; ; i++) {
    // The row whose label is exactly the title: other commands may rank above it.
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactly }) }).first();
    try {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      // Right after a reload the workbench may not take keys yet: try again rather than wait long.
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`);
      await row.waitFor({ timeout: 5000 });
      await row.click();
      return;
    } catch (e) { await page.keyboard.press('Escape'); if (i >= attempts) { throw e; } }
  }
}

/** Waits until the newest answer in a webview frame has finished, and returns its status and text. */
async function finishedAnswer(frame, ms = 60000) {
  const answer = frame.locator('.turn.assistant').last();
  await answer.waitFor({ timeout: ms });
  await frame.waitForFunction(() => {
    const turns = document.querySelectorAll('.turn.assistant');
    const last = turns[turns.length - 1];
    return last && last.getAttribute('data-status') && last.getAttribute('data-status') !== 'streaming';
  }, null, { timeout: ms });
  return { status: await answer.getAttribute('data-status'), text: await answer.locator('div.content').innerText() };
}

function expect(cond, message) { if (!cond) { throw new Error(message); } }

/** The webview frame holding `selector` with `text` in it (several panels may be open). */
async function frameWithText(page, selector, text, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      try { if (await f.locator(selector, { hasText: text }).count()) { return f; } } catch { /* navigated */ }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview frame shows ${selector} with ${text}`);
}

/** Waits for a file in the workspace. */
/**
 * Resolves with the file's bytes once it exists and `complete` accepts them: a file appears on disk before
 * all of it is written, so a check made at first sight may read half of it.
 */
async function fileAppears(page, rel, ms = 20000, complete = () => true) {
  const file = path.join(workspace, rel);
  const ready = () => fs.existsSync(file) && complete(fs.readFileSync(file));
  const end = Date.now() + ms;
  while (!ready() && Date.now() < end) { await page.waitForTimeout(200); }
  expect(fs.existsSync(file), `${rel} written`);
  return fs.readFileSync(file);
}

/** Write All's list (a QuickPick with checkboxes), once it shows the row for `file`. */
async function writeAllList(page, file) {
  const list = page.locator('.quick-input-widget', { hasText: 'Write All into' });
  await list.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 20000 });
  // Done fading in (a picture taken earlier shows the box before it half see-through).
  await page.waitForFunction(() => [...document.querySelectorAll('.quick-input-widget')].some(w => getComputedStyle(w).opacity === '1' && w.textContent.includes('Write All into')),
    null, { timeout: 5000 }).catch(() => {});
  return list;
}

/** A row of Write All's list, and whether it is ticked (its checkbox). */
function listRow(page, file) {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: file }).first();
}
async function ticked(row) {
  return await row.getAttribute('aria-checked') === 'true' || await row.locator('input[type="checkbox"]').isChecked().catch(() => false);
}

const fixture = rel => fs.readFileSync(path.join(repoRoot, 'test/fixtures/artifacts', rel), 'utf8');
const museum = fixture('openapi/valid/redocly-museum-3.1.yaml');
const pagila = fixture('sql/valid/pagila-schema.sql');
/** Operations in the museum spec's paths, counted from the document itself. */
const museumOperations = Object.values(parseYaml(museum).paths).flatMap(item => Object.keys(item).filter(k => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'].includes(k))).length;
const museumAnswer = ['## API', '', 'The Redocly museum API, as published (MIT).', '', '```yaml file=docs/api/museum.yaml', museum.replace(/\n?$/, ''), '```', '',
  '## Schema', '', 'Pagila, as published (PostgreSQL licence).', '', '```sql file=db/pagila.sql', pagila.replace(/\n?$/, ''), '```', '',
  '## Services', '', '```mermaid file=docs/architecture/museum.mmd', 'flowchart LR', '  visitor[Visitor app] --> api[Museum API]', '  api --> events[Special events]',
  '  api --> tickets[Tickets]', '  tickets --> db[(PostgreSQL)]', '  events --> db', '```', ''].join('\n');

const tests = [
  ['@architect in VS Code\'s Chat view answers through our model, with each file\'s check, its links and buttons', async page => {
    // The other tests run with VS Code's AI features off (no Copilot prompts in their way); this one needs the Chat view.
    // It runs first: once a Design panel has been open, Ctrl+Alt+I no longer opened the Chat view in code-server.
    writeUserSettings(tmp, { ...userSettings, 'chat.disableAIFeatures': false });
    try {
      const input = page.locator('.interactive-input-part').last();
      // The chat's keys work once VS Code has read the changed setting.
      for (let i = 0; i < 10 && !(await input.isVisible()); i++) {
        await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
        await page.keyboard.press('Control+Alt+I');
        await input.waitFor({ timeout: 3000 }).catch(() => {});
      }
      // No Copilot: the picker offers the endpoint's models, which the extension announced when it started.
      await input.locator('.action-label', { hasText: 'demo-recorded' }).waitFor({ timeout: 30000 })
        .catch(async e => { await page.screenshot({ path: path.join(tmp, 'chat-picker.png') }).catch(() => {}); throw new Error(`${e.message}; the input's labels: ${(await input.locator('.action-label').allInnerTexts().catch(() => [])).join(' | ')}`); });
      await input.locator('.monaco-editor').click();
      await page.keyboard.type('@architect /design An order service for the shop', { delay: 20 });
      await page.keyboard.press('Enter');
      const response = page.locator('.interactive-response').last();
      await response.getByRole('button', { name: 'Open in Panel' }).waitFor({ timeout: 120000 });
      // textContent: the part scrolled out of view is not laid out, and innerText leaves it out.
      const text = (await response.textContent() ?? '').replace(/\s+/g, ' ');
      expect(/modular monolith/.test(text) && /Stock oversell/.test(text), 'the answer is shown, not folded away');
      expect(/Files in this answer/.test(text), 'the files are listed under it');
      expect(/docs\/api\/openapi\.yaml\s*· OpenAPI · valid/.test(text), `the spec's check: ${text.slice(-900)}`);
      expect(/db\/schema\.sql\s*· SQL · valid/.test(text), 'the schema ran in Postgres');
      expect(await response.getByRole('button', { name: /^Write All/ }).isVisible(), 'Write All is offered');
      const sent = model.requests.filter(r => r.path.endsWith('/chat/completions')).at(-1).body;
      expect(sent.model === 'demo-recorded' && /An order service for the shop/.test(sent.messages.at(-1).content), 'the request went to our endpoint');
      // For the screenshot only: the chat maximized, and VS Code's own notice over the input closed.
      const aux = page.locator('.part.auxiliarybar');
      await aux.getByRole('button', { name: /^(Close|Dismiss)/ }).first().click({ timeout: 2000 }).catch(() => {});
      const maximize = aux.locator('[aria-label="Maximize Secondary Side Bar"]').first();
      const wide = await maximize.isVisible().catch(() => false);
      if (wide) { await maximize.click(); await page.waitForTimeout(800); }
      await response.locator('h2', { hasText: 'Risks' }).scrollIntoViewIfNeeded().catch(() => {});
      await page.screenshot({ path: path.join(shots, 'chat-participant.png') });
      if (wide) { await aux.locator('[aria-label^="Restore"], [aria-label="Maximize Secondary Side Bar"]').first().click().catch(() => {}); }
      // Each file's links: Write · Show Diff · Open in Panel (the third file is db/schema.sql).
      await response.locator('li', { hasText: 'Show Diff' }).nth(2).locator('a', { hasText: 'Show Diff' }).click();
      await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 20000 });
      await response.getByRole('button', { name: 'Open in Panel' }).click();
      const panel = await frameWith(page, 'body[data-mode="design"] .file-card');
      expect(await panel.locator('.file-card', { hasText: 'docs/api/openapi.yaml' }).count() === 1, 'the panel shows the answer\'s files');
    } finally {
      writeUserSettings(tmp, userSettings);
    }
  }],
  ['Design Backend from the command palette streams an answer into a panel', async page => {
    await runCommand(page, 'Backend Architect: Design Backend');
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('An e-commerce backend with users, catalog and orders');
    await page.keyboard.press('Enter');
    // Its own panel, found by the request: the panel @architect's test opened holds the same recorded design,
    // and its frame goes away once this one takes the editor group.
    const frame = await frameWithText(page, 'body[data-mode="design"] .turn.user', 'An e-commerce backend with users, catalog and orders');
    const { status, text } = await finishedAnswer(frame);
    expect(status === 'complete', `answer status ${status}`);
    expect(/modular monolith/.test(text) && /Stock oversell/.test(text), 'the whole recorded design is shown');
    expect(await frame.locator('.header .demo').isVisible(), 'the answer is labelled as a demo');
    expect(await frame.locator('pre[data-line] code.language-mermaid').count() === 1, 'the diagram source is a code block (in its card\'s Source tab)');
    const sent = model.requests.filter(r => r.path.endsWith('/chat/completions')).at(-1).body;
    expect(/An e-commerce backend with users, catalog and orders/.test(JSON.stringify(sent.messages.at(-1).content)), 'the design went to our endpoint');
    await page.screenshot({ path: path.join(shots, 'design-backend.png') });
  }],
  ['the design\'s diagram is drawn, its files are checked, and Write All puts them on disk', async page => {
    const frame = await frameWithText(page, 'body[data-mode="design"] .turn.user', 'An e-commerce backend with users, catalog and orders');
    await finishedAnswer(frame);
    // Drawn by mermaid inside the webview, under its strict CSP.
    await frame.locator('figure.diagram[data-state="ok"] svg').first().waitFor({ timeout: 60000 });
    const card = p => frame.locator('.file-card', { hasText: p });
    await card('docs/api/openapi.yaml').locator('.file-status', { hasText: 'Valid' }).waitFor({ timeout: 60000 });
    await card('docs/architecture/services.mmd').locator('.file-status', { hasText: 'Valid' }).waitFor({ timeout: 60000 });
    // Run in embedded Postgres in the extension host's worker; its ER diagram comes as a derived file.
    await card('db/schema.sql').locator('.file-status', { hasText: 'Valid' }).waitFor({ timeout: 90000 });
    await card('db/schema.er.mmd').waitFor({ timeout: 20000 });
    await frame.locator('.file-card .file-status', { hasText: 'Checking' }).first().waitFor({ state: 'detached', timeout: 60000 }).catch(() => {});
    await card('docs/api/openapi.yaml').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'artifacts.png') });
    await frame.locator('.files-head vscode-button', { hasText: 'Write All' }).click();
    // One list first: every file under what writing it does, ticked; Enter writes the ticked ones.
    const list = await writeAllList(page, 'db/schema.er.mmd');
    expect(/Will create/.test(await list.innerText()) && /docs\/api\/openapi\.yaml/.test(await list.innerText()), 'the list names the files under "Will create"');
    await page.screenshot({ path: path.join(shots, 'write-all-confirm.png') });
    await page.keyboard.press('Enter');
    for (const f of ['docs/api/openapi.yaml', 'docs/architecture/services.mmd', 'db/schema.sql', 'db/schema.er.mmd']) {
      const end = Date.now() + 20000;
      while (!fs.existsSync(path.join(workspace, f)) && Date.now() < end) { await page.waitForTimeout(200); }
      expect(fs.existsSync(path.join(workspace, f)), `${f} written`);
    }
    expect(/openapi: 3\.1\.0/.test(fs.readFileSync(path.join(workspace, 'docs/api/openapi.yaml'), 'utf8')), 'the spec content');
    await card('docs/api/openapi.yaml').locator('.file-written', { hasText: 'Written to docs/api/openapi.yaml' }).waitFor({ timeout: 20000 });
  }],
  ['keyboard only: from Design Backend to Write All', async page => {
    model.enqueue({ content: demoDesign.replace(/file=(docs|db)\//g, 'file=kbd/$1/') });
    // Start from the Explorer. When the command palette closes, VS Code gives the focus back to what had it
    // before; a webview gets it back through a message to its frame, which on a busy machine can arrive after
    // the command's own input box has opened and take the keys from it. The Explorer gets it back at once.
    await page.keyboard.press('Control+Shift+KeyE');
    await page.waitForFunction(() => !!document.activeElement?.closest('.explorer-folders-view'), null, { timeout: 10000 });
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await page.keyboard.type('>Backend Architect: Design Backend');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Design Backend' }).waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    // The command's own input box (its placeholder), focused, before typing.
    await page.locator('.quick-input-widget input[placeholder^="e.g. An e-commerce"]:focus').waitFor({ timeout: 10000 })
      .catch(async e => { throw new Error(`${e.message}; the focus is on ${await page.evaluate(() => { const a = document.activeElement; return a ? `${a.tagName}.${a.className} ${a.getAttribute('aria-label') ?? ''}` : 'nothing'; })}`); });
    await page.keyboard.type('A shop, by keyboard');
    await page.keyboard.press('Enter');
    const frame = await frameWithText(page, '.turn.user', 'A shop, by keyboard');
    const { status } = await finishedAnswer(frame);
    expect(status === 'complete', `answer status ${status}`);
    await frame.locator('.file-card', { hasText: 'kbd/db/schema.sql' }).locator('.file-status', { hasText: /^Valid$/ }).waitFor({ timeout: 90000 });
    await frame.locator('.file-card .file-status', { hasText: 'Checking' }).first().waitFor({ state: 'detached', timeout: 60000 }).catch(() => {});
    // Focus is in the panel's message box; Alt+W takes it to Write All, whose focus is visible.
    expect(await frame.evaluate(() => document.activeElement?.id === 'input'), 'the panel opened with focus in its message box');
    await page.keyboard.press('Alt+KeyW');
    // The button is a web component: its inner control holds the focus, and shows it.
    expect(await frame.evaluate(() => { const a = document.activeElement; return !!a?.classList.contains('write-all') && !!(a.shadowRoot?.activeElement ?? a).matches(':focus-visible'); }),
      'Write All has the (visible) focus');
    await page.keyboard.press('Enter');
    // The list takes the focus; Enter writes what is ticked.
    await writeAllList(page, 'kbd/docs/api/openapi.yaml');
    await page.locator('.quick-input-widget input:focus').waitFor({ timeout: 10000 });
    await page.keyboard.press('Enter');
    for (const f of ['kbd/docs/api/openapi.yaml', 'kbd/docs/architecture/services.mmd', 'kbd/db/schema.sql']) { await fileAppears(page, f); }
  }],
  ['the chat view answers in the side panel', async page => {
    await page.locator('.activitybar .action-label[aria-label^="Backend Architect"]').first().click();
    const frame = await frameWith(page, 'body[data-mode="chat"] #input');
    await frame.locator('#input textarea').fill('Which database fits this shop?');
    await frame.locator('#input textarea').press('Enter');
    await frame.locator('.turn.user', { hasText: 'Which database fits this shop?' }).waitFor();
    const { status } = await finishedAnswer(frame);
    expect(status === 'complete', `chat answer status ${status}`);
    await page.screenshot({ path: path.join(shots, 'chat.png') });
  }],
  ['Stop (Escape) ends a streaming answer and keeps what arrived', async page => {
    const frame = await frameWith(page, 'body[data-mode="chat"] #input');
    model.enqueue({ chunks: Array.from({ length: 400 }, (_, i) => `word${i} `), chunkDelayMs: 40 });
    await frame.locator('#input textarea').fill('Explain the trade-offs slowly');
    await frame.locator('#input textarea').press('Enter');
    await frame.locator('.turn.assistant[data-status="streaming"] div.content', { hasText: 'word5' }).waitFor({ timeout: 20000 });
    expect(await frame.locator('#stop').isVisible(), 'Stop is offered while the answer streams');
    await page.screenshot({ path: path.join(shots, 'chat-streaming.png') });
    await frame.locator('#stop').click();
    const { status, text } = await finishedAnswer(frame);
    expect(status === 'stopped', `status after Stop: ${status}`);
    expect(/word0 word1/.test(text) && !/word399/.test(text), 'the partial text stays, the rest never came');
    expect(await frame.locator('.turn.assistant').last().locator('.status', { hasText: 'Stopped' }).isVisible(), 'the answer says it was stopped');
    expect(await frame.locator('.turn.assistant').last().locator('vscode-button[data-action="retry"]').isVisible(), 'Retry is offered');
  }],
  ['hostile model output renders inert: no request leaves the webview, nothing runs (THREATS T1–T4)', async page => {
    // A canary on 127.0.0.1: any image, link prefetch, CSS or diagram load would reach it.
    const hits = [];
    const canary = http.createServer((req, res) => { hits.push(req.url); res.end('x'); });
    await new Promise(r => canary.listen(0, '127.0.0.1', r));
    const c = `http://127.0.0.1:${canary.address().port}`;
    try {
      const hostile = [
        `Inline ![x](${c}/inline?secret=1) and reference ![y][ref].`, '', `[ref]: ${c}/ref`, '',
        `<img src=x onerror="window.pwned=1"> <img src="${c}/raw-img">`,
        `<form action="${c}/form"><button>Apply</button></form>`,
        `<a href="javascript:window.pwned=2">js link</a> [md js](javascript:window.pwned=3)`,
        `<svg><image href="${c}/svg-image"/></svg> <link rel=prefetch href="${c}/prefetch">`,
        `<div style="background:url(${c}/css)">styled</div>`, '',
        '```mermaid', 'flowchart LR', `  A["<img src='${c}/mermaid-img'>"] --> B`, `  click A "javascript:window.pwned=4"`, '```', '',
      ].join('\n');
      model.enqueue({ content: hostile });
      const frame = await frameWith(page, 'body[data-mode="chat"] #input');
      await frame.locator('#input textarea').fill('Show me something');
      await frame.locator('#input textarea').press('Enter');
      await frame.locator('.turn.assistant', { hasText: 'js link' }).last().waitFor({ timeout: 20000 });
      await finishedAnswer(frame);
      await frame.locator('.turn.assistant').last().locator('figure.diagram').waitFor({ timeout: 30000 });
      await page.waitForTimeout(2000);
      expect(hits.length === 0, `the canary was reached: ${hits.join(', ')}`);
      const last = frame.locator('.turn.assistant').last();
      const content = last.locator('div.content');
      const live = await content.last().evaluate(el => Array.from(el.querySelectorAll('img, form, button, iframe, link, [onerror], [style]'))
        .filter(e => !e.closest('svg') && !e.closest('.tabs, .diagram-stage, .file-card-head')).map(e => e.outerHTML.slice(0, 120)));
      expect(live.length === 0, `no live img/form/button/style in the answer: ${live.join(' | ')}`);
      expect(await content.locator('figure.diagram image, figure.diagram foreignObject, figure.diagram a, figure.diagram script').count() === 0, 'the diagram\'s SVG holds no image, HTML, link or script');
      expect(await last.locator('a[href^="javascript"]').count() === 0, 'no javascript: links');
      expect(await last.locator('.md-image-blocked').count() >= 2, 'images are shown as blocked text');
      expect(await frame.evaluate(() => window.pwned) === undefined, 'no script ran');
    } finally {
      canary.close();
    }
  }],
  ['right-click a folder in the Explorer → Review Architecture', async page => {
    await page.keyboard.press('Control+Shift+E');
    const row = page.locator('.explorer-folders-view').getByRole('treeitem', { name: 'src', exact: true });
    await row.waitFor({ timeout: 30000 });
    await row.click({ button: 'right' });
    const item = page.locator('.context-view .action-item', { hasText: 'Review Architecture' });
    await item.waitFor({ timeout: 10000 });
    await page.screenshot({ path: path.join(shots, 'review-context-menu.png') });
    await item.click();
    const frame = await frameWith(page, 'body[data-mode="review"] .turn.user');
    const { status, text } = await finishedAnswer(frame);
    expect(status === 'complete', `review status ${status}`);
    expect(/orders are created without validation/.test(text), 'the review findings are shown');
    const sent = JSON.stringify(model.requests.filter(r => r.path.endsWith('/chat/completions')).at(-1).body.messages);
    expect(/routes\/orders\.js/.test(sent) && !/model OrderLine|docker-compose/.test(sent), 'only the src folder was read for the model');
    // The demo model reads two files first: each read is a step of the answer, opening to what the model was sent.
    const steps = frame.locator('.steps .step');
    await steps.first().waitFor({ timeout: 20000 });
    expect(await steps.count() === 2, `two reads shown, not ${await steps.count()}`);
    const read = frame.locator('.steps .step', { hasText: 'Read routes/orders.js' });
    expect(/22 of 22 lines/.test(await read.locator('summary').textContent()), 'the step says what was read');
    await read.locator('summary').click();
    expect(/ordersRouter\.post/.test(await read.locator('.step-detail').textContent()), 'the step opens to what the model was sent');
    await read.locator('summary').click();
    // The findings: listed in the panel, and in the Problems panel on their lines.
    await frame.locator('.finding', { hasText: 'Order requests are not validated' }).waitFor({ timeout: 30000 });
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'Order requests are not validated' }).first().waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(shots, 'review-architecture.png') });
  }],
  ['Select Agent lists workspace agents with their origin, shows broken files, and switches the chat', async page => {
    await runCommand(page, 'Backend Architect: Select Agent');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'api-reviewer' });
    await row.waitFor({ timeout: 20000 });
    expect(/workspace/.test(await row.innerText()), 'the origin is shown');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'broken.md' }).waitFor();
    expect(/not loaded/.test(await page.locator('.quick-input-list .monaco-list-row', { hasText: 'broken.md' }).innerText()), 'the broken file says it was not loaded');
    await page.screenshot({ path: path.join(shots, 'select-agent.png') });
    await row.click();
    await runCommand(page, 'Backend Architect: Open Chat');
    const frame = await frameWith(page, 'body[data-mode="chat"] #input');
    await frame.locator('.header .agent', { hasText: 'api-reviewer' }).waitFor({ timeout: 20000 });
  }],
  ['in a light high-contrast theme the panel follows, and the diagram is drawn again in its colours', async page => {
    const tab = page.locator('.tabs-container .tab', { hasText: 'Design: An e-commerce backend' });
    await tab.click();
    const frame = await frameWith(page, 'body[data-mode="design"] figure.diagram[data-state="ok"]');
    const before = await frame.locator('figure.diagram svg').first().innerHTML();
    await runCommand(page, 'Preferences: Color Theme');
    await page.keyboard.type('Light High Contrast');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light High Contrast' }).first().click({ timeout: 10000 });
    await frame.waitForFunction(() => document.body.classList.contains('vscode-high-contrast-light'), null, { timeout: 20000 });
    await frame.waitForFunction(prev => { const svg = document.querySelector('figure.diagram svg'); return !!svg && svg.innerHTML !== prev; }, before, { timeout: 30000 });
    await frame.locator('figure.diagram').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'high-contrast.png') });
    await runCommand(page, 'Preferences: Color Theme');
    await page.keyboard.type('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Dark Modern' }).first().click({ timeout: 10000 });
    await frame.waitForFunction(() => !document.body.classList.contains('vscode-high-contrast'), null, { timeout: 20000 });
  }],
  ['a window reload loses nothing: the design panel and the chat come back', async page => {
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    const tab = page.locator('.tabs-container .tab', { hasText: 'Design: An e-commerce backend' });
    await tab.waitFor({ timeout: 60000 });
    await tab.click();
    const design = await frameWithText(page, 'body[data-mode="design"] .turn.user', 'An e-commerce backend with users', 60000);
    await design.locator('.turn.assistant[data-status="complete"]').last().waitFor({ timeout: 60000 });
    expect(/Stock oversell/.test(await design.locator('.turn.assistant div.content').last().innerText()), 'the design answer is back');
    await runCommand(page, 'Backend Architect: Open Chat');
    const chat = await frameWith(page, 'body[data-mode="chat"] .turn.user', 60000);
    await chat.locator('.turn.user', { hasText: 'Which database fits this shop?' }).waitFor({ timeout: 20000 });
    await chat.locator('.turn.assistant[data-status="stopped"]', { hasText: 'word0 word1' }).waitFor({ timeout: 20000 });
    await page.screenshot({ path: path.join(shots, 'after-reload.png') });
  }],
  ['a real public spec and a real public schema render: one entry per operation, every table Postgres built', async page => {
    // Chunks of a few lines: 70 KB at the default 4 characters a chunk would stream for a minute.
    model.enqueue({ content: museumAnswer, chunkSize: 256 });
    // Room for the screenshots: no bottom panel, no side bar (their titles differ across VS Code versions).
    for (const title of ['View: Hide Panel', 'View: Close Primary Side Bar']) { await runCommand(page, title, 1).catch(() => {}); }
    await runCommand(page, 'Backend Architect: Design Backend');
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('A museum API with events and tickets');
    await page.keyboard.press('Enter');
    const frame = await frameWithText(page, '.turn.user', 'A museum API');
    const { status } = await finishedAnswer(frame, 120000);
    expect(status === 'complete', `answer status ${status}`);
    const card = p => frame.locator('.file-card', { hasText: p }).first();
    // The card stands where the block is: after the heading of its section, before the next.
    expect(await frame.evaluate(() => document.querySelector('.file-card[data-artifact-id="a1"]')?.previousElementSibling?.textContent?.includes('museum API')), 'the spec\'s card is in place');
    const spec = card('docs/api/museum.yaml');
    await spec.locator('.file-status', { hasText: /^Valid$/ }).waitFor({ timeout: 60000 });
    await frame.waitForFunction(n => document.querySelectorAll('.file-card[data-artifact-id="a1"] details.endpoint').length === n, museumOperations, { timeout: 20000 });
    await spec.locator('details.endpoint', { hasText: '/special-events' }).nth(1).locator('summary').click();
    await spec.locator('details.endpoint[open] .parameters, details.endpoint[open] .endpoint-part').first().waitFor({ timeout: 10000 });
    await spec.scrollIntoViewIfNeeded();
    await spec.locator('.endpoint-bar').evaluate(e => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(shots, 'openapi-endpoints.png') });
    const tables = card('db/pagila.sql');
    // Exactly "Valid" ("Invalid" contains it; "Invalid, 2 errors" and "Valid, 1 warning" are the badge's other
    // words). Pagila runs in about a second; on a machine loaded far beyond its
    // two cores the check's 10 s limit can expire, and the card then says so.
    await tables.locator('.file-status', { hasText: /^(Valid|Invalid)(, \d+ (warning|error)s?)?$/ }).waitFor({ timeout: 120000 });
    expect(await tables.locator('.file-status').innerText() === 'Valid', `pagila: ${(await tables.locator('.file-problems').innerText().catch(() => '')).slice(0, 300)}`);
    await frame.waitForFunction(() => document.querySelectorAll('.file-card[data-artifact-id="a2"] .table-entry').length === 30, null, { timeout: 60000 })
      .catch(async e => { throw new Error(`${e.message}; the card shows: ${(await tables.innerText()).slice(0, 600)}`); });
    expect(/15 tables, 7 partitions/.test(await tables.locator('.tables-summary').innerText()), 'tables, partitions and views are counted');
    await tables.locator('.tables-er figure.diagram[data-state="ok"] svg').waitFor({ timeout: 60000 });
    await tables.locator('.tables-summary').evaluate(e => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(shots, 'sql-tables.png') });
  }],
  ['a diagram zooms, and Save as SVG and Save as PNG write the files through the writing rules', async page => {
    const frame = await frameWithText(page, '.turn.user', 'A museum API');
    const card = frame.locator('.file-card', { hasText: 'docs/architecture/museum.mmd' }).first();
    const stage = card.locator('.diagram-stage');
    await stage.locator('figure.diagram[data-state="ok"] svg').waitFor({ timeout: 60000 });
    const before = Number(await stage.getAttribute('data-zoom'));
    await stage.locator('.diagram-zoom-in').click();
    await stage.locator('.diagram-zoom-in').click();
    const after = Number(await stage.getAttribute('data-zoom'));
    expect(after > before * 1.4, `zoomed in: ${before}% to ${after}%`);
    expect((await stage.locator('.diagram-description').textContent()).includes('Museum API'), 'the text alternative names what the diagram shows');
    await stage.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'diagram-zoom.png') });
    for (const [button, file, check] of [['.diagram-save-svg', 'docs/architecture/museum.svg', b => /^<\?xml[^]*<svg[^]*Museum[^]*<\/svg>\n$/.test(b.toString('utf8'))],
      ['.diagram-save-png', 'docs/architecture/museum.png', b => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))]]) {
      await stage.locator(button).click();
      // Write to Workspace's path box, filled with the name the host chose from the artifact.
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 20000 });
      expect(await input.inputValue() === file, `suggested ${await input.inputValue()}`);
      await page.keyboard.press('Enter');
      const bytes = await fileAppears(page, file, 30000, check);
      expect(check(bytes), `${file} holds the image (${bytes.length} bytes: ${bytes.subarray(0, 60).toString('latin1')}…)`);
    }
  }],
  ['History reopens a design after a window reload, as it was', async page => {
    await page.locator('.tabs-container .tab', { hasText: 'Design: A museum API' }).click();
    await runCommand(page, 'View: Close Editor');
    await page.locator('.tabs-container .tab', { hasText: 'Design: A museum API' }).waitFor({ state: 'detached', timeout: 10000 });
    await runCommand(page, 'Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
    await page.locator('.activitybar .action-label[aria-label^="Backend Architect"]').waitFor({ timeout: 90000 });
    // The panel that stayed open comes back first; the museum design is only in the history now.
    const tab = page.locator('.tabs-container .tab', { hasText: 'Design: An e-commerce backend' });
    await tab.waitFor({ timeout: 60000 });
    await tab.click();
    // The restored panel has drawn its answer (and taken the focus it takes) before the history opens.
    await frameWithText(page, '.turn.user', 'An e-commerce backend', 60000);
    expect(await page.locator('.tabs-container .tab', { hasText: 'Design: A museum API' }).count() === 0, 'the museum design is not open');
    await runCommand(page, 'Backend Architect: Show History');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Design: A museum API' });
    await row.waitFor({ timeout: 20000 });
    expect(/Design · backend-architect · demo-recorded/.test(await row.innerText()), `the row names kind, agent and model: ${await row.innerText()}`);
    await page.screenshot({ path: path.join(shots, 'history.png') });
    // The newest is first and focused: Enter opens it (the list may still be laying out for a click).
    expect(/museum API/.test(await page.locator('.quick-input-list .monaco-list-row.focused').innerText()), 'the museum design is first');
    await page.keyboard.press('Enter');
    const frame = await frameWithText(page, '.turn.user', 'A museum API', 60000);
    const spec = frame.locator('.file-card', { hasText: 'docs/api/museum.yaml' }).first();
    await spec.locator('.file-status', { hasText: /^Valid$/ }).waitFor({ timeout: 20000 });
    // The endpoint view is drawn by a chunk loaded on first use: wait for it rather than count at once.
    await frame.waitForFunction(n => document.querySelectorAll('.file-card[data-artifact-id="a1"] details.endpoint').length === n, museumOperations, { timeout: 30000 })
      .catch(async e => { throw new Error(`the endpoints are back: ${e.message}; ${await spec.locator('details.endpoint').count()} shown`); });
    expect(await frame.locator('.file-card', { hasText: 'db/pagila.sql' }).locator('.file-status', { hasText: 'Valid' }).count() === 1, 'the schema\'s status is back');
    await frame.locator('.file-card', { hasText: 'docs/architecture/museum.mmd' }).locator('figure.diagram[data-state="ok"] svg').waitFor({ timeout: 60000 });
  }],
  ['every card says what writing its file would do before any click; Write All lists them, and only the good and the ticked sensitive ones are written', async page => {
    const outside = path.join(path.dirname(workspace), 'x.yaml');
    const tmpSql = '/tmp/x.sql';
    const tmpSqlBefore = fs.existsSync(tmpSql) ? fs.readFileSync(tmpSql) : undefined;
    expect(!fs.existsSync(path.join(workspace, '.vscode/settings.json')), 'no workspace settings yet');
    model.enqueue({ content: ['## Files', '', 'Notes and a config, plus three the writer must not take at face value.', '',
      '```markdown file=docs/verdict/notes.md', '# Notes', '', 'Kept short.', '```', '',
      '```yaml file=docs/verdict/config.yaml', 'service: shop', 'port: 8080', '```', '',
      '```json file=.vscode/settings.json', '{ "editor.tabSize": 2 }', '```', '',
      '```yaml file=../x.yaml', 'a: 1', '```', '',
      '```sql file=/tmp/x.sql', "CREATE TYPE mood AS ENUM ('ok', 'sad');", '```', ''].join('\n') });
    await runCommand(page, 'Backend Architect: Design Backend');
    const box = page.locator('.quick-input-widget input');
    await box.waitFor({ state: 'visible' });
    await box.fill('Files at good, sensitive and hostile paths');
    await page.keyboard.press('Enter');
    const frame = await frameWithText(page, '.turn.user', 'Files at good, sensitive and hostile paths');
    const { status } = await finishedAnswer(frame);
    expect(status === 'complete', `answer status ${status}`);
    const card = p => frame.locator('.file-card', { has: frame.locator('.file-path', { hasText: new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) }).first();
    const verdicts = [['docs/verdict/notes.md', /^will create docs\/verdict\/notes\.md$/], ['docs/verdict/config.yaml', /^will create docs\/verdict\/config\.yaml$/],
      ['.vscode/settings.json', /^sensitive place: will ask \(.*\.vscode.*\)$/], ['../x.yaml', /^refused: it climbs out of the folder/], ['/tmp/x.sql', /^refused: the path is absolute/]];
    for (const [p, words] of verdicts) {
      const verdict = card(p).locator('.file-verdict');
      await verdict.waitFor({ timeout: 20000 });
      expect(words.test(await verdict.innerText()), `${p}: ${await verdict.innerText()}`);
    }
    for (const p of ['../x.yaml', '/tmp/x.sql']) {
      const write = card(p).locator('vscode-button', { hasText: 'Write to Workspace' });
      expect(await write.getAttribute('disabled') !== null, `${p}: Write to Workspace is disabled`);
      expect(/^Not written: refused: /.test(await write.getAttribute('title')), `${p}: its title says why`);
      expect(await card(p).locator('vscode-button', { hasText: 'Copy' }).getAttribute('disabled') === null, `${p}: Copy stays`);
    }
    await card('docs/verdict/config.yaml').locator('.file-status', { hasText: /^Valid/ }).waitFor({ timeout: 60000 });
    await frame.locator('.file-card .file-status', { hasText: 'Checking' }).first().waitFor({ state: 'detached', timeout: 60000 }).catch(() => {});
    await card('docs/verdict/config.yaml').evaluate(e => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(shots, 'card-verdicts.png') });

    await frame.locator('.turn.assistant').last().locator('.files-head vscode-button', { hasText: 'Write All' }).click();
    const list = await writeAllList(page, 'docs/verdict/notes.md');
    const text = await list.innerText();
    for (const heading of ['Will create', 'Sensitive: tick to write', 'Not written']) { expect(text.includes(heading), `the list has "${heading}": ${text}`); }
    expect(/it climbs out of the folder/.test(text) && /the path is absolute/.test(text), `refused ones say why: ${text}`);
    expect(await ticked(listRow(page, 'docs/verdict/notes.md')) && await ticked(listRow(page, 'docs/verdict/config.yaml')), 'new files are ticked');
    expect(!(await ticked(listRow(page, '.vscode/settings.json'))), 'the sensitive one is not');
    // A refused row cannot stay ticked: ticked, then the sensitive one; once the list counts the sensitive tick
    // (the extension answered both, in order), the refused one is unticked again.
    await listRow(page, '../x.yaml').locator('.monaco-checkbox').first().click();
    await listRow(page, '.vscode/settings.json').locator('.monaco-checkbox').first().click();
    await page.locator('.quick-input-widget input[placeholder^="3 of 3 ticked"]').waitFor({ timeout: 10000 });
    expect(await ticked(listRow(page, '.vscode/settings.json')), 'the sensitive one is ticked now');
    expect(!(await ticked(listRow(page, '../x.yaml'))), 'the refused row is not ticked');
    // The row's hover would cover the list in the picture.
    await list.locator('.quick-input-title').hover();
    await page.locator('.workbench-hover, .monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await page.screenshot({ path: path.join(shots, 'write-all-list.png') });
    await list.getByRole('button', { name: 'OK' }).click();
    expect(/# Notes/.test((await fileAppears(page, 'docs/verdict/notes.md')).toString()), 'notes written');
    await fileAppears(page, 'docs/verdict/config.yaml');
    expect((await fileAppears(page, '.vscode/settings.json')).toString() === '{ "editor.tabSize": 2 }\n', 'the ticked sensitive file is written, with no second question');
    await card('docs/verdict/notes.md').locator('.file-written').waitFor({ timeout: 20000 });
    expect(await page.locator('.monaco-dialog-box').count() === 0, 'no modal came after the list');
    expect(!fs.existsSync(outside), '../x.yaml was not written');
    expect((fs.existsSync(tmpSql) ? fs.readFileSync(tmpSql) : undefined)?.toString() === tmpSqlBefore?.toString(), '/tmp/x.sql was not touched');
    await runCommand(page, 'Backend Architect: Undo Last Write');
    const end = Date.now() + 20000;
    while (fs.existsSync(path.join(workspace, '.vscode/settings.json')) && Date.now() < end) { await page.waitForTimeout(200); }
    expect(!fs.existsSync(path.join(workspace, 'docs/verdict/notes.md')) && !fs.existsSync(path.join(workspace, '.vscode/settings.json')), 'one Undo takes all of it back');
  }],
];

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
let passed = 0;
let failed = 0;
try {
  page.on('pageerror', e => log('page error:', e.message));
  // Errors inside our webviews (nested frames) would otherwise pass silently.
  page.on('console', m => { if (m.type() === 'error' && /vscode-cdn|webview/.test(m.location()?.url ?? '')) { log('webview console error:', m.text()); } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90000 });
  await page.locator('.activitybar .action-label[aria-label^="Backend Architect"]').waitFor({ timeout: 90000 });
  log('workbench ready');
  for (const [name, fn] of tests) {
    if (process.env.E2E_ONLY && !name.includes(process.env.E2E_ONLY)) { continue; }
    if (process.env.UI_GREP && !new RegExp(process.env.UI_GREP).test(name)) { continue; }
    model.clearQueue();
    try {
      await fn(page);
      passed++;
      log(`✓ ${name}`);
    } catch (e) {
      failed++;
      log(`✗ ${name}\n    ${e.stack ?? e}`);
      await page.screenshot({ path: path.join(tmp, `failure-${failed}.png`) }).catch(() => {});
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
} catch (e) {
  failed++;
  log('UI tests could not start:', e.stack ?? e);
  await page.screenshot({ path: path.join(tmp, 'failure-start.png') }).catch(() => {});
} finally {
  await browser.close();
  server.stop();
  await model.close();
}
if (failed === 0 && !process.env.E2E_KEEP) { fs.rmSync(tmp, { recursive: true, force: true }); }
else { log(`kept ${tmp} (code-server.log, failure screenshots)`); }
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
