/** Shapes shared by artifact extraction, validation, repair and writing. Imports nothing at run time. */
import type { EndpointModel, TableModel } from '../protocol';

export type ArtifactKind = 'openapi' | 'mermaid' | 'sql' | 'adr' | 'json' | 'yaml' | 'code';

/** A file-like block taken from an answer. */
export interface Artifact {
  /** Stable within one answer: `a1`, `a2`, ... in order of appearance. */
  id: string;
  kind: ArtifactKind;
  /** Suggested path relative to the workspace folder, as the model wrote it (unchecked), if any. */
  path?: string;
  /** The fence's language (`yaml`, `sql`, `mermaid`, ...), lower-cased; empty when none. */
  language: string;
  /** 1-based line in the answer where the block's content starts. */
  startLine: number;
  content: string;
  /** True when the kind was guessed from the content because the info string did not say. */
  sniffed: boolean;
  /** True when the block's closing fence was missing (the answer ended inside it). */
  unterminated: boolean;
}

export interface ArtifactProblem {
  /** 1-based line within the artifact's content. */
  line: number;
  column?: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** Where it came from, e.g. `redocly:operation-operationId-unique`, `mermaid`, `postgres:42P01`. */
  source?: string;
  /**
   * The file the line is in, when it is not the artifact itself: a migration in a sequence, a file a
   * `$ref` pointed to, a fenced block's host Markdown file. Relative or absolute as the caller gave it.
   */
  file?: string;
}

export type ValidationStatus = 'valid' | 'repaired' | 'invalid' | 'unchecked';

export interface ValidationResult {
  status: ValidationStatus;
  problems: ArtifactProblem[];
  /** The corrected content when status is `repaired`. */
  repaired?: string;
  /** One line per change made by repair, for the person to read. */
  changes?: string[];
  /**
   * Artifacts made while checking, to offer beside this one: for SQL, the ER diagram (mermaid
   * `erDiagram`) of the schema Postgres actually built.
   */
  derived?: DerivedArtifact[];
  /** For an OpenAPI document that could be read: its operations (the endpoint view, `validate --json`). */
  endpoints?: EndpointModel;
  /** For SQL that ran: what Postgres built (the table view, `validate --json`). */
  tables?: TableModel;
}

/** An artifact the checker derived from another (not written by the model). */
export interface DerivedArtifact {
  kind: ArtifactKind;
  /** Fence language for it, e.g. `mermaid`. */
  language: string;
  /** What it is, for the person: "ER diagram of the schema Postgres built". */
  title: string;
  content: string;
}
