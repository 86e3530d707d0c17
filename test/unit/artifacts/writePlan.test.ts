import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArtifactTracker } from '../../../src/artifacts/tracker';
import { judgeWrite, writable, writingOff } from '../../../src/artifacts/writePlan';
import type { Artifact } from '../../../src/artifacts/types';
import type { TurnRecord } from '../../../src/protocol';
import { refusedPaths, sensitivePaths } from './pathTable';

describe('the write verdict a card shows before any click (issue #18)', () => {
  let root: string;
  let outside: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-plan-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ba-plan-outside-'));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  for (const [p, why] of refusedPaths) {
    it(`${JSON.stringify(p)}: ${p.trim() ? 'refused, with the reason' : 'no path, so Write to Workspace asks for one'}`, () => {
      const { verdict, absolute } = judgeWrite(root, p);
      assert.equal(absolute, undefined);
      assert.equal(writable(verdict), false);
      if (!p.trim()) {
        assert.equal(verdict.action, 'choose');
        assert.equal(verdict.words, 'no path: Write to Workspace asks for one');
        return;
      }
      assert.equal(verdict.action, 'refused');
      assert.match(verdict.words, /^refused: /);
      assert.match(verdict.words, why);
    });
  }

  for (const [p, risk] of sensitivePaths) {
    it(`${p}: sensitive place, will ask, naming the risk`, () => {
      const { verdict } = judgeWrite(root, p);
      assert.equal(verdict.action, 'ask');
      assert.match(verdict.words, /^sensitive place: will ask \(/);
      assert.match(verdict.words, risk);
      assert.equal(writable(verdict), true);
    });
  }

  it('says "will create" for a new file and "will replace (diff first)" for an existing one', () => {
    assert.equal(judgeWrite(root, 'docs/api/openapi.yaml').verdict.words, 'will create docs/api/openapi.yaml');
    fs.mkdirSync(path.join(root, 'db'));
    fs.writeFileSync(path.join(root, 'db', 'schema.sql'), 'CREATE TABLE a (id int);\n');
    const { verdict, absolute } = judgeWrite(root, './db//schema.sql');
    assert.equal(verdict.words, 'will replace db/schema.sql (diff first)');
    assert.equal(absolute, path.join(fs.realpathSync(root), 'db', 'schema.sql'));
  });

  it('refuses through a file link, a folder link out of the folder, and onto a folder', () => {
    fs.writeFileSync(path.join(outside, 'victim.sql'), 'x');
    fs.symlinkSync(path.join(outside, 'victim.sql'), path.join(root, 'schema.sql'));
    fs.symlinkSync(outside, path.join(root, 'docs'));
    fs.mkdirSync(path.join(root, 'api.yaml'));
    assert.match(judgeWrite(root, 'schema.sql').verdict.words, /^refused: the destination is a symbolic link/);
    assert.match(judgeWrite(root, 'docs/leak.md').verdict.words, /^refused: a folder on the way is a link that leads outside/);
    assert.match(judgeWrite(root, 'api.yaml').verdict.words, /^refused: the destination exists and is not a file/);
  });

  it('says writing is off, and why, in Restricted Mode', () => {
    const off = writingOff();
    assert.equal(off.action, 'off');
    assert.match(off.words, /^writing is off: Restricted Mode: trust this folder/);
    assert.equal(writable(off), false);
  });

  it('puts the verdict on each card the moment its block closes, and again once it is written', async () => {
    const artifacts: Artifact[] = [
      { id: 'a1', kind: 'openapi', language: 'yaml', path: 'docs/api.yaml', startLine: 2, content: 'openapi: 3.1.0\n', sniffed: false, unterminated: false },
      { id: 'a2', kind: 'sql', language: 'sql', path: '../escape.sql', startLine: 6, content: 'CREATE TABLE a (id int);\n', sniffed: false, unterminated: false },
      { id: 'a3', kind: 'json', language: 'json', path: '.vscode/settings.json', startLine: 10, content: '{}\n', sniffed: false, unterminated: false },
    ];
    let pushed = 0;
    const judge = (p: string | undefined) => { const v = judgeWrite(root, p).verdict; return { action: v.action, words: v.words }; };
    const tracker = new ArtifactTracker(() => artifacts, async () => ({ status: 'valid', problems: [] }), undefined,
      () => ({ push: () => (pushed++ === 0 ? artifacts : []) }), undefined, judge);
    const cards = tracker.watch()!('```yaml file=docs/api.yaml\n...');
    assert.deepEqual(cards?.map(c => c.write?.words), ['will create docs/api.yaml', 'refused: it climbs out of the folder (..)',
      'sensitive place: will ask (editor settings and tasks in .vscode/ can run commands)']);
    const turn: TurnRecord = { id: 't1', role: 'assistant', text: 'answer' };
    await tracker.analyse(turn, () => undefined);
    fs.mkdirSync(path.join(root, 'docs'));
    fs.writeFileSync(path.join(root, 'docs', 'api.yaml'), 'openapi: 3.1.0\n');
    tracker.markWritten(turn, 'a1', 'docs/api.yaml');
    assert.equal(turn.artifacts?.[0].write?.words, 'will replace docs/api.yaml (diff first)');
  });
});
