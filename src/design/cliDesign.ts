/**
 * `backend-architect design "REQUEST"`: the same prompt, tools and streaming client as the extension, on the
 * command line. The answer's text goes to stdout exactly as the model wrote it; status, progress and the tool
 * calls go to stderr.
 */
import { HELP_OPTION, readCommandLine, terminalSafe, type CliIo } from '../cliSupport';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentDefinition } from '../agents/parse';
import { listModels } from '../llm/openaiStream';
import { originOf } from '../llm/providers';
import type { AnswerStatus, EndpointConfig } from '../llm/types';
import { cliAnswer } from './cliAnswer';


export const designUsage = `Usage: backend-architect design "REQUEST" [options]

Streams a design from an OpenAI-compatible endpoint to stdout.

Options:
  --agent NAME       agent definition to use (default: backend-architect); looked up in
                     ./.claude/agents, ./.github/agents and the bundled agents
  --base-url URL     endpoint (default: $BACKEND_ARCHITECT_BASE_URL, $OPENAI_BASE_URL, or OpenAI)
  --model M          model id (default: $BACKEND_ARCHITECT_MODEL, else the endpoint's first model)
  --dir DIR          workspace the model may read (default: the current directory)
  --out DIR          write the answer's artifacts (files it proposes) under DIR, once they validate;
                     same path rules as the extension; sensitive destinations are refused
  --force            with --out, replace files that already exist
  --tool-rounds N    rounds of read-only tool calls (list, read, search, checks; default 8); 0 sends a
                     fixed slice of the workspace instead
  -h, --help         show this help

The API key is read from $BACKEND_ARCHITECT_API_KEY or $OPENAI_API_KEY, never from the command line.
Exit codes: 0 complete; 1 failed, incomplete, filtered or cut at the length limit; 2 bad usage; 130 interrupted.`;

interface DesignArgs { request: string; agent: string; baseURL?: string; model?: string; dir: string; out?: string; force?: boolean; toolRounds: number; }

/** Rounds and result tokens of tool calls per answer on the command line (the extension's defaults). */
export const CLI_TOOL_ROUNDS = 8;
export const CLI_TOOL_TOKENS = 32_000;

/** `--tool-rounds N` as a whole number from 0 to 50, or undefined when it is not one. */
export function parseRounds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,2}$/.test(value) && Number(value) <= 50 ? Number(value) : undefined;
}

function parseArgs(args: string[]): DesignArgs | 'help' | string {
  const read = readCommandLine(args, {
    ...HELP_OPTION, agent: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, dir: { type: 'string' },
    out: { type: 'string' }, force: { type: 'boolean' }, 'tool-rounds': { type: 'string' },
  });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  const toolRounds = values['tool-rounds'] === undefined ? CLI_TOOL_ROUNDS : parseRounds(values['tool-rounds']);
  if (toolRounds === undefined) { return '--tool-rounds takes a whole number from 0 to 50'; }
  for (const flag of ['agent', 'base-url', 'model', 'dir', 'out'] as const) { if (values[flag] === '') { return `--${flag} needs a value`; } }
  const request = positionals.join(' ').trim();
  if (!request) { return 'no request given'; }
  return {
    request, agent: values.agent ?? 'backend-architect', baseURL: values['base-url'], model: values.model, dir: values.dir ?? process.cwd(),
    out: values.out, force: values.force, toolRounds,
  };
}

/** The agent's instructions and listed tools: the workspace's own definitions first, then the bundled ones. */
export function findAgent(name: string, dir: string): { name: string; body: string; file: string; tools?: string[] } | undefined {
  const bundled = path.resolve(__dirname, '..', 'agents');
  const places = [path.join(dir, '.claude', 'agents'), path.join(dir, '.github', 'agents'), bundled];
  for (const place of places) {
    let files: string[] = [];
    try { files = fs.readdirSync(place).filter(f => f.endsWith('.md')).map(f => path.join(place, f)); } catch { continue; }
    for (const file of files) {
      const parsed = parseAgentDefinition(fs.readFileSync(file), file);
      if (parsed.agent?.name === name) { return { name, body: parsed.agent.body, file, tools: parsed.agent.toolsListed ? parsed.agent.tools : undefined }; }
    }
  }
  return undefined;
}

