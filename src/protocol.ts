/**
 * Messages between the extension host and the webviews. Type-only on the webview side; the host validates
 * every incoming message against this closed set before acting on it (THREATS T3): the webview never sends
 * paths or file content, only intents.
 */

export type AnswerStatusName = 'streaming' | 'complete' | 'stopped' | 'truncated' | 'filtered' | 'length' | 'empty' | 'refused' | 'failed';
export type ErrorActionName = 'setApiKey' | 'selectModel' | 'openSettings' | 'retry';

export interface AgentInfo {
  name: string;
  description: string;
  origin: string;
}

export interface ModelInfo {
  /** Model id, or empty while unknown. */
  model: string;
  /** Host of the endpoint (never the key). */
  endpoint: string;
  /** True when answers come from the recorded demo server. */
  demo: boolean;
}

export type ArtifactStatusName = 'checking' | 'valid' | 'repaired' | 'invalid' | 'unchecked';
export type ArtifactActionName = 'write' | 'diff' | 'copy' | 'open' | 'migration';

/** What a webview shows about one file-like block of an answer; content stays with the host. */
export interface ArtifactView {
  id: string;
  kind: string;
  language: string;
  /** Suggested path, as the model wrote it. */
  path?: string;
  status: ArtifactStatusName;
  problems: { line: number; column?: number; message: string; severity: 'error' | 'warning' | 'info' }[];
  /** Errors and warnings the check found, all of them (`problems` carries at most a few dozen). */
  counts?: { errors: number; warnings: number };
  /** What deterministic repair changed. */
  changes?: string[];
  /** The block was cut off (the answer ended inside it): it can be copied, never written. */
  partial?: boolean;
  /** Workspace-relative path it was written to. */
  written?: string;
  /** For artifacts the checker derived (not written by the model): what it is. */
  title?: string;
  /** What writing it to its path would do, judged by the writer's own rules before any click. */
  write?: WriteVerdictView;
  /** A valid SQL card in a workspace with a migrations folder: Write as Migration writes the folder's next one. */
  migration?: { folder: string; tool: string };
  /** 1-based line of the answer where the block's content starts: the card stands where its block is. */
  line?: number;
  /** For an OpenAPI spec that could be read: its operations, for the Rendered tab. */
  endpoints?: EndpointModel;
  /** For SQL that Postgres ran: the tables it built, for the Rendered tab. */
  tables?: TableModel;
}

/**
 * A JSON Schema as the endpoint view shows it. Local references to named schemas stay references (`ref`,
 * the name in EndpointModel.schemas), so a cycle is a link, not an endless tree; other local references are
 * resolved in place.
 */
export interface SchemaView {
  /** Name of a schema in EndpointModel.schemas. */
  ref?: string;
  /** A reference that was not followed (another file, a URL, a pointer that names nothing). */
  unresolved?: string;
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  deprecated?: boolean;
  readOnly?: boolean;
  writeOnly?: boolean;
  /** Values as JSON text. */
  enum?: string[];
  default?: string;
  example?: string;
  /** Limits in words: `minLength 1`, `maximum 100`, `pattern ^[a-z]+$`. */
  constraints?: string[];
  properties?: Array<{ name: string; required: boolean; schema: SchemaView }>;
  additionalProperties?: SchemaView | boolean;
  items?: SchemaView;
  allOf?: SchemaView[];
  oneOf?: SchemaView[];
  anyOf?: SchemaView[];
  not?: SchemaView;
}

export interface ServerView { url: string; description?: string; }
export interface MediaView { type: string; schema?: SchemaView; }

export interface ParameterView {
  name: string;
  in: string;
  required: boolean;
  deprecated: boolean;
  description?: string;
  schema?: SchemaView;
}

export interface OperationView {
  /** Lower-case, as in the spec. */
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterView[];
  requestBody?: { required: boolean; description?: string; content: MediaView[] };
  responses: Array<{ status: string; description?: string; content: MediaView[]; headers: Array<{ name: string; description?: string; schema?: SchemaView }> }>;
  /**
   * Alternatives, each a list of `scheme` or `scheme (scope, scope)`: `[]` means no authentication, `[[]]`
   * that it is optional. Undefined: the operation declares none (the document's applies).
   */
  security?: string[][];
  /** Servers this operation (or its path) overrides the document's with. */
  servers?: ServerView[];
  /** True for an entry of 3.1's `webhooks` rather than `paths`. */
  webhook?: boolean;
}

/** What the endpoint view of an OpenAPI (or Swagger 2.0) document shows. Built on the host from the parsed spec. */
export interface EndpointModel {
  title: string;
  version: string;
  /** `3.1.0`, `2.0`, ... */
  specVersion: string;
  description?: string;
  servers: ServerView[];
  tags: Array<{ name: string; description?: string }>;
  operations: OperationView[];
  schemas: Record<string, SchemaView>;
  securitySchemes: Array<{ name: string; type: string; detail: string; description?: string }>;
  /** The document's default security, as OperationView.security. */
  security?: string[][];
  /** Set when the spec had more operations than the view keeps. */
  omitted?: number;
}

