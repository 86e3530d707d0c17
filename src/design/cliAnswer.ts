/**
 * One Design or Review answer on the command line, through the same conversation as the extension: the model
 * reads DIR with the read-only tools (Node's file system, links never followed), a model that does not take
 * tools gets the scanner's fixed context instead, and each call is reported on stderr. What the answer wrote
 * goes to stdout as it streams, unless the caller wants only the end (JSON).
 */
import * as path from 'node:path';
import { terminalSafe, type CliIo } from '../cliSupport';
import { formatContextForPrompt } from '../context/promptFormat';
import { nodeFileSource } from '../context/nodeFileSource';
import { scanWorkspace } from '../context/scan';
import { streamChat } from '../llm/openaiStream';
import { originOf } from '../llm/providers';
import type { ToolOutcome } from '../llm/toolLoop';
import type { EndpointConfig } from '../llm/types';
import type { TurnRecord, ViewMode } from '../protocol';
import { grantAgentTools } from '../tools/agentTools';
import { nodeToolFiles } from '../tools/nodeToolFiles';
import { createToolbox } from '../tools/toolbox';
import { Conversation } from './conversation';
import { toolSupportMemory, type AnswerTools } from './toolAnswer';

/** Tokens of fixed workspace context for a model that takes no tools (as the extension's default). */
const STATIC_BUDGET = 24_000;

/** One tool call as `--json` reports it. */
export interface CliToolCall {
  name: string;
  arguments: unknown;
  ok: boolean;
}

export interface CliAnswerOptions {
  mode: Extract<ViewMode, 'design' | 'review'>;
  request: string;
  dir: string;
  agent: { name: string; body: string; file: string; tools?: string[] };
  endpoint: EndpointConfig;
  /** Rounds of tool calls; 0 sends the fixed context instead. */
  rounds: number;
  resultTokens: number;
  io: CliIo;
  /** Write the answer's text to stdout as it streams. */
  streamText: boolean;
  signal: AbortSignal;
}

/** The answer's record and the tool calls it made. */
export interface CliAnswer {
  turn: TurnRecord;
  calls: CliToolCall[];
}

/** The arguments as the model wrote them: the object when they are JSON, else the text. */
function argumentsOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toolsFor(o: CliAnswerOptions, calls: CliToolCall[], sql: { used: boolean }): AnswerTools | undefined {
  const grant = grantAgentTools(o.agent.tools);
  if (o.rounds < 1 || grant.tools.length === 0) { return undefined; }
  const box = createToolbox({
    files: nodeToolFiles(o.dir),
    grant: grant.tools,
    checker: async (kind, content) => {
      sql.used ||= kind === 'sql';
      return (await import('../artifacts/validate')).validateArtifact({ kind, content });
    },
  });
  return {
    // Each call is recorded when it starts, so the list keeps the order the model called them in.
    runner: { specs: box.specs, label: c => box.label(c), run: async (call, signal): Promise<ToolOutcome> => {
      const record: CliToolCall = { name: call.name, arguments: argumentsOf(call.arguments), ok: false };
      calls.push(record);
      const outcome = await box.run(call, signal);
      record.ok = outcome.ok;
      return outcome;
    } },
    budget: { maxRounds: o.rounds, resultTokens: o.resultTokens },
    overview: async signal => ({ folderName: path.basename(path.resolve(o.dir)), contextText: await box.overview(signal) }),
    readAhead: signal => box.readAhead(signal),
  };
}

/** Streams one answer; resolves with its record once it ended (never rejects for a model failure). */
export async function cliAnswer(o: CliAnswerOptions): Promise<CliAnswer> {
  const calls: CliToolCall[] = [];
  const sql = { used: false };
  const tag = `[${o.mode}]`;
  const conversation = new Conversation({
    mode: o.mode,
    resolveAgent: async () => ({ body: o.agent.body, info: { name: o.agent.name, description: '', origin: o.agent.file }, tools: o.agent.tools }),
    resolveEndpoint: async () => ({ endpoint: o.endpoint, info: { model: o.endpoint.model, endpoint: originOf(o.endpoint.baseURL) ?? o.endpoint.baseURL, demo: false } }),
    contextFor: async () => {
      const ctx = await scanWorkspace(nodeFileSource(o.dir), { tokenBudget: STATIC_BUDGET });
      return { folderName: path.basename(path.resolve(o.dir)), contextText: formatContextForPrompt(ctx) };
    },
    stream: streamChat,
    tools: async () => toolsFor(o, calls, sql),
    toolSupport: toolSupportMemory(),
  });
  conversation.attach(m => {
    if (m.type === 'answer/delta' && o.streamText) { o.io.stdout(m.text); }
    if (m.type === 'answer/status') { o.io.stderr(terminalSafe(`${tag} ${m.message}\n`)); }
    if (m.type === 'answer/step' && m.step.state !== 'running') {
      o.io.stderr(terminalSafe(`${tag} ${m.step.label}${m.step.summary ? `: ${m.step.summary}` : ''}\n`));
    }
    if (m.type === 'answer/restart') {
      o.io.stderr(`${tag} the model does not use the tools: asking again with the workspace context\n`);
      if (o.streamText) { o.io.stdout('\n\n---\n\n'); }
    }
  });
  const stop = (): void => conversation.stop();
  o.signal.addEventListener('abort', stop, { once: true });
  try {
    const turn = await conversation.send(o.request)!;
    return { turn, calls };
  } finally {
    o.signal.removeEventListener('abort', stop);
    // A check of SQL started Postgres in a worker thread, which would keep the process alive.
    if (sql.used) { await (await import('../artifacts/validate')).loadSqlValidator().then(v => v.shutdownSqlValidator?.(), () => undefined); }
  }
}