/** The endpoint from the options and the environment; the key only ever from the environment. */
export function endpointFromEnv(a: { baseURL?: string; model?: string }): EndpointConfig {
  const env = process.env;
  const baseURL = (a.baseURL ?? env.BACKEND_ARCHITECT_BASE_URL ?? env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
  return { baseURL, apiKey: env.BACKEND_ARCHITECT_API_KEY || env.OPENAI_API_KEY || undefined, model: a.model ?? env.BACKEND_ARCHITECT_MODEL ?? '' };
}

/**
 * Extracts the answer's artifacts, validates each (deterministic repairs included) and writes the ones that
 * are valid, repaired or could not be checked. Exit 1 when any was invalid or refused.
 */
async function writeArtifacts(answer: string, outDir: string, force: boolean, io: CliIo): Promise<number> {
  const { extractArtifacts } = await import('../artifacts/extract');
  const { validateArtifact } = await import('../artifacts/validate');
  const { writeUnder, cliVerdict } = await import('../artifacts/safeWrite');
  const { judgeWrite } = await import('../artifacts/writePlan');
  fs.mkdirSync(outDir, { recursive: true });
  // Paths come from the model: no control character reaches the terminal.
  const say = (line: string): void => io.stderr(terminalSafe(line));
  let bad = 0;
  for (const artifact of extractArtifacts(answer, { final: true })) {
    const label = artifact.path ?? `${artifact.kind} block at line ${artifact.startLine}`;
    if (!artifact.path) { say(`[design] skipped ${label}: the answer gave it no path\n`); continue; }
    // The path first, in the words extract --json uses: a file refused here is not worth checking.
    const verdict = cliVerdict(judgeWrite(outDir, artifact.path).verdict);
    if (verdict.action === 'refused') { bad++; say(`[design] not written ${artifact.path}: ${verdict.words}\n`); continue; }
    const v = await validateArtifact(artifact);
    if (v.status === 'invalid') {
      bad++;
      const first = v.problems.find(p => p.severity === 'error') ?? v.problems[0];
      say(`[design] not written ${artifact.path}: invalid${first ? ` (line ${first.line}: ${first.message})` : ''}\n`);
      continue;
    }
    const r = await writeUnder(outDir, artifact.path, v.repaired ?? artifact.content, { overwrite: force });
    if (!r.written) { bad++; say(`[design] not written ${artifact.path}: ${r.words}\n`); continue; }
    say(`[design] wrote ${path.join(outDir, r.path)}: ${r.words} (${v.status}${v.changes?.length ? `: ${v.changes.join('; ')}` : ''})\n`);
  }
  return bad ? 1 : 0;
}

/** The exit code each way an answer can end gives. */
export const exitFor: Record<AnswerStatus, number> = { complete: 0, stopped: 130, truncated: 1, filtered: 1, length: 1, empty: 1, refused: 1, failed: 1 };

/** Runs `design`; resolves with the exit code. */
export async function runDesignCommand(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  if (a === 'help') { io.stdout(`${designUsage}\n`); return 0; }
  if (typeof a === 'string') { io.stderr(`backend-architect design: ${a}\n\n${designUsage}\n`); return 2; }
  const endpoint = endpointFromEnv(a);
  if (!originOf(endpoint.baseURL)) { io.stderr(`backend-architect design: not an http(s) URL: ${endpoint.baseURL}\n`); return 2; }
  const agent = findAgent(a.agent, a.dir);
  if (!agent) { io.stderr(`backend-architect design: no agent named "${a.agent}" in .claude/agents, .github/agents or the bundled agents\n`); return 2; }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort('user-cancel');
  process.once('SIGINT', onSigint);
  try {
    if (!endpoint.model) {
      io.stderr(`[design] asking ${originOf(endpoint.baseURL)} for its models…\n`);
      endpoint.model = (await listModels(endpoint, controller.signal))[0] ?? '';
      if (!endpoint.model) { io.stderr('[design] the endpoint offers no models; pass --model\n'); return 1; }
    }
    io.stderr(`[design] ${a.agent} (${path.relative(process.cwd(), agent.file) || agent.file}) via ${originOf(endpoint.baseURL)}, model ${endpoint.model}\n`);
    const { turn: result } = await cliAnswer({
      mode: 'design', request: a.request, dir: a.dir, agent, endpoint, rounds: a.toolRounds, resultTokens: CLI_TOOL_TOKENS,
      io, streamText: true, signal: controller.signal,
    });
    const status = result.status === 'streaming' || !result.status ? 'failed' : result.status;
    if (result.text && !result.text.endsWith('\n')) { io.stdout('\n'); }
    io.stderr(`[design] ${status}${result.note ? `: ${result.note}` : ''}\n`);
    if (a.out && status === 'complete') { return await writeArtifacts(result.text, a.out, !!a.force, io); }
    if (a.out) { io.stderr('[design] nothing written: the answer did not complete\n'); }
    return exitFor[status];
  } catch (e) {
    io.stderr(`[design] failed: ${(e as { answerError?: { message: string } }).answerError?.message ?? (e as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
