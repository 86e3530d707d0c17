import * as assert from 'node:assert/strict';
import { ArtifactStream, extractArtifacts } from '../../../src/artifacts/extract';
import { ArtifactTracker } from '../../../src/artifacts/tracker';
import type { Artifact, ValidationResult } from '../../../src/artifacts/types';
import type { ArtifactView, TurnRecord } from '../../../src/protocol';

describe('artifact tracker (what the cards show)', () => {
  const answer = [
    'Design:', '```yaml file=docs/api/openapi.yaml', 'openapi: 3.1.0', '```',
    '```mermaid file=docs/a.mmd', 'flowchart LR', '  a --> b', '```',
    '```findings', '[]', '```',
    '```sql file=db/schema.sql', 'CREATE TABLE t (id int);',
  ].join('\n');

  it('lists every file-like block, checks each in turn, keeps the repaired content, and leaves findings out', async () => {
    const results: Record<string, ValidationResult> = {
      openapi: { status: 'valid', problems: [] },
      mermaid: { status: 'repaired', problems: [], repaired: 'flowchart LR\n  a --> b\n', changes: ['quoted a label'] },
      sql: { status: 'invalid', problems: [{ line: 1, column: 14, message: 'bad', severity: 'error' }] },
    };
    const seen: ArtifactView[][] = [];
    const tracker = new ArtifactTracker(extractArtifacts, async (a: Artifact) => results[a.kind]);
    const turn: TurnRecord = { id: 'a-1', role: 'assistant', text: answer, status: 'truncated' };
    await tracker.analyse(turn, v => seen.push(v));
    assert.deepEqual(seen[0].map(v => [v.path, v.status]), [['docs/api/openapi.yaml', 'checking'], ['docs/a.mmd', 'checking'], ['db/schema.sql', 'checking']]);
    assert.deepEqual(seen.at(-1)!.map(v => v.status), ['valid', 'repaired', 'invalid']);
    assert.equal(seen.length, 4, 'one update to list them, then one per check');
    assert.equal(seen.at(-1)![2].partial, true, 'the cut-off SQL block is marked partial');
    assert.deepEqual(seen.at(-1)![1].changes, ['quoted a label']);
    assert.equal(tracker.get('a-1', seen.at(-1)![1].id)!.content, 'flowchart LR\n  a --> b\n', 'writes use the repaired text');
    assert.deepEqual(turn.artifacts, seen.at(-1), 'the turn keeps what the cards show, for reloads');
    assert.equal(tracker.get('a-1', 'a99'), undefined);
    assert.equal(tracker.get('forged', 'a1'), undefined);
  });

  it('a validator that throws gives "unchecked", never a crash or "valid"', async () => {
    const tracker = new ArtifactTracker(extractArtifacts, async () => { throw new Error('worker died'); });
    const turn: TurnRecord = { id: 'a-2', role: 'assistant', text: '```sql file=x.sql\nSELECT 1;\n```\n' };
    const views = await tracker.analyse(turn, () => undefined);
    assert.equal(views[0].status, 'unchecked');
    assert.match(views[0].problems[0].message, /worker died/);
  });
});

describe('artifact cards after Undo Last Write', () => {
  it('only the cards whose files the undo took back stop saying "Written to", and offer to write again', async () => {
    const onDisk = new Set<string>();
    const judge = (p?: string): { action: 'create' | 'replace'; words: string } => p && onDisk.has(p) ? { action: 'replace', words: `will replace ${p}` } : { action: 'create', words: `will create ${p}` };
    const tracker = new ArtifactTracker(extractArtifacts, async () => ({ status: 'valid', problems: [] }), undefined, undefined, undefined, judge);
    const turn: TurnRecord = { id: 'u-1', role: 'assistant', text: '```yaml file=docs/a.yaml\na: 1\n```\n```yaml file=docs/b.yaml\nb: 1\n```\n' };
    const [a, b] = await tracker.analyse(turn, () => undefined);
    for (const v of [a, b]) { onDisk.add(v.path!); tracker.markWritten(turn, v.id, v.path!); }
    assert.deepEqual(turn.artifacts!.map(v => [v.written, v.write?.action]), [['docs/a.yaml', 'replace'], ['docs/b.yaml', 'replace']]);
    onDisk.delete('docs/a.yaml');
    assert.equal(tracker.markUnwritten(turn, new Set(['docs/a.yaml', 'elsewhere.md'])), true);
    assert.deepEqual(turn.artifacts!.map(v => [v.written, v.write?.action]), [[undefined, 'create'], ['docs/b.yaml', 'replace']], 'b was not part of the undo');
    assert.equal(tracker.markUnwritten(turn, new Set(['docs/a.yaml'])), false, 'nothing left to change: no update is sent');
  });
});

describe('artifact cards while an answer streams', () => {
  it('a card appears when its block closes, before the answer ends', () => {
    const tracker = new ArtifactTracker(extractArtifacts, async () => ({ status: 'valid', problems: [] }), undefined, () => new ArtifactStream());
    const watch = tracker.watch()!;
    const deltas = ['Intro.\n\n```yaml file=docs/api/open', 'api.yaml\nopenapi: 3.1.0\n', '```', '\n\nMore text\n```sql file=db/s.sql\nCREATE TABLE t (id int);\n', '```\n'];
    const shown = deltas.map(d => watch(d));
    assert.equal(shown[0], undefined);
    assert.equal(shown[1], undefined, 'not while the block is open');
    assert.equal(shown[2], undefined, 'the closing fence line is not complete yet');
    assert.deepEqual(shown[3]!.map(v => [v.path, v.status]), [['docs/api/openapi.yaml', 'checking']]);
    assert.deepEqual(shown[4]!.map(v => v.path), ['docs/api/openapi.yaml', 'db/s.sql']);
    assert.deepEqual(shown[4]!.map(v => v.id), extractArtifacts(deltas.join(''), { final: true }).map(a => a.id), 'the same ids as the final extraction');
  });
});
