import * as assert from 'node:assert/strict';
import { buildMessages, firstUserMessage, outputContract, systemPrompt } from '../../../src/design/prompt';

describe('prompt assembly', () => {
  it('puts the agent instructions first and the output contract after them', () => {
    const s = systemPrompt('  You are an architect.\n');
    assert.ok(s.startsWith('You are an architect.\n\n'));
    assert.ok(s.endsWith(outputContract));
    assert.match(outputContract, /```yaml file=docs\/api\/openapi\.yaml/);
  });

  it('adds the workspace listing to a design request, and the folder to a review', () => {
    const design = firstUserMessage('design', 'A shop backend', { folderName: 'shop-api', listing: '- package.json' });
    assert.equal(design, 'A shop backend\n\nWorkspace: shop-api\nFiles (a partial listing):\n- package.json');
    const review = firstUserMessage('review', 'Review the architecture of src', { folderName: 'shop-api/src', listing: '- server.js' });
    assert.match(review, /^Review the architecture of this folder\./);
    assert.match(review, /Request: Review the architecture of src/);
    assert.match(review, /Folder under review: shop-api\/src\nFiles \(a partial listing\):\n- server\.js$/);
    assert.equal(firstUserMessage('chat', 'Hi', {}), 'Hi');
  });

  it('sends the conversation so far, leaving out failed and empty answers', () => {
    const messages = buildMessages('Agent body', [
      { id: 'u1', role: 'user', text: 'First' },
      { id: 'a1', role: 'assistant', text: 'partial', status: 'failed' },
      { id: 'u2', role: 'user', text: 'First again' },
      { id: 'a2', role: 'assistant', text: 'Answer', status: 'complete' },
    ], 'Next');
    assert.deepEqual(messages.map(m => [m.role, m.content.slice(0, 10)]), [
      ['system', 'Agent body'], ['user', 'First'], ['user', 'First agai'], ['assistant', 'Answer'], ['user', 'Next'],
    ]);
  });
});
