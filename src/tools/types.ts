/** Shapes shared by the read-only workspace tools and the edges that give them files. Imports nothing at run time. */
import type { FileEntry } from '../context/types';
import type { ValidationResult } from '../artifacts/types';

/** Our tools, by the name the model calls them. Every one only reads; none changes or runs anything. */
export type ToolName = 'list_files' | 'read_file' | 'search_text' | 'workspace_overview' | 'check_artifact';

/** Every tool, in the order they are offered. */
export const ALL_TOOLS: readonly ToolName[] = ['list_files', 'read_file', 'search_text', 'workspace_overview', 'check_artifact'];

/**
 * The files of one folder as the tools see them: the reviewed folder, or the workspace folder for Design. The
 * Node implementation reads with node:fs (CLI, tests), the VS Code one through the workspace file system.
 * Paths are relative to the folder with '/' separators and were checked by `checkReadPath` before they get here.
 */
export interface ToolFiles {
  /**
   * Every file, as the context scanner's sources list them: dependency, build and VCS folders are not
   * descended into and come back as one entry with `skip` (path ending in '/'); symbolic links with `skip` too.
   */
  list(signal?: AbortSignal): Promise<FileEntry[]>;
  /**
   * At most `maxBytes` from the start of a regular file. Rejects when the file or a folder on its way is a
   * symbolic link (links are never followed), when it is not a regular file, or when it does not exist
   * (an error whose `code` is `ENOENT` or `FileNotFound`).
   */
  read(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** The artifact checks (OpenAPI, SQL in embedded Postgres, mermaid's parser) as the edge provides them. */
export type ArtifactChecker = (kind: 'openapi' | 'sql' | 'mermaid', content: string) => Promise<ValidationResult>;
