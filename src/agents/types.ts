/** Shapes shared by the agent-definition parser and its parts, and by the edge that lists agents. Imports nothing. */

export type ProblemSeverity = 'error' | 'warning' | 'info';

/** Something worth telling the author. `line` is 1-based, in the file as it is on disk. */
export interface AgentProblem {
  line: number;
  column?: number;
  message: string;
  severity: ProblemSeverity;
}

/** Where the header was: `---` fences, a header without fences, a file wrapped in a ``` block, or none. */
export type AgentFormat = 'front-matter' | 'no-fences' | 'fenced-block' | 'body-only';

export interface AgentDefinition {
  name: string;
  description: string;
  /** The instructions: the text after the header, hidden Unicode removed, blank edges trimmed, `\n` line ends. */
  body: string;
  /** The model as written (the first entry of a list). */
  model?: string;
  /** The provider model after mapping; undefined means "use the default model". */
  resolvedModel?: string;
  /** Tool names as listed; `['*']` stays `['*']`; `[]` when none are listed (see `toolsListed`). */
  tools: string[];
  /** True when the header has a `tools` list (possibly empty); absent when it has none, which grants all of our tools. */
  toolsListed?: true;
  format: AgentFormat;
  /** 1-based line of the body's first line. */
  bodyStartLine: number;
  /** The other top-level header keys; own properties only, prototype keys never assigned. */
  extra: Record<string, unknown>;
}

export interface ParseResult {
  file: string;
  agent?: AgentDefinition;
  problems: AgentProblem[];
}

export interface ParseOptions {
  /** Model names as written in definitions → provider model ids, e.g. `{ sonnet: 'gpt-4.1' }`. */
  modelMap?: Readonly<Record<string, string>>;
  /** Only named in notes; an unmapped model resolves to undefined. */
  defaultModel?: string;
  /** The file's size in bytes when the caller knows it (from a stat); the larger of this and the input's size is checked against the cap. */
  size?: number;
}

/** A header read as YAML (see safeYaml.ts). */
export interface YamlRead {
  /** True when the text is not strict YAML (syntax, duplicate keys, not a mapping): use the fallback. */
  syntaxFailed: boolean;
  data: Record<string, unknown>;
  /** 1-based line, relative to the text given, of each top-level key. */
  keyLines: Map<string, number>;
  /** Relative lines; the caller shifts them to the file's lines. */
  problems: AgentProblem[];
}
