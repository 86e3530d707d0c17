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
}

export interface FindingView { severity: 'error' | 'warning' | 'info'; title: string; rationale: string; file?: string; line?: number; }

export type ViewMode = 'chat' | 'design' | 'review';

export type HostMessage =
  | { type: 'view/init'; mode: ViewMode; title: string; agent: AgentInfo; model: ModelInfo; turns: TurnRecord[]; busy: boolean }
  | { type: 'turn/user'; turn: TurnRecord }
  | { type: 'answer/start'; turnId: string; model: string }
  | { type: 'answer/delta'; turnId: string; text: string }
  | { type: 'answer/reasoning'; turnId: string; text: string }
  | { type: 'answer/status'; turnId: string; message: string }
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
  | { type: 'finding/open'; turnId: string; index: number }
  | { type: 'mermaid/parsed'; requestId: number; ok: boolean; error?: string; line?: number };
