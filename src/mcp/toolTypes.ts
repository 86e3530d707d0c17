/** Shapes shared by the agent tools, their MCP server and (later) their VS Code registration. No run-time imports. */
import type { MermaidParse } from '../artifacts/mermaid';
import type { SqlValidator } from '../artifacts/validate';
import type { FileSource } from '../context/types';
import type { ToolProblem } from './toolSchemas';

/** What a front end gives the tools: where they may read, and the checkers' engines when not the defaults. */
export interface ToolEnv {
  /**
   * Folders the tools may read (workspace_context, files an OpenAPI `$ref` names); a relative `path`
   * resolves against the first. The MCP server: `--root`, else the client's roots, else its working folder.
   */
  roots(): Promise<readonly string[]>;
  /** Mermaid's parser; default mermaid under jsdom in this process. The extension may pass its webview's. */
  parseMermaid?: MermaidParse;
  /** The SQL checker's module; default PGlite in a worker thread. */
  loadSql?: () => Promise<SqlValidator>;
  /** How workspace_context lists and reads a folder; default node:fs with .gitignore (the extension may use VS Code's). */
  fileSource?: (folder: string) => FileSource;
  signal?: AbortSignal;
  /**
   * Set when no file may be read at all (VS Code's Restricted Mode): why, in a person's words. workspace_context
   * refuses with it, and an OpenAPI document's references to other files are not followed.
   */
  noReading?: string;
}

/** Arguments of the four artifact tools, after validation. */
export interface ArtifactToolInput {
  content: string;
  path?: string;
}

/** Arguments of workspace_context, after validation. */
export interface ContextToolInput {
  path?: string;
}

/** A tool's answer: text for the model, the verdict, problems on their lines, and the tool's own fields. */
export interface ToolOutcome {
  text: string;
  /** False when the artifact is invalid or the tool could not do what was asked (MCP: `isError`). */
  ok: boolean;
  problems: ToolProblem[];
  /** Tool-specific fields of the structured result: status, repaired text, artifacts, overview. */
  data: Record<string, unknown>;
}