export interface TableColumnView {
  name: string;
  /** As Postgres prints it, e.g. `character varying(45)`. */
  type: string;
  nullable: boolean;
  /** The default as Postgres prints it; `generated always as identity`; or null. */
  default: string | null;
  /** Set for a stored generated column: `default` is then its expression. */
  generated?: boolean;
}

export interface TableView {
  /** Qualified (`schema.name`) unless the schema is `public`. */
  name: string;
  schema: string;
  kind: 'table' | 'partitioned table' | 'partition' | 'view' | 'materialized view';
  columns: TableColumnView[];
  /** Column names of the primary key, or null. */
  primaryKey: string[] | null;
  foreignKeys: Array<{ name: string; columns: string[]; references: { table: string; columns: string[] }; definition?: string }>;
  uniqueKeys: Array<{ name: string; columns: string[] }>;
  indexes: Array<{ name: string; columns: string[]; unique: boolean; primary: boolean; definition: string }>;
  checks: Array<{ name: string; definition: string }>;
  /** For a partitioned table: `RANGE (payment_date)`. */
  partitionKey?: string;
  /** For a partition: its parent's name and its bound. */
  partitionOf?: string;
  bound?: string;
  /** For a partitioned table: its partitions' names. */
  partitions?: string[];
}

/** What the table view of a SQL artifact shows: the schema Postgres built, read from its catalog. */
export interface TableModel {
  tables: TableView[];
  enums: Array<{ name: string; values: string[] }>;
  /** The ER diagram (mermaid) of the same catalog, drawn beside the tables. */
  er?: string;
}

/** create / replace (diff first) / ask (sensitive place) / choose (no path) / refused / off (Restricted Mode). */
export type WriteActionName = 'create' | 'replace' | 'ask' | 'choose' | 'refused' | 'off';

export interface WriteVerdictView {
  action: WriteActionName;
  /** For the person: "will create docs/api.yaml", "refused: it climbs out of the folder (..)". */
  words: string;
}

export interface TurnRecord {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  status?: AnswerStatusName;
  /** Text shown under an answer that did not complete (failed, truncated, empty, refused), and notes such as a part not shown. */
  note?: string;
  actions?: ErrorActionName[];
  reasoning?: string;
  model?: string;
  artifacts?: ArtifactView[];
  /** Review findings taken from the answer. */
  findings?: FindingView[];
  /** The tools the model called while answering, in order. */
  steps?: ToolStepView[];
}

/**
 * A review finding. `verified` is false when its file does not exist in the reviewed folder or its line is past
 * the end (then it is not in the Problems panel); absent when there was nothing to check (no file named).
 */
export interface FindingView { severity: 'error' | 'warning' | 'info'; title: string; rationale: string; file?: string; line?: number; verified?: boolean; }

export type ToolStepState = 'running' | 'done' | 'failed' | 'skipped';

/** One tool call as the answer shows it: a line ("Read src/routes/orders.js 1-80: 80 of 120 lines") that expands to what the model was sent. */
export interface ToolStepView {
  id: string;
  label: string;
  state: ToolStepState;
  summary?: string;
  /** The text the model was sent (cut for display when very long). */
  detail?: string;
}

export type ViewMode = 'chat' | 'design' | 'review';

export type DiagramImageFormat = 'svg' | 'png';

export type HostMessage =
  | { type: 'view/init'; mode: ViewMode; title: string; agent: AgentInfo; model: ModelInfo; turns: TurnRecord[]; busy: boolean }
  | { type: 'turn/user'; turn: TurnRecord }
  | { type: 'answer/start'; turnId: string; model: string }
  | { type: 'answer/delta'; turnId: string; text: string }
  | { type: 'answer/reasoning'; turnId: string; text: string }
  | { type: 'answer/status'; turnId: string; message: string }
  | { type: 'answer/step'; turnId: string; step: ToolStepView }
  | { type: 'answer/restart'; turnId: string }
  | { type: 'answer/end'; turnId: string; status: AnswerStatusName; note?: string; actions?: ErrorActionName[]; usage?: string }
  | { type: 'chat/cleared' }
  | { type: 'agent/changed'; agent: AgentInfo }
  | { type: 'artifacts/update'; turnId: string; artifacts: ArtifactView[]; findings?: FindingView[] }
  | { type: 'mermaid/parse'; requestId: number; text: string };

export type WebviewMessage =
  | { type: 'webview/ready' }
  | { type: 'chat/send'; text: string }
  | { type: 'answer/stop' }
  | { type: 'answer/retry' }
  | { type: 'link/open'; href: string }
  | { type: 'action/run'; action: ErrorActionName }
  | { type: 'artifact/run'; turnId: string; artifactId: string; action: ArtifactActionName }
  | { type: 'artifact/writeAll'; turnId: string }
  /** Undo Last Write, from the button at an answer's end. */
  | { type: 'artifact/undo' }
  /**
   * Save a drawn diagram as an image. The one message that carries content, because only the webview can
   * draw: SVG text (sanitised there) or a PNG as base64. The host names the file from the artifact's own
   * path, checks the data's shape and writes it by the writing rules.
   */
  | { type: 'diagram/save'; turnId: string; artifactId: string; format: DiagramImageFormat; data: string }
  | { type: 'finding/open'; turnId: string; index: number }
  | { type: 'mermaid/parsed'; requestId: number; ok: boolean; error?: string; line?: number };
