/**
 * The five agent tools, described once: name, title, the description a model reads to choose them, input and
 * output schemas, and what they do. The MCP server (`backend-architect mcp`) registers them as they are; the
 * extension can register the same ones as language-model tools (`contributes.languageModelTools` takes the
 * JSON Schema from `toolJsonSchema`, `invoke` calls `runArchitectTool`). Pure of `vscode`.
 */
import * as z from 'zod/mini';
import { checkArtifact, extractFromAnswer } from './artifactTools';
import { describeWorkspace } from './contextTool';
import {
  artifactInput, contextInput, contextOutput, extractOutput, mermaidOutput, openApiOutput, sqlOutput, type ToolSchema,
} from './toolSchemas';
import type { ArtifactToolInput, ContextToolInput, ToolEnv, ToolOutcome } from './toolTypes';

export type ToolName = 'validate_openapi' | 'validate_sql' | 'validate_mermaid' | 'extract_artifacts' | 'workspace_context';

export interface ArchitectTool {
  name: ToolName;
  /** A short human title (MCP `title`, VS Code `displayName`). */
  title: string;
  /** What the model reads to decide when and how to call it (MCP `description`, VS Code `modelDescription`). */
  description: string;
  inputSchema: ToolSchema;
  outputSchema: ToolSchema;
  /** Runs on input that passed `inputSchema`; never throws for a bad artifact (problems come back instead). */
  run(input: unknown, env: ToolEnv): Promise<ToolOutcome>;
}

const PATH_OF_ARTIFACT = 'Where the artifact lives or will live in the project (e.g. docs/api/openapi.yaml), relative to the project folder. Optional; used in messages';

export const ARCHITECT_TOOLS: readonly ArchitectTool[] = [
  {
    name: 'validate_openapi',
    title: 'Check an OpenAPI document',
    description: 'Check an OpenAPI 3.0/3.1/3.2 or Swagger 2.0 document (YAML or JSON) with Redocly\'s validator, plus checks it ' +
      'misses: duplicate operationIds, path parameters not declared, unresolved $refs. Remote $ref and $schema URLs are ' +
      'reported, never fetched. Returns valid or invalid, and each problem with its line and column.',
    inputSchema: artifactInput('The whole OpenAPI document, YAML or JSON.',
      `${PATH_OF_ARTIFACT}; when it is inside the project, relative $refs to other files there are followed (never secret files).`),
    outputSchema: openApiOutput,
    run: (input, env) => checkArtifact('openapi', input as ArtifactToolInput, env),
  },
  {
    name: 'validate_sql',
    title: 'Check SQL DDL in PostgreSQL',
    description: 'Check PostgreSQL DDL (CREATE TABLE, constraints, indexes, a migration or a whole schema) by running it in an ' +
      'embedded PostgreSQL 18 (PGlite) and rolling it back. Every failing statement is reported on its line with Postgres\'s ' +
      'own message; statements that cannot run in the sandbox are reported, not run. When it builds tables, the result also ' +
      'holds the mermaid ER diagram of the schema Postgres actually built.',
    inputSchema: artifactInput('The SQL script: statements separated by semicolons.', `${PATH_OF_ARTIFACT}.`),
    outputSchema: sqlOutput,
    run: (input, env) => checkArtifact('sql', input as ArtifactToolInput, env),
  },
  {
    name: 'validate_mermaid',
    title: 'Check a mermaid diagram',
    description: 'Check a mermaid diagram (flowchart, sequence, ER, class, state, C4, ...) with mermaid\'s own parser. When it ' +
      'does not parse and a deterministic fix makes it parse (Markdown fences or prose around it, labels with brackets or ' +
      'parentheses left unquoted, keywords such as `end` used as node ids, a missing colon after a message arrow), the status ' +
      'is "repaired" with the corrected diagram and each change; otherwise each problem with its line.',
    inputSchema: artifactInput('The mermaid diagram\'s text, starting with its type (flowchart LR, sequenceDiagram, erDiagram, ...).', `${PATH_OF_ARTIFACT}.`),
    outputSchema: mermaidOutput,
    run: (input, env) => checkArtifact('mermaid', input as ArtifactToolInput, env),
  },
  {
    name: 'extract_artifacts',
    title: 'Extract the artifacts of an answer',
    description: 'List the file-like artifacts in a Markdown answer: each fenced block with its kind (openapi, mermaid, sql, ' +
      'adr, json, yaml, code), the path its info string suggests (```yaml file=docs/api/openapi.yaml), its language, the ' +
      'lines it spans in the answer and its text. Blocks without a kind are classified by content. Use it to find what to ' +
      'check with the validate_* tools.',
    inputSchema: artifactInput('The whole answer, Markdown.', 'Where the answer is saved, if it is. Optional; not read.'),
    outputSchema: extractOutput,
    run: input => extractFromAnswer(input as ArtifactToolInput),
  },
  {
    name: 'workspace_context',
    title: 'Workspace overview',
    description: 'Describe a backend project the way a senior engineer reads it first: the stack (languages, frameworks, ORMs, ' +
      'migration tools), entry points, routes, data models, migrations, API specs and deployment files, and the files most ' +
      'worth reading with why. Never opens .env files, keys or credentials, and returns no file contents: read the files ' +
      'it names yourself.',
    inputSchema: contextInput,
    outputSchema: contextOutput,
    run: (input, env) => describeWorkspace(input as ContextToolInput, env),
  },
];

/** The tool of this name, if there is one. */
export function findArchitectTool(name: string): ArchitectTool | undefined {
  return ARCHITECT_TOOLS.find(t => t.name === name);
}

/** `{ ok, problems, ...the tool's own fields }`: MCP's `structuredContent`. */
export function structuredResult(outcome: ToolOutcome): Record<string, unknown> {
  return { ok: outcome.ok, problems: outcome.problems, ...outcome.data };
}

/**
 * Validates `input` against the tool's schema, then runs it. For front ends that do not validate arguments
 * themselves (VS Code passes `invoke` whatever the model sent): bad input gives `ok: false` with the reason.
 */
export async function runArchitectTool(name: string, input: unknown, env: ToolEnv): Promise<ToolOutcome> {
  const tool = findArchitectTool(name);
  if (!tool) {
    return { text: `Unknown tool "${name}": the tools are ${ARCHITECT_TOOLS.map(t => t.name).join(', ')}.`, ok: false, problems: [], data: {} };
  }
  const parsed = z.safeParse(tool.inputSchema, input ?? {});
  if (!parsed.success) {
    const why = parsed.error.issues.map(i => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
    return { text: `Invalid arguments for ${name}: ${why}.`, ok: false, problems: [], data: {} };
  }
  return tool.run(parsed.data, env);
}
