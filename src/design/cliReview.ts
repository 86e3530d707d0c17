/**
 * `backend-architect review DIR`: the Review of the extension on the command line. The model reads DIR with
 * the read-only tools; its findings are checked against DIR (file exists, line within it). Text mode streams
 * the answer to stdout; `--json` prints one object when it ended. Status and tool calls go to stderr.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError, HELP_OPTION, helpOrUsageError, readCommandLine, terminalSafe, type CliIo } from '../cliSupport';
import { parseFindings } from '../context/findings';
import { listModels } from '../llm/openaiStream';
import { originOf } from '../llm/providers';
import { nodeToolFiles } from '../tools/nodeToolFiles';
import { verifyFindings } from '../tools/verifyFindings';
import { cliAnswer } from './cliAnswer';
import { CLI_TOOL_ROUNDS, CLI_TOOL_TOKENS, endpointFromEnv, exitFor, findAgent, parseRounds } from './cliDesign';

export const reviewUsage = `Usage: backend-architect review DIR [options]

Reviews the backend in DIR with an OpenAI-compatible model that reads the folder itself through read-only
tools (list, read and search files, the workspace overview, artifact checks); nothing is changed or run.
Findings are checked against DIR: one whose file does not exist or whose line is past the end is unverified.

Options:
  --json             print one JSON object when the answer ended:
                     { "status", "findings": [{ "severity", "title", "rationale", "file", "line", "verified" }],
                       "toolCalls": [{ "name", "arguments", "ok" }] }
  --agent NAME       agent definition to use (default: backend-architect); looked up in DIR/.claude/agents,
                     DIR/.github/agents and the bundled agents
  --base-url URL     endpoint (default: $BACKEND_ARCHITECT_BASE_URL, $OPENAI_BASE_URL, or OpenAI)
  --model M          model id (default: $BACKEND_ARCHITECT_MODEL, else the endpoint's first model)
  --tool-rounds N    rounds of tool calls (default ${CLI_TOOL_ROUNDS}); 0 sends a fixed slice of DIR instead
  -h, --help         show this help

The API key is read from $BACKEND_ARCHITECT_API_KEY or $OPENAI_API_KEY, never from the command line.
Exit codes: 0 the answer completed; 1 failed, incomplete, filtered, cut at the length limit, empty or declined;
2 bad usage; 130 interrupted.
`;

interface ReviewArgs { dir: string; json: boolean; agent: string; baseURL?: string; model?: string; toolRounds: number; }

function parseArgs(args: string[]): ReviewArgs | 'help' | string {
  const read = readCommandLine(args, { ...HELP_OPTION, json: { type: 'boolean' }, agent: { type: 'string' }, 'base-url': { type: 'string' }, model: { type: 'string' }, 'tool-rounds': { type: 'string' } });
  if (typeof read === 'string') { return read; }
  const { values, positionals } = read;
  const toolRounds = values['tool-rounds'] === undefined ? CLI_TOOL_ROUNDS : parseRounds(values['tool-rounds']);
  if (toolRounds === undefined) { return '--tool-rounds takes a whole number from 0 to 50'; }
  if (positionals.length !== 1) { return positionals.length ? 'give one folder to review' : 'no folder given'; }
  return { dir: positionals[0], json: !!values.json, agent: values.agent || 'backend-architect', baseURL: values['base-url'], model: values.model, toolRounds };
}

/** Runs `review`; resolves with the exit code. */
export async function runReviewCommand(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  const early = helpOrUsageError(a, 'review', reviewUsage, io);
  if (early !== undefined || typeof a === 'string') { return early ?? 2; }
  try {
    if (!fs.statSync(a.dir).isDirectory()) { throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }); }
  } catch (err) {
    io.stderr(terminalSafe(`backend-architect review: cannot read ${a.dir}: ${describeFsError(err)}\n`));
    return 2;
  }
  const endpoint = endpointFromEnv(a);
  if (!originOf(endpoint.baseURL)) { io.stderr(terminalSafe(`backend-architect review: not an http(s) URL: ${endpoint.baseURL}\n`)); return 2; }
  const agent = findAgent(a.agent, a.dir);
  if (!agent) { io.stderr(terminalSafe(`backend-architect review: no agent named "${a.agent}" in .claude/agents, .github/agents or the bundled agents\n`)); return 2; }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort('user-cancel');
  process.once('SIGINT', onSigint);
  try {
    if (!endpoint.model) {
      io.stderr(`[review] asking ${originOf(endpoint.baseURL)} for its models…\n`);
      endpoint.model = (await listModels(endpoint, controller.signal))[0] ?? '';
      if (!endpoint.model) { io.stderr('[review] the endpoint offers no models; pass --model\n'); return 1; }
    }
    io.stderr(terminalSafe(`[review] ${a.agent} (${path.relative(process.cwd(), agent.file) || agent.file}) via ${originOf(endpoint.baseURL)}, model ${endpoint.model}\n`));
    const name = path.basename(path.resolve(a.dir));
    const { turn, calls } = await cliAnswer({
      mode: 'review', request: `Review the architecture of ${name}`, dir: a.dir, agent, endpoint,
      rounds: a.toolRounds, resultTokens: CLI_TOOL_TOKENS, io, streamText: !a.json, signal: controller.signal,
    });
    const status = turn.status === 'streaming' || !turn.status ? 'failed' : turn.status;
    const findings = await verifyFindings(parseFindings(turn.text), nodeToolFiles(a.dir));
    if (a.json) {
      const report = {
        status,
        findings: findings.map(f => ({ severity: f.severity, title: f.title, rationale: f.rationale, file: f.file ?? null, line: f.line ?? null, verified: f.verified ?? null })),
        toolCalls: calls,
      };
      io.stdout(terminalSafe(`${JSON.stringify(report, null, 2)}\n`));
    } else if (turn.text && !turn.text.endsWith('\n')) {
      io.stdout('\n');
    }
    const unverified = findings.filter(f => f.verified === false).length;
    io.stderr(terminalSafe(`[review] ${status}${turn.note ? `: ${turn.note}` : ''}; ${findings.length} finding${findings.length === 1 ? '' : 's'}` +
      `${unverified ? ` (${unverified} unverified)` : ''}, ${calls.length} tool call${calls.length === 1 ? '' : 's'}\n`));
    return exitFor[status];
  } catch (e) {
    io.stderr(terminalSafe(`[review] failed: ${(e as { answerError?: { message: string } }).answerError?.message ?? (e as Error).message}\n`));
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
