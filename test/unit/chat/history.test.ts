import * as assert from 'node:assert/strict';
import { planChat, readMeta, writeMeta, type AnswerMeta, type PriorTurn } from '../../../src/chat/history';

function answer(meta: Partial<AnswerMeta> & { text: string }, markdown = `${meta.text}\n\n---\n**Files in this answer**`): PriorTurn {
  return { role: 'response', markdown, meta: { answerId: 'a1', mode: 'design', request: 'r', status: 'complete', ...meta } };
}

describe('@architect: the chat history a request continues', () => {
  it('a first request starts in the mode of its command, or as a plain chat', () => {
    assert.deepEqual(planChat([], 'design'), { mode: 'design', turns: [] });
    assert.deepEqual(planChat([], 'review'), { mode: 'review', turns: [] });
    assert.deepEqual(planChat([], undefined), { mode: 'chat', turns: [], folder: undefined });
    assert.deepEqual(planChat([], 'nonsense'), { mode: 'chat', turns: [], folder: undefined });
  });

  it('a follow-up continues with the answer\'s own text, not the file checks shown under it, and the request as the model got it', () => {
    const history: PriorTurn[] = [
      { role: 'request', prompt: 'An order service', command: 'design' },
      answer({ answerId: 'a-1', request: 'An order service', text: 'Use PostgreSQL.' }),
    ];
    const plan = planChat(history, undefined);
    assert.equal(plan.mode, 'design', 'the mode of the conversation carries on');
    assert.deepEqual(plan.turns.map(t => [t.role, t.text]), [['user', 'An order service'], ['assistant', 'Use PostgreSQL.']]);
    assert.equal(plan.turns[1].id, 'a-1');
  });

  it('a review keeps its folder for follow-ups; a bare /review becomes the request that was sent', () => {
    const history: PriorTurn[] = [
      { role: 'request', prompt: '', command: 'review' },
      answer({ mode: 'review', request: 'Review the architecture of src', text: 'Findings…', folder: 'file:///w/src' }),
    ];
    const plan = planChat(history, undefined);
    assert.equal(plan.folder, 'file:///w/src');
    assert.equal(plan.turns[0].text, 'Review the architecture of src');
    assert.equal(planChat(history, 'review').folder, 'file:///w/src', 'the same command continues too');
  });

  it('a command that changes the mode starts afresh, so its context is read again', () => {
    const history: PriorTurn[] = [
      { role: 'request', prompt: 'Which database?' },
      answer({ mode: 'chat', text: 'PostgreSQL.' }),
    ];
    assert.deepEqual(planChat(history, 'review'), { mode: 'review', turns: [] });
    const later: PriorTurn[] = [...history, { role: 'request', prompt: 'x', command: 'design' }, answer({ text: 'A design.' }), { role: 'request', prompt: 'more' }, answer({ text: 'More.' })];
    assert.deepEqual(planChat(later, undefined).turns.map(t => t.text), ['r', 'A design.', 'r', 'More.'], 'only the design conversation');
  });

  it('answers without our metadata count by their Markdown; failed ones are marked failed; an unanswered request is dropped', () => {
    const plan = planChat([
      { role: 'request', prompt: 'first' },
      { role: 'response', markdown: 'From an older version.' },
      { role: 'request', prompt: 'second' },
      { role: 'response', markdown: 'Request failed', failed: true },
      { role: 'request', prompt: 'lost (the window closed before it was answered)' },
    ], undefined);
    assert.deepEqual(plan.turns.map(t => [t.role, t.text, t.status]), [
      ['user', 'first', undefined], ['assistant', 'From an older version.', 'complete'],
      ['user', 'second', undefined], ['assistant', 'Request failed', 'failed'],
    ]);
  });

  it('reads back only well-formed metadata of its own', () => {
    const meta: AnswerMeta = { answerId: 'a', mode: 'review', request: 'q', text: 't', status: 'stopped', folder: 'file:///x' };
    assert.deepEqual(readMeta(JSON.parse(JSON.stringify(writeMeta(meta)))), meta);
    assert.equal(readMeta(undefined), undefined);
    assert.equal(readMeta({ architect: { answerId: 1, text: 't', request: 'q' } }), undefined);
    assert.equal(readMeta({ other: {} }), undefined);
    assert.equal(readMeta({ architect: { answerId: 'a', text: 't', request: 'q', mode: 'evil' } })!.mode, 'chat');
  });
});
