import * as assert from 'node:assert/strict';
import { extractArtifacts } from '../../../src/artifacts/extract';
import { pickRepairedBlock, repairPrompt } from '../../../src/artifacts/repair';
import { ArtifactTracker } from '../../../src/artifacts/tracker';
import { validateArtifact } from '../../../src/artifacts/validate';
import { streamChat } from '../../../src/llm/openaiStream';
import type { TurnRecord } from '../../../src/protocol';
import { ModelServer } from '../../support/modelServer';

describe('repair turns with a model: a broken diagram, then the fixed one', function () {
  this.timeout(60000);
  let server: ModelServer;
  before(async () => { server = await ModelServer.start({ quiet: true }); });
  after(async () => { await server.close(); });

  // Broken in a way the deterministic fixes do not cover: a state diagram transition with one dash.
  const broken = 'stateDiagram-v2\n  [*] --> Placed\n  Placed - Paid\n  Paid --> [*]\n';
  const fixed = 'stateDiagram-v2\n  [*] --> Placed\n  Placed --> Paid\n  Paid --> [*]\n';

  function tracker(): ArtifactTracker {
    return new ArtifactTracker(extractArtifacts, a => validateArtifact(a), async (artifact, problems) => {
      const r = await streamChat({ endpoint: { baseURL: server.url, model: 'm' }, messages: [{ role: 'user', content: repairPrompt(artifact, problems) }] }, { onDelta: () => undefined });
      return r.status === 'complete' ? pickRepairedBlock(r.text, artifact) : undefined;
    });
  }

  it('sends mermaid\'s problem back, checks the reply, and marks the diagram repaired', async () => {
    server.requests.length = 0;
    server.enqueue({ content: `\`\`\`mermaid file=docs/order-states.mmd\n${fixed}\`\`\`\n` });
    const turn: TurnRecord = { id: 'a-1', role: 'assistant', text: `\`\`\`mermaid file=docs/order-states.mmd\n${broken}\`\`\`\n` };
    const t = tracker();
    const [view] = await t.analyse(turn, () => undefined);
    assert.equal(view.status, 'repaired', JSON.stringify(view));
    assert.equal(t.get('a-1', view.id)!.content, fixed);
    assert.equal(server.requests.length, 1);
    const asked = server.requests[0].body.messages[0].content as string;
    assert.match(asked, /docs\/order-states\.mmd` did not pass/);
    assert.match(asked, /line 3/);
  });

  it('gives up after two turns when the model keeps sending broken diagrams', async () => {
    server.requests.length = 0;
    server.enqueue({ content: `\`\`\`mermaid\n${broken.replace('Paid', 'Payd')}\`\`\`\n` }, { content: `\`\`\`mermaid\n${broken.replace('Paid', 'Pyd')}\`\`\`\n` });
    const turn: TurnRecord = { id: 'a-2', role: 'assistant', text: `\`\`\`mermaid\n${broken}\`\`\`\n` };
    const [view] = await tracker().analyse(turn, () => undefined);
    assert.equal(view.status, 'invalid');
    assert.equal(server.requests.length, 2, 'at most two repair turns');
  });
});
