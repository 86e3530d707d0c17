// The card tells the truth about its file before any click (issue #18): the writer's verdict on its path, over
// the writing issue's path table, judged by the same code that writes; and a badge that tells the whole check.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { judgeWrite, writingOff, type WriteVerdict } from '../../../src/artifacts/writePlan';
import type { ArtifactView, WebviewMessage } from '../../../src/protocol';
import { AnswerCards } from '../../../webview/cards/answerCards';
import { ArtifactCard } from '../../../webview/cards/card';
import { badgeOf } from '../../../webview/cards/cardModel';
import { refusedPaths, sensitivePaths } from '../artifacts/pathTable';
import { useBrowserGlobals } from './browserGlobals';
import { newContainer } from './domWindow';

const asView = (v: WriteVerdict): ArtifactView['write'] => ({ action: v.action, words: v.words });

function cardOf(view: Partial<ArtifactView>, posted: WebviewMessage[] = []): HTMLElement {
  const card = new ArtifactCard({ id: 'a1', kind: 'yaml', language: 'yaml', status: 'valid', problems: [], ...view },
    { turnId: 't1', post: m => posted.push(m), streaming: () => false });
  newContainer().append(card.root);
  return card.root;
}

const button = (card: HTMLElement, label: string): HTMLElement => {
  const found = Array.from(card.querySelectorAll<HTMLElement>('vscode-button')).find(b => b.textContent === label);
  assert.ok(found, `a ${label} button`);
  return found;
};
const disabled = (b: HTMLElement): boolean => b.hasAttribute('disabled');

