import * as assert from 'node:assert/strict';
import { ConversationHistory, HISTORY_KEY, historyTitle, lastModel, MAX_ENTRIES, MAX_TOTAL_CHARS, type KeyValueStore } from '../../../src/design/history';
import type { TurnRecord } from '../../../src/protocol';

/** A Memento over a Map, storing JSON as VS Code does (what comes back is a copy). */
function memento(): KeyValueStore & { raw: Map<string, string> } {
  const raw = new Map<string, string>();
  return {
    raw,
    get: <T>(key: string, fallback: T): T => (raw.has(key) ? JSON.parse(raw.get(key)!) as T : fallback),
    update: async (key: string, value: unknown) => { raw.set(key, JSON.stringify(value)); },
  };
}

const turns = (request: string, answer = 'Here is the design.'): TurnRecord[] => [
  { id: 'u-1', role: 'user', text: request },
  { id: 'a-1', role: 'assistant', text: answer, status: 'complete', model: 'gpt-4.1',
    artifacts: [{ id: 'a1', kind: 'openapi', language: 'yaml', path: 'docs/api/openapi.yaml', status: 'valid', problems: [], line: 3,
      endpoints: { title: 'Shop', version: '1', specVersion: '3.1.0', servers: [], tags: [], operations: [], schemas: {}, securitySchemes: [] } }] },
];

describe('conversation history', () => {
  it('keeps a conversation as it was (cards, statuses, models), newest first, and reopens it by id', async () => {
    let now = 1000;
    const h = new ConversationHistory(memento(), () => now);
    await h.save({ id: 'p1', kind: 'design', title: 'Design: a shop', agent: 'backend-architect', model: 'gpt-4.1', turns: turns('a shop') });
    now = 2000;
    await h.save({ id: 'c1', kind: 'chat', title: 'queues?', agent: 'backend-architect', model: 'llama3.1', turns: turns('queues?') });
    assert.deepEqual(h.list().map(e => [e.id, e.kind, e.updated, e.turnCount]), [['c1', 'chat', 2000, 2], ['p1', 'design', 1000, 2]]);
    assert.deepEqual(h.get('p1')?.turns, turns('a shop'));
  });

  it('a later save updates the same entry and moves it to the top, keeping when it was first made', async () => {
    let now = 1;
    const h = new ConversationHistory(memento(), () => now);
    await h.save({ id: 'a', kind: 'design', title: 'A', agent: 'x', model: 'm', turns: turns('a') });
    now = 2;
    await h.save({ id: 'b', kind: 'review', title: 'B', agent: 'x', model: 'm', turns: turns('b') });
    now = 3;
    await h.save({ id: 'a', kind: 'design', title: 'A', agent: 'x', model: 'm', turns: [...turns('a'), ...turns('more')] });
    assert.deepEqual(h.list().map(e => [e.id, e.created, e.updated, e.turnCount]), [['a', 1, 3, 4], ['b', 2, 2, 2]]);
  });

  it('does not keep a conversation without an answer', async () => {
    const h = new ConversationHistory(memento());
    await h.save({ id: 'a', kind: 'chat', title: 'x', agent: 'x', model: '', turns: [{ id: 'u', role: 'user', text: 'hello' }] });
    assert.deepEqual(h.list(), []);
  });

  it('is capped: the oldest go first, by number and by size', async () => {
    let now = 0;
    const store = memento();
    const h = new ConversationHistory(store, () => ++now);
    for (let i = 0; i < MAX_ENTRIES + 5; i++) { await h.save({ id: `e${i}`, kind: 'design', title: `${i}`, agent: 'x', model: 'm', turns: turns(`${i}`) }); }
    assert.equal(h.list().length, MAX_ENTRIES);
    assert.equal(h.list().at(-1)?.id, 'e5');
    const big = 'x'.repeat(Math.ceil(MAX_TOTAL_CHARS / 3));
    for (let i = 0; i < 4; i++) { await h.save({ id: `big${i}`, kind: 'design', title: 'big', agent: 'x', model: 'm', turns: turns('big', big) }); }
    assert.deepEqual(h.list().map(e => e.id).slice(0, 3), ['big3', 'big2']);
    assert.ok(store.raw.get(HISTORY_KEY)!.length <= MAX_TOTAL_CHARS + 10_000);
  });

  it('deletes one, or all; ignores what is not an entry', async () => {
    const store = memento();
    const h = new ConversationHistory(store);
    await h.save({ id: 'a', kind: 'design', title: 'A', agent: 'x', model: 'm', turns: turns('a') });
    await h.save({ id: 'b', kind: 'design', title: 'B', agent: 'x', model: 'm', turns: turns('b') });
    await h.delete('a');
    assert.deepEqual(h.list().map(e => e.id), ['b']);
    await h.clear();
    assert.deepEqual(h.list(), []);
    await store.update(HISTORY_KEY, [null, 42, { id: 'x' }, 'junk']);
    assert.deepEqual(h.list(), []);
    await store.update(HISTORY_KEY, { not: 'a list' });
    assert.deepEqual(h.list(), []);
  });

  it('titles a chat by its first request and names the last answer\'s model', () => {
    assert.equal(historyTitle(turns('  How should   orders\nbe partitioned?  '), 'Chat'), 'How should orders be partitioned?');
    assert.equal(historyTitle(turns('x'.repeat(100)), 'Chat').length, 60);
    assert.equal(historyTitle([], 'Chat'), 'Chat');
    assert.equal(lastModel(turns('a')), 'gpt-4.1');
  });
});
