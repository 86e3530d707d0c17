/** The `<think>` / `<thought>` splitter, at every possible chunk boundary. */
import assert from 'node:assert/strict';
import { ThinkTagSplitter } from '../../../src/llm/reasoning';

function split(pieces: string[]): { text: string; reasoning: string } {
  let text = '';
  let reasoning = '';
  const splitter = new ThinkTagSplitter(
    (t) => (text += t),
    (r) => (reasoning += r),
  );
  for (const piece of pieces) splitter.push(piece);
  splitter.flush();
  return { text, reasoning };
}

/** Every way to cut `s` into two pieces, plus one character at a time. */
function cuts(s: string): string[][] {
  const all: string[][] = [[s], Array.from(s)];
  for (let i = 1; i < s.length; i++) all.push([s.slice(0, i), s.slice(i)]);
  return all;
}

describe('ThinkTagSplitter', () => {
  it('separates a leading <think> block at every chunk boundary', () => {
    const stream = '\n<think>Plan: use a queue.</think>\n\nUse a queue.';
    for (const pieces of cuts(stream)) {
      assert.deepEqual(split(pieces), { text: 'Use a queue.', reasoning: 'Plan: use a queue.' }, JSON.stringify(pieces));
    }
  });

  it('passes text without tags through unchanged, leading whitespace included', () => {
    for (const pieces of cuts('  Indented answer <b>')) {
      assert.deepEqual(split(pieces), { text: '  Indented answer <b>', reasoning: '' });
    }
  });

  it('keeps a <think> tag that appears after the answer started (e.g. in a code sample)', () => {
    const stream = 'Models emit `<think>x</think>` tags.';
    for (const pieces of cuts(stream)) assert.deepEqual(split(pieces), { text: stream, reasoning: '' });
  });

  it('an unclosed block at the end is reasoning; a lone partial tag is text', () => {
    assert.deepEqual(split(['<think>still thinking', '</thi']), { text: '', reasoning: 'still thinking</thi' });
    assert.deepEqual(split(['<thi']), { text: '<thi', reasoning: '' });
  });

  it('handles two leading blocks and a reasoning-only stream', () => {
    assert.deepEqual(split(['<think>a</think>\n<think>b</think>\nanswer']), { text: 'answer', reasoning: 'ab' });
    assert.deepEqual(split(['<think>only</think>\n']), { text: '', reasoning: 'only' });
  });

  it('separates a leading <thought> block (Gemini thought summaries) at every chunk boundary', () => {
    const stream = '<thought>**Planning** the queue.</thought>Use a queue.';
    for (const pieces of cuts(stream)) {
      assert.deepEqual(split(pieces), { text: 'Use a queue.', reasoning: '**Planning** the queue.' }, JSON.stringify(pieces));
    }
  });

  it('closes a block only with its own tag: </think> inside <thought> is reasoning', () => {
    assert.deepEqual(split(['<thought>a</think>b</thought>c']), { text: 'c', reasoning: 'a</think>b' });
    assert.deepEqual(split(['<think>a</thought>b</think>c']), { text: 'c', reasoning: 'a</thought>b' });
  });

  it('text that only starts like a tag is text: <thoughtful>, <tho', () => {
    assert.deepEqual(split(['<thoughtful> answer']), { text: '<thoughtful> answer', reasoning: '' });
    assert.deepEqual(split(['<tho']), { text: '<tho', reasoning: '' });
  });

  it('does not split a < that is not part of the closing tag', () => {
    assert.deepEqual(split(['<think>a < b and c <', '/ d</think>x']), { text: 'x', reasoning: 'a < b and c </ d' });
  });
});
