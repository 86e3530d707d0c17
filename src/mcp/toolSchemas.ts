/**
 * The agent tools' input and output shapes, as zod schemas: the MCP server hands them to the SDK (which
 * validates arguments and lists them as JSON Schema), and `toolJsonSchema` turns them into the JSON Schema a
 * VS Code `contributes.languageModelTools` entry needs. zod's "mini" build: about 36 KB bundled with its JSON
 * Schema export, against 170 KB or more for the classic build, which matters in the extension host.
 */
import * as z from 'zod/mini';

/** Largest artifact text accepted: the OpenAPI validator's own limit, far beyond any model answer. */
export const MAX_CONTENT_CHARS = 5_000_000;
const MAX_PATH_CHARS = 4096;

/** `content` and `path`, described for the model that fills them in. */
export function artifactInput(contentIs: string, pathIs: string) {
  return z.object({
    content: z.string({ error: 'content must be a string: the text of the artifact' }).check(
      z.maxLength(MAX_CONTENT_CHARS, `content is longer than ${MAX_CONTENT_CHARS.toLocaleString('en-US')} characters`),
      z.describe(contentIs)),
    path: z.optional(z.string({ error: 'path must be a string' }).check(
      z.maxLength(MAX_PATH_CHARS, `path is longer than ${MAX_PATH_CHARS} characters`), z.describe(pathIs))),
  });
}

/** workspace_context takes a folder only: it describes files, there is no artifact text to pass. */
export const contextInput = z.object({
  path: z.optional(z.string({ error: 'path must be a string' }).check(
    z.maxLength(MAX_PATH_CHARS, `path is longer than ${MAX_PATH_CHARS} characters`),
    z.describe('Folder to describe, relative to the project folder (or absolute inside it). Default: the project folder itself.'))),
});

/** One problem, as `backend-architect validate --json` prints it. Lines are 1-based; column null when unknown. */
export const problemSchema = z.object({
  line: z.number(),
  column: z.nullable(z.number()),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  /** Which check found it: `redocly:<rule>`, `postgres:<SQLSTATE>`, `mermaid`, ... */
  source: z.optional(z.string()),
  /** The file the line is in when it is not the artifact itself (a file an OpenAPI `$ref` points to). */
  file: z.optional(z.string()),
});

export type ToolProblem = z.infer<typeof problemSchema>;

const verdict = {
  ok: z.boolean(),
  problems: z.array(problemSchema),
};

const checked = {
  ...verdict,
  status: z.enum(['valid', 'repaired', 'invalid', 'unchecked']),
};

/** Each tool's structured result: `ok` and `problems` first, then what is particular to the tool. */
export const openApiOutput = z.object(checked);

export const sqlOutput = z.object({
  ...checked,
  /** The mermaid `erDiagram` of the tables Postgres built, when it built any. */
  erDiagram: z.optional(z.string()),
});

export const mermaidOutput = z.object({
  ...checked,
  /** The diagram after the deterministic fixes, when status is `repaired`. */
  repaired: z.optional(z.string()),
  changes: z.optional(z.array(z.string())),
});

export const extractOutput = z.object({
  ...verdict,
  artifacts: z.array(z.object({
    id: z.string(),
    kind: z.enum(['openapi', 'mermaid', 'sql', 'adr', 'json', 'yaml', 'code']),
    path: z.nullable(z.string()),
    language: z.string(),
    startLine: z.number(),
    endLine: z.number(),
    content: z.string(),
    sniffed: z.boolean(),
    unterminated: z.boolean(),
  })),
});

export const contextOutput = z.object({
  ...verdict,
  /** The folder described, relative to the project folder ('.' for itself). Absent when it was refused. */
  folder: z.optional(z.string()),
  /** `backend-architect context --json` for that folder: stack, files and why, routes, models, skipped. */
  overview: z.optional(z.record(z.string(), z.unknown())),
});

/** Any of the schemas above. */
export type ToolSchema = z.ZodMiniObject;

/**
 * JSON Schema (draft 7, which VS Code's `languageModelTools` and MCP clients read) of an input or output
 * schema, without the `$schema` key so it can be pasted into package.json as it is.
 */
export function toolJsonSchema(schema: ToolSchema, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-7', io }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
