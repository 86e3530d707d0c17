import * as assert from 'node:assert/strict';
import { parseAgentDefinition } from '../../../src/agents/parse';
import type { ParseResult } from '../../../src/agents/types';
import { hasHiddenUnicode, HIDDEN_RANGES, stripHiddenUnicode } from '../../../src/agents/unicode';

/** mulberry32: a small seeded generator, so a failure replays with the seed it prints. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '---', '---js', '--- JavaScript', '...', '\n', '\n', '\n', '\r\n', '\r', ':', ': ', '[', ']', '{', '}', ',', '*a', '&a ', '<<: ',
  '__proto__: ', 'constructor:', '- ', '  ', '    ', '\t', '"', '\'', '```', '```chatmode\n', '#', '|', '>-', '\ufeff', '\u200b',
  '\u{E0041}', '\uFE0F', '\u202e', '\u{1F600}', 'name: ', 'title: ', 'description: ', 'model: ', 'tools: ', 'sonnet', '*',
  '<example>', '</example>', 'mcp-servers:\n  x:\n    tools: [a]\n', 'Body text. ', '\u0000', '\ud800',
  '"\\u200b"', '"a\\U000E0041"', '\\u202e', '"__pro\\u200bto__": ',
];
const TEMPLATE = '---\nname: fuzz\ndescription: A fuzzed agent.\nmodel: sonnet\ntools: Read, Grep\n---\n\nYou are fuzzed.\n';

function lineCount(input: string | Uint8Array): number {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  return text.split(/\r\n|\r|\n/).length;
}

function checkInvariants(input: string | Uint8Array, result: ParseResult, label: string): void {
  const lines = lineCount(input);
  assert.equal(result.file, 'fuzz.md', label);
  for (const p of result.problems) {
    assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines, `${label}: line ${p.line} of ${lines}: ${p.message}`);
    assert.ok(['error', 'warning', 'info'].includes(p.severity), label);
    assert.equal(typeof p.message, 'string', label);
    // The guard turns internal exceptions into this message; fuzzing must never reach it.
    assert.doesNotMatch(p.message, /^could not be read/, `${label}: ${p.message}`);
  }
  const hasError = result.problems.some(p => p.severity === 'error');
  assert.equal(result.agent === undefined, hasError, `${label}: an agent exactly when there is no error`);
  if (result.agent) {
    const a = result.agent;
    assert.ok(a.name.length > 0, label);
    assert.ok(a.tools.every(t => typeof t === 'string' && t.length > 0), label);
    assert.ok(!hasHiddenUnicode(JSON.stringify(a)), `${label}: hidden Unicode reached the agent`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, label);
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined, label);
}

describe('agent parser fuzz', () => {
  it('never throws on random bytes, and keeps its invariants', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const bytes = new Uint8Array(Math.floor(next() * 2000));
      for (let i = 0; i < bytes.length; i++) { bytes[i] = Math.floor(next() * 256); }
      checkInvariants(bytes, parseAgentDefinition(bytes, 'fuzz.md'), `random bytes, seed ${seed}`);
    }
  });

  it('never throws on definitions mutated with front-matter tokens, and is deterministic', () => {
    for (let seed = 1; seed <= 600; seed++) {
      const next = random(seed);
      let text = TEMPLATE;
      const edits = 1 + Math.floor(next() * 12);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (text.length + 1));
        const cut = next() < 0.3 ? Math.floor(next() * 8) : 0;
        text = text.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + text.slice(at + cut);
      }
      const result = parseAgentDefinition(text, 'fuzz.md', { modelMap: { sonnet: 'gpt-4.1' } });
      checkInvariants(text, result, `mutation seed ${seed}: ${JSON.stringify(text)}`);
      assert.deepEqual(parseAgentDefinition(text, 'fuzz.md', { modelMap: { sonnet: 'gpt-4.1' } }), result, `seed ${seed}`);
    }
  });

  it('detects exactly the listed hidden ranges, at both ends of each', () => {
    for (const { from, to } of HIDDEN_RANGES) {
      for (const cp of [from, to]) {
        const ch = String.fromCodePoint(cp);
        assert.ok(hasHiddenUnicode(`a${ch}b`), cp.toString(16));
        assert.equal(stripHiddenUnicode(`a${ch}b`), 'ab', cp.toString(16));
      }
      for (const cp of [from - 1, to + 1]) {
        if (HIDDEN_RANGES.some(r => cp >= r.from && cp <= r.to)) { continue; }
        const ch = String.fromCodePoint(cp);
        assert.equal(hasHiddenUnicode(`a${ch}b`), false, cp.toString(16));
        assert.equal(stripHiddenUnicode(`a${ch}b`), `a${ch}b`, cp.toString(16));
      }
    }
  });
});
