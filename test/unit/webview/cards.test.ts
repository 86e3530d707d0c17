import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useBrowserGlobals } from './browserGlobals';
import { dom, newContainer } from './domWindow';
import { endpointModelOfText } from '../../../src/artifacts/endpointModel';
import { extractArtifacts } from '../../../src/artifacts/extract';
import type { ArtifactView, TableModel, WebviewMessage } from '../../../src/protocol';
import { AnswerCards } from '../../../webview/cards/answerCards';
import { StreamingMarkdownView } from '../../../webview/markdown/incremental';
import { renderEndpoints } from '../../../webview/renderers/endpointView';
import { renderTables } from '../../../webview/renderers/tableView';
import { repoRoot } from '../agents/agentPaths';

const fixture = (...parts: string[]): string => fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'artifacts', ...parts), 'utf8');

/** The views the host sends for an answer's closed blocks (before any check). */
function viewsOf(answer: string, final: boolean): ArtifactView[] {
  return extractArtifacts(answer, { final }).filter(a => a.language !== 'findings')
    .map(a => ({ id: a.id, kind: a.kind, language: a.language, path: a.path, status: 'checking', problems: [], line: a.startLine }));
}

function answerView(): { content: HTMLElement; files: HTMLElement; markdown: StreamingMarkdownView; cards: AnswerCards; posted: WebviewMessage[]; state: { streaming: boolean } } {
  const content = newContainer();
  const files = newContainer();
  const posted: WebviewMessage[] = [];
  const state = { streaming: true };
  const ref: { cards?: AnswerCards } = {};
  const markdown = new StreamingMarkdownView(content, { schedule: () => undefined, onRender: () => ref.cards?.place() });
  const cards = ref.cards = new AnswerCards({ turnId: 't1', content, files, post: m => posted.push(m), streaming: () => state.streaming, openBlock: () => markdown.openFence });
  return { content, files, markdown, cards, posted, state };
}

