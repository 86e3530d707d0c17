/** The content-part reader on its own: every shape, real recorded Mistral answers, and hostile input. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { printableType, readContent, readReasoningDetails } from '../../../src/llm/contentParts';
import { repoRoot } from '../agents/agentPaths';

const mistralDir = path.join(repoRoot, 'test', 'fixtures', 'llm', 'mistral');

interface Read {
  text: string;
  reasoning: string;
  refusal: string;
  skipped: string[];
}

function read(content: unknown): Read {
  const out: Read = { text: '', reasoning: '', refusal: '', skipped: [] };
  readContent(content, {
    text: (t) => (out.text += t),
    reasoning: (t) => (out.reasoning += t),
    refusal: (t) => (out.refusal += t),
    skipped: (type) => out.skipped.push(type),
  });
  return out;
}

function messageContent(file: string): unknown {
  const body = JSON.parse(fs.readFileSync(path.join(mistralDir, file), 'utf8')) as { choices: Array<{ message: { content: unknown } }> };
  return body.choices[0].message.content;
}

describe('readContent', () => {
  it('a whole Magistral answer (not streamed): thinking to reasoning, text to the answer', () => {
    assert.deepEqual(read(messageContent('mistral-reasoning.json')), {
      text: '2 + 2 = 4',
      reasoning: 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.',
      refusal: '',
      skipped: [],
    });
  });

  it('Mistral Large 4 with reasoning_effort high: a closed thinking part, then the answer', () => {
    const got = read(messageContent('mistral-large-4-reasoning-high.json'));
    assert.equal(got.text, '3');
    assert.match(got.reasoning, /^The user is asking "How many r are in strawberry\? Be brief\."/);
    assert.match(got.reasoning, /Answer: 3$/);
    assert.deepEqual(got.skipped, []);
  });

  it('strings, null, undefined, numbers and empty arrays', () => {
    assert.equal(read('plain').text, 'plain');
    for (const nothing of [null, undefined, '', [], 42, true]) {
      assert.deepEqual(read(nothing), { text: '', reasoning: '', refusal: '', skipped: [] }, String(nothing));
    }
  });

  it('keeps the order of text parts and bare strings, and reads a single part object', () => {
    assert.equal(read([{ type: 'text', text: 'a' }, 'b', { type: 'text', text: 'c' }]).text, 'abc');
    assert.equal(read({ type: 'text', text: 'alone' }).text, 'alone');
  });

  it('thinking as nested text parts, as plain strings inside, or as one string', () => {
    assert.equal(read([{ type: 'thinking', thinking: [{ type: 'text', text: 'x' }, 'y', null, { type: 'text' }] }]).reasoning, 'xy');
    assert.equal(read([{ type: 'thinking', thinking: 'whole' }]).reasoning, 'whole');
    assert.equal(read([{ type: 'thinking', thinking: { text: 'not a list' } }]).reasoning, '');
  });

  it('a refusal part goes to the refusal channel, never the answer', () => {
    assert.deepEqual(read([{ type: 'refusal', refusal: 'No.' }]), { text: '', reasoning: '', refusal: 'No.', skipped: [] });
  });

  it('images, audio and unknown types are skipped by name; citations and junk silently', () => {
    const got = read([
      { type: 'image_url', image_url: { url: 'https://127.0.0.1:1/canary.png' } },
      { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
      { type: 'reference', reference_ids: [0] },
      { type: 'text', text: 'kept' },
      { text: 'no type' },
      { type: 'text', text: 7 },
      null,
      5,
    ]);
    assert.equal(got.text, 'kept');
    assert.deepEqual(got.skipped, ['image_url', 'input_audio', 'unknown']);
  });

  it('never lets a part type carry control characters or long text to a terminal', () => {
    assert.equal(printableType('image_url'), 'image_url');
    assert.equal(printableType('\u001b]0;pwned\u0007'), 'unknown');
    assert.equal(printableType('x'.repeat(41)), 'unknown');
    assert.equal(printableType({ toString: () => 'text' }), 'unknown');
  });
});

describe('readReasoningDetails', () => {
  it('reads reasoning.text and reasoning.summary in order, never reasoning.encrypted', () => {
    const got: string[] = [];
    const sent = readReasoningDetails(
      [
        { type: 'reasoning.summary', summary: 'Plan. ', format: 'anthropic-claude-v1', index: 0 },
        { type: 'reasoning.encrypted', data: 'gAAAAB', index: 1 },
        { type: 'reasoning.text', text: 'Detail.', signature: null, index: 2 },
        null,
        'junk',
      ],
      (t) => got.push(t),
    );
    assert.equal(sent, true);
    assert.deepEqual(got, ['Plan. ', 'Detail.']);
  });

  it('reports false for anything else', () => {
    assert.equal(readReasoningDetails({ type: 'reasoning.text', text: 'x' }, () => assert.fail()), false);
    assert.equal(readReasoningDetails([{ type: 'reasoning.encrypted', data: 'x' }], () => assert.fail()), false);
  });
});