describe('webview: each card says what writing its file would do, before any click (issue #18)', () => {
  useBrowserGlobals();
  let root: string;
  before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-card-')); });
  after(() => { fs.rmSync(root, { recursive: true, force: true }); });

  for (const [p, why] of refusedPaths.filter(([p]) => p.trim())) {
    it(`${JSON.stringify(p)}: "refused" with the reason; Write to Workspace and Write as Migration disabled and say why; Copy and Show Diff stay`, () => {
      const posted: WebviewMessage[] = [];
      const card = cardOf({ path: p, kind: 'sql', language: 'sql', write: asView(judgeWrite(root, p).verdict), migration: { folder: 'db/migrations', tool: 'flyway' } }, posted);
      const verdict = card.querySelector<HTMLElement>('.file-verdict')!;
      assert.match(verdict.textContent ?? '', /^refused: /);
      assert.match(verdict.textContent ?? '', why);
      assert.ok(verdict.classList.contains('verdict-refused'));
      for (const label of ['Write to Workspace', 'Write as Migration']) {
        const b = button(card, label);
        assert.equal(disabled(b), true, `${label} disabled`);
        assert.equal(b.title, `Not written: ${verdict.textContent}`, `${label} says why`);
        assert.match(b.getAttribute('aria-label') ?? '', /unavailable, Not written: refused: /);
      }
      assert.equal(button(card, 'Write to Workspace').getAttribute('aria-describedby'), verdict.id, 'the verdict describes the button');
      for (const label of ['Copy', 'Show Diff']) { assert.equal(disabled(button(card, label)), false, `${label} stays`); }
      button(card, 'Copy').click();
      assert.deepEqual(posted, [{ type: 'artifact/run', turnId: 't1', artifactId: 'a1', action: 'copy' }]);
    });
  }

  it('no path: the card says Write to Workspace asks for one, and the button stays', () => {
    const card = cardOf({ write: asView(judgeWrite(root, undefined).verdict) });
    assert.equal(card.querySelector('.file-verdict')?.textContent, 'no path: Write to Workspace asks for one');
    assert.equal(disabled(button(card, 'Write to Workspace')), false);
  });

  for (const [p, risk] of sensitivePaths) {
    it(`${p}: "sensitive place: will ask" naming the risk; Write to Workspace stays (it asks)`, () => {
      const card = cardOf({ path: p, write: asView(judgeWrite(root, p).verdict) });
      const verdict = card.querySelector<HTMLElement>('.file-verdict')!;
      assert.match(verdict.textContent ?? '', /^sensitive place: will ask \(/);
      assert.match(verdict.textContent ?? '', risk);
      assert.ok(verdict.classList.contains('verdict-ask'));
      assert.equal(disabled(button(card, 'Write to Workspace')), false);
    });
  }

  it('"will create" for a new file, "will replace … (diff first)" for one that exists', () => {
    fs.mkdirSync(path.join(root, 'db'), { recursive: true });
    fs.writeFileSync(path.join(root, 'db', 'schema.sql'), 'x');
    const created = cardOf({ path: 'docs/api.yaml', write: asView(judgeWrite(root, 'docs/api.yaml').verdict) });
    const replaced = cardOf({ path: 'db/schema.sql', write: asView(judgeWrite(root, 'db/schema.sql').verdict) });
    assert.equal(created.querySelector('.file-verdict')?.textContent, 'will create docs/api.yaml');
    assert.equal(replaced.querySelector('.file-verdict')?.textContent, 'will replace db/schema.sql (diff first)');
    assert.match(button(replaced, 'Write to Workspace').title, /will replace db\/schema\.sql \(diff first\)/);
  });

  it('Restricted Mode: every card says writing is off and why; its write buttons are disabled, Write All too', () => {
    const content = newContainer();
    const files = newContainer();
    const cards = new AnswerCards({ turnId: 't1', content, files, post: () => undefined, streaming: () => false, openBlock: () => undefined });
    const off = asView(writingOff());
    cards.update([{ id: 'a1', kind: 'openapi', language: 'yaml', path: 'docs/api.yaml', status: 'valid', problems: [], write: off },
      { id: 'a2', kind: 'sql', language: 'sql', path: 'db/schema.sql', status: 'valid', problems: [], write: off, migration: { folder: 'db/migrations', tool: 'flyway' } }]);
    const shown = Array.from(files.querySelectorAll<HTMLElement>('.file-card'));
    assert.equal(shown.length, 2);
    for (const card of shown) {
      assert.match(card.querySelector('.file-verdict')?.textContent ?? '', /^writing is off: Restricted Mode: trust this folder to write files into it$/);
      assert.equal(disabled(button(card, 'Write to Workspace')), true);
      assert.match(button(card, 'Write to Workspace').title, /^Not written: writing is off: Restricted Mode/);
    }
    assert.equal(disabled(button(shown[1], 'Write as Migration')), true);
    const writeAll = files.querySelector<HTMLElement>('.write-all')!;
    assert.equal(disabled(writeAll), true);
    assert.match(writeAll.getAttribute('aria-label') ?? '', /unavailable, writing is off: Restricted Mode/);
  });

  it('Write All counts only the files it can offer: refused and path-less ones are left out', () => {
    const files = newContainer();
    const cards = new AnswerCards({ turnId: 't1', content: newContainer(), files, post: () => undefined, streaming: () => false, openBlock: () => undefined });
    const view = (id: string, p: string | undefined): ArtifactView => ({ id, kind: 'yaml', language: 'yaml', path: p, status: 'valid', problems: [], write: asView(judgeWrite(root, p).verdict) });
    cards.update([view('a1', 'docs/ok.yaml'), view('a2', '../x.yaml'), view('a3', '/tmp/x.sql'), view('a4', '.vscode/settings.json'), view('a5', undefined)]);
    assert.equal(files.querySelector('.write-all')?.getAttribute('aria-label'), 'Write all 2 files of this answer to the workspace');
    cards.update([view('a2', '../x.yaml'), view('a3', '/tmp/x.sql')]);
    assert.equal(disabled(files.querySelector<HTMLElement>('.write-all')!), true, 'nothing it could write');
  });

  it('a written file says where, not what writing would do', () => {
    const card = cardOf({ path: 'docs/api.yaml', written: 'docs/api.yaml', write: { action: 'replace', words: 'will replace docs/api.yaml (diff first)' } });
    assert.equal(card.querySelector('.file-verdict'), null);
    assert.equal(card.querySelector('.file-written')?.textContent, 'Written to docs/api.yaml');
  });
});

describe('webview: the badge tells the whole check (issue #18)', () => {
  useBrowserGlobals();
  const problem = (severity: 'error' | 'warning' | 'info', message = 'x'): ArtifactView['problems'][number] => ({ line: 1, message, severity });

  it('valid, valid with warnings (the warning colour, never the error one), repaired, invalid with its errors', () => {
    const cases: [Partial<ArtifactView>, string, RegExp, RegExp?][] = [
      [{ status: 'valid' }, 'Valid', /^file-status status-valid$/],
      [{ status: 'valid', problems: [problem('warning'), problem('warning'), problem('warning')] }, 'Valid, 3 warnings', /has-warnings/, /status-invalid/],
      [{ status: 'valid', problems: [problem('warning')] }, 'Valid, 1 warning', /has-warnings/],
      [{ status: 'repaired', changes: ['quoted a label'] }, 'Repaired', /status-repaired/],
      [{ status: 'repaired', problems: [problem('warning')] }, 'Repaired, 1 warning', /has-warnings/],
      [{ status: 'invalid', problems: [problem('error'), problem('warning'), problem('error')] }, 'Invalid, 2 errors', /status-invalid/, /has-warnings/],
      [{ status: 'invalid', problems: [problem('error')] }, 'Invalid, 1 error', /status-invalid/],
      [{ status: 'checking' }, 'Checking…', /status-checking/],
      [{ status: 'valid', partial: true }, 'Cut off', /status-invalid/],
    ];
    for (const [view, text, cls, not] of cases) {
      const status = cardOf(view).querySelector<HTMLElement>('.file-status')!;
      assert.equal(status.textContent, text);
      assert.match(status.className, cls, text);
      if (not) { assert.doesNotMatch(status.className, not, text); }
      assert.ok(status.title, `${text} has a title`);
    }
  });

  it('counts every problem the check found, not only the ones listed on the card', () => {
    const listed = Array.from({ length: 20 }, () => problem('error'));
    const status = cardOf({ status: 'invalid', problems: [...listed, problem('info', '… and 15 more problems')], counts: { errors: 35, warnings: 0 } }).querySelector('.file-status');
    assert.equal(status?.textContent, 'Invalid, 35 errors');
  });

  it('not checked: why, in its title', () => {
    const sql = cardOf({ status: 'unchecked', problems: [problem('info', 'SQL not checked: the statement limit stopped planning')] }).querySelector<HTMLElement>('.file-status')!;
    assert.equal(sql.textContent, 'Not checked');
    assert.equal(sql.title, 'Not checked: SQL not checked: the statement limit stopped planning');
    assert.equal(badgeOf({ id: 'a', kind: 'code', language: 'ts', status: 'unchecked', problems: [] }).title, 'Not checked: There is no check for this kind of file.');
  });
});