describe('webview: cards in place', () => {
  useBrowserGlobals();
  const answer = fixture('answers', 'design-contract.md');

  it('while streaming: a placeholder above the open block, then the card around it once it closed', () => {
    const v = answerView();
    const cut = answer.indexOf('  api --> catalog');
    v.markdown.append(answer.slice(0, cut));
    v.markdown.flush();
    const placeholder = v.content.querySelector('.placeholder');
    assert.ok(placeholder, 'a placeholder for the block being written');
    assert.match(placeholder.textContent ?? '', /Writing docs\/architecture\/services\.mmd/);
    assert.equal(placeholder.nextElementSibling, v.markdown.openFence);

    const closed = answer.indexOf('## API');
    v.markdown.append(answer.slice(cut, closed));
    v.markdown.flush();
    v.cards.update(viewsOf(answer.slice(0, closed), false));
    assert.equal(v.content.querySelector('.placeholder'), null, 'the placeholder is gone');
    const card = v.content.querySelector<HTMLElement>('.file-card[data-artifact-id="a1"]');
    assert.ok(card, 'the card is in the answer');
    assert.ok(card.previousElementSibling?.textContent?.includes('outbox'), 'right after the paragraph before the block');
    assert.equal(card.querySelector('pre code.language-mermaid')?.textContent?.startsWith('flowchart LR'), true, 'the block is in its Source tab');
    assert.equal(v.files.querySelectorAll('.file-card').length, 0, 'nothing waits at the end');
  });

  it('every artifact of a finished answer stands where its block was, and finish() keeps the cards', () => {
    const v = answerView();
    for (let i = 0; i < answer.length; i += 37) {
      v.markdown.append(answer.slice(i, i + 37));
      v.markdown.flush();
      v.cards.update(viewsOf(answer.slice(0, i + 37), false));
    }
    const before = Array.from(v.content.querySelectorAll('.file-card:not(.placeholder)'));
    v.state.streaming = false;
    v.markdown.finish();
    v.cards.update(viewsOf(answer, true));
    v.cards.ended();
    const after = Array.from(v.content.querySelectorAll('.file-card:not(.placeholder)'));
    assert.deepEqual(after.map(c => (c as HTMLElement).dataset.artifactId), viewsOf(answer, true).map(a => a.id));
    assert.ok(before.length >= 3 && before.every((c, i) => c === after[i]), 'the same card elements: nothing was rebuilt');
    for (const a of viewsOf(answer, true)) {
      const card = v.content.querySelector(`.file-card[data-artifact-id="${a.id}"]`);
      assert.equal(card?.querySelector('pre')?.getAttribute('data-line'), String(a.line), `${a.id} holds the block that starts on line ${a.line}`);
    }
    assert.ok(v.files.querySelector('.files-head .write-all'), 'Write All is at the end');
    assert.ok(v.files.querySelector('.files-head .undo-write'), 'Undo is at the end');
  });

  it('a problem opens its line in the Source tab', () => {
    const v = answerView();
    v.state.streaming = false;
    v.markdown.append(answer);
    v.markdown.finish();
    const views = viewsOf(answer, true).map(a => (a.kind === 'openapi' ? { ...a, status: 'invalid' as const, problems: [{ line: 9, message: 'bad', severity: 'error' as const }] } : a));
    v.cards.update(views);
    const card = v.content.querySelector<HTMLElement>('.file-card[data-artifact-id="a2"]')!;
    assert.equal(card.querySelector('[role="tab"][aria-selected="true"]')?.textContent, 'Rendered');
    card.querySelector<HTMLElement>('.problem-line')!.click();
    assert.equal(card.querySelector('[role="tab"][aria-selected="true"]')?.textContent, 'Source');
    const target = card.querySelector('.src-line-target') as HTMLElement;
    assert.equal(target.dataset.n, '9');
    assert.equal(target.textContent, '      parameters:\n');
    assert.equal(dom.window.document.activeElement?.textContent, 'Source', 'focus moves to the tab');
  });

  it('Write All and each card\'s buttons post intents naming ids only', () => {
    const v = answerView();
    v.state.streaming = false;
    v.markdown.append(answer);
    v.markdown.finish();
    v.cards.update(viewsOf(answer, true).map(a => ({ ...a, status: 'valid' })));
    (v.files.querySelector('.write-all') as HTMLElement).click();
    (v.content.querySelector('.file-card[data-artifact-id="a3"] .file-action') as HTMLElement).click();
    (v.files.querySelector('.undo-write') as HTMLElement).click();
    assert.deepEqual(v.posted, [{ type: 'artifact/writeAll', turnId: 't1' }, { type: 'artifact/run', turnId: 't1', artifactId: 'a3', action: 'write' }, { type: 'artifact/undo' }]);
  });
});

