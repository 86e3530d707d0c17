/** `listModels`: ids from GET /models, and the same error classification as `streamChat`. */
import assert from 'node:assert/strict';
import { listModels, ModelClientError } from '../../../src/llm/openaiStream';
import type { AnswerError } from '../../../src/llm/types';
import { ModelServer } from '../../support/modelServer';

async function failure(promise: Promise<unknown>): Promise<AnswerError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ModelClientError, String(err));
    return err.answerError;
  }
  assert.fail('expected listModels to throw');
}

describe('listModels', function () {
  this.timeout(5000);
  let server: ModelServer;

  beforeEach(async () => {
    server = await ModelServer.start({ quiet: true, models: ['llama3.1:8b', 'qwen2.5-coder:7b'] });
  });
  afterEach(async () => {
    await server.close();
  });

  it('returns the model ids in server order, without an Authorization header when keyless', async () => {
    const ids = await listModels({ baseURL: server.url, model: '' });
    assert.deepEqual(ids, ['llama3.1:8b', 'qwen2.5-coder:7b']);
    assert.equal(server.requests[0].path, '/v1/models');
    assert.equal(server.requests[0].headers['authorization'], undefined);
  });

  it('sends the key and the configured headers', async () => {
    await listModels({ baseURL: server.url, model: '', apiKey: 'sk-list-123456', headers: { 'X-Team': 'core' } });
    assert.equal(server.requests[0].headers['authorization'], 'Bearer sk-list-123456');
    assert.equal(server.requests[0].headers['x-team'], 'core');
  });

  it('401: throws ModelClientError with kind auth, key redacted', async () => {
    const apiKey = 'sk-list-SECRET-987654';
    const error = await failure(listModels({ baseURL: server.url, model: '', apiKey, headers: { 'x-fault': 'S21-401' } }));
    assert.equal(error.kind, 'auth');
    assert.deepEqual(error.actions, ['setApiKey']);
    assert.ok(!error.message.includes(apiKey));
  });

  it('a 200 HTML page (captive portal, wrong path): bad-response with the /v1 hint', async () => {
    const error = await failure(listModels({ baseURL: server.url, model: '', headers: { 'x-fault': 'S20-html' } }));
    assert.equal(error.kind, 'bad-response');
    assert.match(error.message, /\/v1/);
  });

  it('connection refused: kind connection', async () => {
    const url = server.url;
    await server.close();
    const error = await failure(listModels({ baseURL: url, model: '' }));
    assert.equal(error.kind, 'connection');
    assert.match(error.message, /Could not reach http:\/\/127\.0\.0\.1:\d+\. Is the server/);
    server = await ModelServer.start({ quiet: true });
  });

  it('an aborted signal: kind cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await failure(listModels({ baseURL: server.url, model: '' }, controller.signal));
    assert.equal(error.kind, 'cancelled');
  });
});
