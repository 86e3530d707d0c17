import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentDefinition } from '../../../src/agents/parse';
import type { ParseResult } from '../../../src/agents/types';
import { sharedDir } from './agentPaths';

const MODEL_MAP = { sonnet: 'gpt-4.1', opus: 'o3', haiku: 'gpt-4.1-mini' };
const corpusDir = path.join(sharedDir, 'corpus', 'agents');
const seedsDir = path.join(sharedDir, 'seeds');
const haveShared = fs.existsSync(corpusDir) && fs.existsSync(seedsDir);

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort();
}

function parseFile(file: string): ParseResult {
  return parseAgentDefinition(fs.readFileSync(file), file, { modelMap: MODEL_MAP, defaultModel: 'gpt-4o' });
}

/** The value of a top-level `key:` line as written, quotes removed: an oracle independent of the parser. */
function rawValue(text: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text);
  if (!m) { return undefined; }
  const v = m[1].trim();
  if (v.startsWith('"') && v.endsWith('"')) { return JSON.parse(v) as string; }
  if (v.startsWith('\'') && v.endsWith('\'')) { return v.slice(1, -1).replace(/''/g, '\''); }
  return v;
}

function seed(prefix: string): string {
  const name = fs.readdirSync(seedsDir).find(f => f.startsWith(prefix));
  assert.ok(name, `seed ${prefix}* is missing from ${seedsDir}`);
  return path.join(seedsDir, name);
}

function agentOf(file: string): NonNullable<ParseResult['agent']> {
  const result = parseFile(file);
  assert.ok(result.agent, `${file}: ${JSON.stringify(result.problems)}`);
  return result.agent;
}