describe('webview: endpoint view', () => {
  useBrowserGlobals();
  it('the Redocly museum spec: one entry per operation, grouped by tag, filterable', async () => {
    const model = (await endpointModelOfText(fixture('openapi', 'valid', 'redocly-museum-3.1.yaml')))!;
    const target = newContainer();
    renderEndpoints(model, target, 'm');
    assert.equal(target.querySelectorAll('details.endpoint').length, 8);
    assert.deepEqual(Array.from(target.querySelectorAll('.endpoint-tag')).map(h => h.textContent), ['Operations', 'Events', 'Tickets', 'Schemas (22)']);
    assert.equal(target.querySelector('.endpoint-count')?.textContent, '8 endpoints');
    const filter = target.querySelector<HTMLInputElement>('.endpoint-filter')!;
    filter.value = 'ticket';
    filter.dispatchEvent(new dom.window.Event('input'));
    assert.deepEqual(Array.from(target.querySelectorAll<HTMLElement>('details.endpoint')).filter(d => !d.parentElement!.hidden).map(d => d.querySelector('.endpoint-path')?.textContent),
      ['/tickets', '/tickets/{ticketId}/qr']);
    assert.equal(target.querySelector('.endpoint-count')?.textContent, '2 of 8 endpoints');
  });

  it('opens an operation into parameters, body and responses; a recursive schema is a link', async () => {
    const spec = fixture('openapi', 'valid', 'oai-petstore-3.0.yaml').replace(/(\n {8}tag:\n {10}type: string\n)/,
      '$1        children:\n          type: array\n          items:\n            $ref: "#/components/schemas/Pet"\n').replace('      operationId: showPetById\n', '      operationId: showPetById\n      deprecated: true\n');
    const model = (await endpointModelOfText(spec))!;
    const target = newContainer();
    renderEndpoints(model, target, 'p');
    const show = Array.from(target.querySelectorAll<HTMLDetailsElement>('details.endpoint')).find(d => d.textContent?.includes('/pets/{petId}'))!;
    assert.ok(show.classList.contains('deprecated'));
    show.open = true;
    show.dispatchEvent(new dom.window.Event('toggle'));
    assert.deepEqual(Array.from(show.querySelectorAll('.parameters tbody tr th, .parameters tbody tr td:first-child code')).map(c => c.textContent), ['petId']);
    assert.deepEqual(Array.from(show.querySelectorAll('.status-code')).map(c => c.textContent), ['200', 'default']);
    const open = (d: HTMLDetailsElement): HTMLDetailsElement => { d.open = true; d.dispatchEvent(new dom.window.Event('toggle')); return d; };
    // The response is Pets (upstream's choice), an array of Pet.
    const pets = open(show.querySelector<HTMLDetailsElement>('.response .schema-ref')!);
    const pet = open(pets.querySelector<HTMLDetailsElement>('.schema-ref')!);
    const children = Array.from(pet.querySelectorAll('.schema-property')).find(p => p.querySelector('.schema-property-name')?.textContent === 'children')!;
    assert.ok(children, pet.outerHTML);
    const link = children.querySelector<HTMLAnchorElement>('.schema-cycle a.schema-link');
    assert.ok(link, `a link back to Pet: ${children.innerHTML}`);
    assert.equal(link.getAttribute('href'), `#${target.querySelector('.schemas details')?.id.replace(/-[^-]+$/, '')}-Pet`);
  });
});

describe('webview: table view', () => {
  useBrowserGlobals();
  it('pagila as Postgres built it: 30 entries, columns, keys, partitions folded under their parent, the enum', () => {
    const model = JSON.parse(fixture('sql', 'pagila.tables.json')) as TableModel;
    const target = newContainer();
    renderTables({ ...model, er: undefined }, target, 's');
    assert.equal(target.querySelectorAll('.table-entry').length, 30);
    assert.equal(target.querySelector('.tables-summary')?.textContent, '15 tables, 7 partitions, 7 views, 1 materialized view, 1 enum, as Postgres built them');
    const filmActor = Array.from(target.querySelectorAll('.table-entry')).find(t => t.querySelector('.table-name')?.textContent === 'film_actor')!;
    assert.deepEqual(Array.from(filmActor.querySelectorAll('tbody tr')).map(r => Array.from(r.children).map(c => c.textContent)),
      [['actor_id', 'integer', 'not null', '', 'PKFK'], ['film_id', 'integer', 'not null', '', 'PKFK'], ['last_update', 'timestamp with time zone', 'not null', 'now()', '']]);
    assert.match(filmActor.querySelector('.table-facts')?.textContent ?? '', /foreign key \(actor_id\) → actor\(actor_id\) ON UPDATE CASCADE ON DELETE RESTRICT/);
    const partitions = target.querySelectorAll('details.table-entry.kind-partition');
    assert.equal(partitions.length, 7);
    assert.match(partitions[0].querySelector('summary')?.textContent ?? '', /partition of payment FOR VALUES FROM/);
    assert.match(target.querySelector('.enums')?.textContent ?? '', /mpaa_rating.*G, PG, PG-13, R, NC-17/);
  });
});
