/**
 * One entry point for checking any artifact: picks the validator by kind and loads it on first use, so
 * nothing heavy (redocly, mermaid, jsdom, PGlite) loads before an artifact of that kind needs it.
 */
import { validateDataFile } from './dataFiles';
import { validateMarkdown } from './markdownChecks';
import { validateMermaid, type MermaidParse } from './mermaid';
import type { Artifact, ValidationResult } from './types';

/** What this file needs from the SQL helper's module (`src/artifacts/sql/validateSql.ts`). */
export interface SqlValidator {
  validateSql(text: string, options?: unknown): Promise<ValidationResult>;
  validateMigrations(files: { path: string; content: string }[]): Promise<ValidationResult>;
  /** Stops the Postgres worker; a CLI run must call it or the process stays alive. */
  shutdownSqlValidator?(): Promise<void>;
}

export interface ValidateOptions {
  /** Try deterministic repairs (default true). The CLI turns this off: it reports files as they are. */
  repair?: boolean;
  /**
   * How to run mermaid's parser: the extension passes the webview's. The default is mermaid in Node under
   * jsdom (`mermaidNode.ts`, imported on the first diagram; bundles keep `mermaid` and `jsdom` external).
   */
  parseMermaid?: MermaidParse;
  /** The artifact's file on disk, when it has one: relative `$ref`s resolve against it. */
  sourcePath?: string;
  /** Files under this folder may be read to resolve an OpenAPI spec's relative `$ref`s. Never URLs. */
  allowFilesUnder?: string;
  /** Asked before such a file is read: a reason to refuse it (see `OpenApiOptions.refuseFile`). */
  refuseFile?: (absolutePath: string) => Promise<string | undefined>;
  /** Loads the SQL validator; replaceable so tests can stand in for it or for its absence. */
  loadSql?: () => Promise<SqlValidator>;
}

/** Mermaid under jsdom, imported on the first diagram that has no other parser. */
const parseMermaidInNode: MermaidParse = async text => (await import('./mermaidNode')).parseMermaidInNode(text);

/** The SQL helper's module, loaded on first SQL artifact (it starts PGlite in a worker). */
export const loadSqlValidator = async (): Promise<SqlValidator> => import('./sql/validateSql');

/** The result for SQL when its validator cannot be loaded: `unchecked`, with the reason, never `valid`. */
export function sqlUnavailable(err: unknown): ValidationResult {
  const reason = (err as Error | undefined)?.message?.split('\n')[0] ?? String(err);
  return { status: 'unchecked', problems: [{ line: 1, severity: 'info', source: 'sql', message: `SQL validation unavailable: ${reason}` }] };
}

async function validateSqlText(text: string, options: ValidateOptions): Promise<ValidationResult> {
  let sql: SqlValidator;
  try {
    sql = await (options.loadSql ?? loadSqlValidator)();
  } catch (err) {
    return sqlUnavailable(err);
  }
  return sql.validateSql(text);
}

/**
 * Checks one artifact by kind. Never throws for a bad artifact: problems come back in the result, and a
 * validator that cannot run gives `unchecked`.
 */
export async function validateArtifact(artifact: Pick<Artifact, 'kind' | 'content'> & Partial<Pick<Artifact, 'path'>>, options: ValidateOptions = {}): Promise<ValidationResult> {
  switch (artifact.kind) {
    case 'openapi': {
      const { validateOpenApi } = await import('./openapi');
      const result = await validateOpenApi(artifact.content, { sourcePath: options.sourcePath, allowFilesUnder: options.allowFilesUnder, refuseFile: options.refuseFile });
      const endpoints = await (await import('./endpointModel')).endpointModelOfText(artifact.content);
      return endpoints ? { ...result, endpoints } : result;
    }
    case 'mermaid':
      return validateMermaid(artifact.content, { parse: options.parseMermaid ?? parseMermaidInNode, repair: options.repair });
    case 'sql':
      return validateSqlText(artifact.content, options);
    case 'json':
    case 'yaml':
      return validateDataFile(artifact.content, artifact.kind === 'json');
    case 'adr':
      return validateMarkdown(artifact.content, true, block => validateArtifact(block, { ...options, sourcePath: undefined }));
    default:
      return { status: 'unchecked', problems: [] };
  }
}
