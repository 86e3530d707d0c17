/**
 * Issue #17: content in every shape providers stream, each through `streamChat` and the real `openai`
 * client over HTTP against the ModelServer speaking that provider's wire format (sources in
 * test/fixtures/llm/SOURCES.md). What a person sees: the text in order, thinking in the Thinking
 * section, a refusal as a refusal, a note for parts not shown, and never "complete" for an empty answer.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelServer } from '../../support/modelServer';
import { repoRoot } from '../agents/agentPaths';
import { chatRequests, run } from './harness';

const CHUNKS = ['Use ', 'a ', 'durable ', 'queue ', 'with ', 'retries.'];
const FULL = CHUNKS.join('');
const THOUGHT = 'The user wants a queue; durability matters most.';

describe('streamChat reads every provider content format (issue #17)', function () {
  this.timeout(8000);
  let server: ModelServer;

  beforeEach(async () => {
    server = await ModelServer.start({ quiet: true });
  });
  afterEach(async () => {
    await server.close();
  });

  describe('Mistral reasoning models: content as arrays of thinking and text parts', () => {
    it('a recorded magistral-medium stream replayed verbatim: the answer, its thinking, usage, complete', async () => {
      const file = path.join(repoRoot, 'test', 'fixtures', 'llm', 'mistral', 'mistral-reasoning.chunks.txt');
      const recorded = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as unknown);
      server.enqueue({ recorded });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.equal(out.result.text, '2 + 2 = 4');
      assert.equal(out.result.reasoning, 'The user is asking for 2+2. This is basic arithmetic. 2+2=4.');
      assert.deepEqual(out.reasoning, ['The user is asking', ' for 2+2. This is basic arithmetic. 2+2=4.'], 'thinking streams as it arrives');
      assert.deepEqual(out.result.usage, { promptTokens: 10, completionTokens: 46, totalTokens: 56 });
      assert.equal(out.result.model, 'magistral-medium-2507');
    });

    it('text parts reach the answer in order, thinking parts the Thinking section, and it is complete', async () => {
      server.enqueue({ format: 'mistral', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.equal(out.result.text, FULL);
      assert.deepEqual(out.deltas, CHUNKS, 'one delta per text part, in order, nothing else');
      assert.equal(out.result.reasoning, THOUGHT);
      assert.equal(out.reasoning.join(''), THOUGHT);
      assert.equal(out.result.error, undefined);
    });

    it('the 422 Mistral gives for stream_options costs no retry: the request is sent again without it', async () => {
      server.enqueue({ format: 'mistral', chunks: CHUNKS });
      const { result, statuses } = await run(server, { endpoint: { maxRetries: 0 } });
      assert.equal(result.status, 'complete');
      assert.equal(result.text, FULL);
      const bodies = chatRequests(server).map((r) => r.body);
      assert.equal(bodies.length, 2);
      assert.deepEqual(bodies[0].stream_options, { include_usage: true });
      assert.equal('stream_options' in bodies[1], false);
      assert.deepEqual(statuses, [], 'nothing to tell the person');
      assert.equal(result.usage?.totalTokens !== undefined, true, 'usage still arrives: Mistral sends it unasked');
    });

    it('the next request to the same endpoint leaves stream_options out at once', async () => {
      server.enqueue({ format: 'mistral', chunks: CHUNKS }, { format: 'mistral', chunks: CHUNKS });
      await run(server);
      const second = await run(server);
      assert.equal(second.result.text, FULL);
      assert.equal(chatRequests(server).length, 3, '422, retry, then one request for the second answer');
    });

    it('thinking only, then a stop: "empty" with Retry and Select Model, never "complete"', async () => {
      server.enqueue({ format: 'mistral', content: '', reasoning: THOUGHT });
      const { result, deltas } = await run(server);
      assert.equal(result.status, 'empty');
      assert.deepEqual(deltas, []);
      assert.equal(result.reasoning, THOUGHT, 'the thinking is kept and shown');
      assert.equal(result.error?.kind, 'empty');
      assert.match(result.error?.message ?? '', /after thinking, without writing an answer/);
      assert.deepEqual(result.error?.actions, ['retry', 'selectModel']);
    });
  });

  describe('reasoning fields of other servers', () => {
    it('DeepSeek: reasoning_content beside content: null, then content beside reasoning_content: null', async () => {
      server.enqueue({ format: 'deepseek', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.deepEqual(out.deltas, CHUNKS);
      assert.equal(out.result.reasoning, THOUGHT);
    });

    it('vLLM sending the same reasoning in reasoning and reasoning_content: shown once', async () => {
      server.enqueue({ format: 'vllm', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.reasoning, THOUGHT, 'not doubled');
      assert.equal(out.result.text, FULL);
    });

    it('Ollama: delta.reasoning with the role repeated on every delta', async () => {
      server.enqueue({ format: 'ollama', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.equal(out.result.reasoning, THOUGHT);
      assert.deepEqual(out.deltas, CHUNKS);
    });

    it('OpenRouter: reasoning and the same text in reasoning_details, shown once; the encrypted detail never', async () => {
      server.enqueue({ format: 'openrouter', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.equal(out.result.reasoning, THOUGHT);
      assert.ok(!out.result.reasoning.includes('gAAAA'), 'encrypted reasoning is not for people');
      assert.equal(out.result.text, FULL);
    });

    it('OpenRouter with reasoning only in reasoning_details (summary and text) still fills Thinking', async () => {
      server.enqueue({ format: 'openrouter-details', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.reasoning, THOUGHT);
      assert.equal(out.result.text, FULL);
    });

    it('Gemini thought summaries wrapped in <thought> tags go to Thinking, not the answer', async () => {
      server.enqueue({ format: 'gemini-thought', chunks: CHUNKS, reasoning: THOUGHT });
      const out = await run(server);
      assert.equal(out.result.status, 'complete');
      assert.equal(out.result.reasoning, THOUGHT);
      assert.equal(out.result.text, FULL);
      assert.ok(out.deltas.every((d) => !d.includes('thought>')), out.deltas.join('|'));
    });
  });

  describe('refusals', () => {
    it('OpenAI delta.refusal: status "refused" with what the model said, Retry offered, no answer text', async () => {
      const refusal = ["I'm ", 'sorry, ', "I can't ", 'help ', 'with ', 'that.'];
      server.enqueue({ format: 'openai-refusal', chunks: refusal });
      const { result, deltas } = await run(server);
      assert.equal(result.status, 'refused');
      assert.equal(result.refusal, refusal.join(''));
      assert.equal(result.error?.kind, 'refused');
      assert.equal(result.error?.message, refusal.join(''));
      assert.deepEqual(result.error?.actions, ['retry']);
      assert.deepEqual(deltas, [], 'a refusal is not answer text');
    });

    it('a refusal cut off without a finish_reason is still shown as a refusal', async () => {
      server.enqueue({ format: 'openai-refusal', chunks: ['I cannot ', 'do that.'], finishReason: null });
      const { result } = await run(server);
      assert.equal(result.status, 'refused');
      assert.equal(result.error?.message, 'I cannot do that.');
    });
  });

  describe('parts that are not text', () => {
    it('image, unknown and citation parts, null and bare strings: text in order, one note per type, no crash', async () => {
      server.enqueue({ format: 'parts-mixed', chunks: CHUNKS });
      const { result, statuses } = await run(server);
      assert.equal(result.status, 'complete');
      assert.equal(result.text, FULL);
      const notes = [
        'The answer held a part of type "image_url", which is not shown.',
        'The answer held a part of type "x-future-part", which is not shown.',
        // The type held an escape sequence: it is never printed.
        'The answer held a part of type "unknown", which is not shown.',
      ];
      assert.deepEqual(result.notes, notes);
      assert.deepEqual(statuses, notes, 'told while streaming too');
      assert.ok(!result.text.includes('never shown'));
    });
  });

  describe('answers with no text and no tool calls are "empty", never "complete"', () => {
    it('nothing at all between the role chunk and the stop', async () => {
      server.enqueue({ content: '' });
      const { result } = await run(server);
      assert.equal(result.status, 'empty');
      assert.equal(result.error?.message, 'The model ended its answer without writing anything. Retry, or choose another model.');
      assert.deepEqual(result.error?.actions, ['retry', 'selectModel']);
    });

    it('whitespace only: empty, and no blank answer is drawn', async () => {
      server.enqueue({ chunks: ['\n', '  ', '\n\n'] });
      const { result, deltas } = await run(server);
      assert.equal(result.status, 'empty');
      assert.equal(result.text.trim(), '');
      assert.deepEqual(deltas, []);
    });

    it('whitespace only in Mistral text parts: empty', async () => {
      server.enqueue({ format: 'mistral', chunks: [' ', '\n'], reasoning: THOUGHT });
      const { result } = await run(server);
      assert.equal(result.status, 'empty');
      assert.equal(result.reasoning, THOUGHT);
    });

    it('thinking only, in a <think> block of the content', async () => {
      server.enqueue({ chunks: ['<think>', 'Plan it.', '</think>', '\n\n'] });
      const { result } = await run(server);
      assert.equal(result.status, 'empty');
      assert.equal(result.reasoning, 'Plan it.');
      assert.match(result.error?.message ?? '', /after thinking/);
    });

    it('a tool call with no text is an answer, not empty', async () => {
      server.enqueue({ fault: 'S12-tool-calls-stop' });
      const { result } = await run(server);
      assert.equal(result.status, 'complete');
    });

    it('cut at the length limit while thinking stays "length" (the more useful message)', async () => {
      server.enqueue({ format: 'deepseek', content: '', reasoning: THOUGHT, finishReason: 'length' });
      const { result } = await run(server);
      assert.equal(result.status, 'length');
    });
  });
});
