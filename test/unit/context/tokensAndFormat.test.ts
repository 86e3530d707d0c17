import * as assert from 'node:assert/strict';
import { fenceFor, formatFileBlock, languageFor, safePath } from '../../../src/context/promptFormat';
import { estimateTokens, truncateToTokens } from '../../../src/context/tokens';

describe('context tokens and prompt format', () => {
  it('counts words in prose about one token each', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('The quick brown fox jumps over the lazy dog'), 9);
    assert.equal(estimateTokens('hello'), 1);
  });

  it('splits identifiers at case and digit changes, and counts digits in threes', () => {
    assert.equal(estimateTokens('getUserById'), 3);
    assert.equal(estimateTokens('prisma.user.findMany'), 4);
    assert.equal(estimateTokens('user_id'), 2);
    assert.equal(estimateTokens('1234567'), 3);
    assert.equal(estimateTokens('internationalization'), 3);
  });

  it('counts code at roughly three to four characters a token', () => {
    const code = [
      'export async function placeOrder(prisma, userId, items) {',
      '  return prisma.$transaction(async tx => {',
      "    const order = await tx.order.create({ data: { userId, status: 'PENDING' } });",
      '    return order;',
      '  });',
      '}',
    ].join('\n');
    const ratio = code.length / estimateTokens(code);
    assert.ok(ratio > 2.5 && ratio < 4.5, `chars per token ${ratio.toFixed(2)}`);
  });

  it('is deterministic and grows with the text', () => {
    const text = 'SELECT id, email FROM users WHERE created_at > now() - interval \'1 day\';\n';
    assert.equal(estimateTokens(text), estimateTokens(text));
    assert.ok(estimateTokens(text.repeat(10)) >= 9 * estimateTokens(text));
    assert.ok(estimateTokens('é'.repeat(10)) === 10);
  });

  it('cuts a file at a line boundary with a note, within the allowance', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line number ${i} with some words`).join('\n');
    const cut = truncateToTokens(text, 100)!;
    assert.ok(estimateTokens(cut.text) <= 100, `${estimateTokens(cut.text)} tokens`);
    assert.equal(cut.totalLines, 200);
    assert.ok(cut.keptLines > 5 && cut.keptLines < 200);
    assert.ok(cut.text.endsWith(`… [cut here: first ${cut.keptLines} of 200 lines]`));
    assert.ok(cut.text.startsWith('line number 0 with some words\nline number 1'));
  });

  it('cuts inside one very long line, and gives up when not even the note fits', () => {
    const cut = truncateToTokens('x'.repeat(100) + ',y'.repeat(5000), 50)!;
    assert.ok(estimateTokens(cut.text) <= 50);
    assert.match(cut.text, /part of line 1 of 1/);
    assert.equal(truncateToTokens('anything at all', 3), undefined);
  });

  it('fences content so that backticks inside cannot close the block', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a ``` b'), '````');
    assert.equal(fenceFor('a ````` b ``'), '``````');
    const block = formatFileBlock({ path: 'README.md', reason: 'README', content: '```js\nx\n```\n\n' });
    assert.equal(block, 'File: README.md (README)\n````markdown\n```js\nx\n```\n````');
  });

  it('names the fence language from the path', () => {
    assert.equal(languageFor('src/a.ts'), 'typescript');
    assert.equal(languageFor('prisma/schema.prisma'), 'prisma');
    assert.equal(languageFor('Dockerfile.prod'), 'dockerfile');
    assert.equal(languageFor('Gemfile'), 'ruby');
    assert.equal(languageFor('.env.example'), 'properties');
    assert.equal(languageFor('LICENSE'), '');
  });

  it('cleans paths of hidden Unicode and control characters before they reach the prompt', () => {
    assert.equal(safePath('src/a\u200b.ts'), 'src/a.ts');
    assert.equal(safePath('evil\u001b[31m.ts'), 'evil?[31m.ts');
    assert.equal(safePath(`x${String.fromCodePoint(0xe0041)}.ts`), 'x.ts');
  });
});