describe('agent corpus and seeds (shared/)', function () {
  before(function () {
    if (!haveShared) {
      console.warn(`    skipped: shared corpus not found at ${sharedDir} (set BA_SHARED_DIR; CI has it)`);
      this.skip();
    }
  });

  it('has the 359 corpus files (201 + 158) and 5 seeds', () => {
    assert.equal(listFiles(path.join(corpusDir, 'wshobson-agents')).length, 201);
    assert.equal(listFiles(path.join(corpusDir, 'voltagent-subagents')).length, 158);
    assert.equal(listFiles(corpusDir).length, 359);
    assert.equal(listFiles(seedsDir).length, 5);
  });

  it('reads every file into an agent with a name, a description, a body and no errors', () => {
    for (const file of [...listFiles(corpusDir), ...listFiles(seedsDir)]) {
      const result = parseFile(file);
      assert.ok(result.agent, `${file}: ${JSON.stringify(result.problems)}`);
      assert.deepEqual(result.problems.filter(p => p.severity === 'error'), [], file);
      const a = result.agent;
      assert.ok(a.name.length > 0 && a.body.length > 0 && a.description.length > 0, file);
      assert.ok(a.bodyStartLine > 1, file);
      for (const p of result.problems) { assert.ok(Number.isInteger(p.line) && p.line >= 1, `${file}: ${p.line}`); }
    }
  });

  it('takes name, model and tools exactly as the header lines write them', () => {
    let checkedTools = 0;
    for (const file of listFiles(corpusDir)) {
      const text = fs.readFileSync(file, 'utf8');
      const a = agentOf(file);
      assert.equal(a.name, rawValue(text, 'name'), file);
      assert.equal(a.model, rawValue(text, 'model'), file);
      const tools = rawValue(text, 'tools');
      if (tools !== undefined && !tools.startsWith('[')) {
        assert.deepEqual(a.tools, tools.split(',').map(t => t.trim()), file);
        checkedTools++;
      }
    }
    assert.equal(checkedTools, 172, 'comma-separated tools strings');
  });

  it('keeps single-line descriptions word for word', () => {
    let checked = 0;
    for (const file of listFiles(corpusDir)) {
      const text = fs.readFileSync(file, 'utf8');
      const raw = rawValue(text, 'description');
      if (raw === undefined || /^[>|]/.test(raw)) { continue; }
      assert.equal(agentOf(file).description, raw, file);
      checked++;
    }
    assert.equal(checked, 354);
  });

  it('reads the 8 files that are not strict YAML through the line-wise fallback', () => {
    const tolerant = listFiles(corpusDir).filter(f => parseFile(f).problems.some(p => /not strict YAML/.test(p.message)));
    assert.deepEqual(tolerant.map(f => path.basename(f)), [
      'categories__04-quality-security__gdpr-ccpa-compliance.md',
      'categories__07-specialized-domains__hipaa-compliance.md',
      'categories__08-business-product__assumption-mapping.md',
      'categories__08-business-product__backlog-grooming.md',
      'categories__08-business-product__growth-loops.md',
      'categories__10-research-analysis__ab-test-analysis.md',
      'categories__10-research-analysis__cohort-analysis.md',
      'categories__10-research-analysis__first-principles-thinking.md',
    ]);
    for (const file of tolerant) {
      const result = parseFile(file);
      const warning = result.problems.find(p => /not strict YAML/.test(p.message));
      assert.equal(warning?.line, 3, file);
      assert.equal(warning?.severity, 'warning');
      assert.match(result.agent!.description, /Triggers on: '/, file);
      assert.ok(result.agent!.tools.includes('Read'), file);
    }
    const gdpr = agentOf(tolerant[0]);
    assert.equal(gdpr.name, 'gdpr-ccpa-compliance');
    assert.deepEqual(gdpr.tools, ['Read', 'Grep', 'Glob', 'WebFetch', 'WebSearch']);
    assert.match(gdpr.description, /'California privacy'\.$/);
  });

  it('maps every model value the corpus uses', () => {
    const seen = new Map<string, { count: number; resolved: Set<string | undefined>; noted: boolean }>();
    for (const file of listFiles(corpusDir)) {
      const result = parseFile(file);
      const key = result.agent!.model ?? '(none)';
      const entry = seen.get(key) ?? { count: 0, resolved: new Set(), noted: false };
      entry.count++;
      entry.resolved.add(result.agent!.resolvedModel);
      entry.noted ||= result.problems.some(p => p.severity === 'info' && /has no mapping/.test(p.message));
      seen.set(key, entry);
    }
    const summary = Object.fromEntries([...seen].map(([k, v]) => [k, { count: v.count, resolved: [...v.resolved], noted: v.noted }]));
    assert.deepEqual(summary, {
      sonnet: { count: 175, resolved: ['gpt-4.1'], noted: false },
      opus: { count: 54, resolved: ['o3'], noted: false },
      haiku: { count: 43, resolved: ['gpt-4.1-mini'], noted: false },
      inherit: { count: 77, resolved: [undefined], noted: false },
      fable: { count: 2, resolved: [undefined], noted: true },
      '(none)': { count: 8, resolved: [undefined], noted: false },
    });
  });

  it('reads a folded (>) description and an empty tools list', () => {
    const a = agentOf(path.join(corpusDir, 'wshobson-agents', 'plugins__arm-cortex-microcontrollers__agents__arm-cortex-expert.md'));
    assert.match(a.description, /^Senior embedded software engineer .* peripheral drivers\.$/);
    assert.ok(!a.description.includes('\n'));
    assert.deepEqual(a.tools, []);
    assert.equal(a.model, 'inherit');
    assert.equal(a.resolvedModel, undefined);
  });

  it('reports emoji presentation selectors as info only, and nothing hidden anywhere else', () => {
    for (const file of listFiles(corpusDir)) {
      const hidden = parseFile(file).problems.filter(p => /hidden Unicode|emoji presentation/.test(p.message));
      for (const p of hidden) { assert.equal(p.severity, 'info', `${file}: ${p.message}`); }
    }
    const arm = parseFile(path.join(corpusDir, 'wshobson-agents', 'plugins__arm-cortex-microcontrollers__agents__arm-cortex-expert.md'));
    assert.ok(arm.problems.some(p => p.severity === 'info' && /4 emoji presentation characters removed on lines 53, 63, 123, 252/.test(p.message)));
    assert.ok(!arm.agent!.body.includes('\uFE0F'));
  });

  describe('seeds', () => {
    it('000: Claude Code subagent whose tracker shell commands stay plain body text', () => {
      const result = parseFile(seed('000_'));
      const a = result.agent!;
      assert.equal(a.name, 'backend-architect');
      assert.equal(a.model, 'sonnet');
      assert.equal(a.resolvedModel, 'gpt-4.1');
      assert.deepEqual(a.tools, []);
      assert.equal(a.format, 'front-matter');
      assert.equal(a.bodyStartLine, 7);
      assert.ok(a.body.startsWith('You are a backend system architect specializing in scalable API design'));
      assert.ok(a.body.includes('cd our-crm-ai && python3 crm_enhanced.py create --title "TASK_TITLE"'));
      assert.ok(a.body.includes('python3 crm_enhanced.py complete TASK_ID'));
      assert.ok(a.body.endsWith('Stay connected with the broader AI-CRM ecosystem for seamless collaboration.'));
      assert.deepEqual(a.extra, {});
      assert.deepEqual(result.problems, []);
    });

    it('001: no model and no tools', () => {
      const result = parseFile(seed('001_'));
      const a = result.agent!;
      assert.equal(a.name, 'backend-architect');
      assert.equal(a.model, undefined);
      assert.equal(a.resolvedModel, undefined);
      assert.deepEqual(a.tools, []);
      assert.match(a.description, /^Designs robust backend services/);
      assert.ok(a.body.startsWith('You are the "Backend Architect,"'));
      assert.deepEqual(result.problems, []);
    });

    it('002: JSON-style tools list and a pinned model id', () => {
      const result = parseFile(seed('002_'));
      const a = result.agent!;
      assert.equal(a.model, 'claude-sonnet-4-5-20250929');
      assert.equal(a.resolvedModel, 'gpt-4.1', 'a pinned sonnet id maps through "sonnet"');
      assert.deepEqual(a.tools, ['Read', 'LS', 'Grep', 'Glob', 'Create', 'Edit', 'MultiEdit', 'Execute',
        'WebSearch', 'FetchUrl', 'TodoWrite', 'Task', 'GenerateDroid']);
      assert.equal(a.bodyStartLine, 8);
      assert.ok(a.body.endsWith('- database-admin should create migration scripts\n```'));
      // Read, LS, Grep and Glob are ours; the rest write, run or browse, and are named in one note on the tools line.
      assert.deepEqual(result.problems.map(p => [p.severity, p.line]), [['info', 5]]);
      assert.match(result.problems[0].message, /^tools Create, Edit, MultiEdit, Execute, WebSearch, FetchUrl, TodoWrite, Task and 1 more: not available here, ignored/);
    });

    it('003: skill-style body with checklists, mermaid and SQL kept whole', () => {
      const a = agentOf(seed('003_'));
      assert.equal(a.name, 'backend-architect');
      assert.ok(a.body.startsWith('# Backend Architect'));
      assert.ok(a.body.includes('- [ ] Define service boundaries'));
      assert.ok(a.body.includes('```sql\nCREATE TABLE resources ('));
      assert.ok(a.body.endsWith('- CDN for static assets'));
    });

    it('004: no fences, a one-line description full of <example> blocks', () => {
      const result = parseFile(seed('004_'));
      const a = result.agent!;
      assert.equal(a.format, 'no-fences');
      assert.equal(a.name, 'backend-architect');
      assert.equal(a.model, 'sonnet');
      assert.equal(a.resolvedModel, 'gpt-4.1');
      assert.ok(a.description.startsWith('Use this agent when designing new backend services'));
      assert.equal(a.description.match(/<example>/g)?.length, 2);
      assert.equal(a.description.match(/<\/example>/g)?.length, 2);
      assert.ok(a.description.includes("user: 'I want to add a recommendation system to my existing app'"));
      assert.equal(a.bodyStartLine, 5);
      assert.ok(a.body.startsWith('You are an expert backend system architect'));
      assert.ok(!a.body.includes('name: backend-architect'));
      assert.deepEqual(result.problems.map(p => [p.line, p.severity]), [[2, 'warning']]);
    });
  });
});
