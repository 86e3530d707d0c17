/** Shapes shared by the API drift check (spec against routes). Imports nothing at run time. */

/** HTTP methods as the check compares them; `ALL` is a route that answers every method. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS' | 'TRACE' | 'ALL';

/** The families of route declarations the extractors read. */
export type Framework =
  | 'Express' | 'Koa' | 'Fastify' | 'NestJS'
  | 'FastAPI' | 'Flask' | 'Django'
  | 'Spring' | 'ASP.NET Core'
  | 'Go net/http' | 'chi' | 'Gin' | 'Echo'
  | 'Rails' | 'Laravel';

/** A route the code declares, with every prefix that could be seen applied. */
export interface CodeRoute {
  method: HttpMethod;
  /** Full path in OpenAPI syntax (`/api/users/{id}`), whatever syntax the code used. */
  path: string;
  /** Workspace-relative file ('/' separators) and 1-based line of the declaration. */
  file: string;
  line: number;
  framework: Framework;
  /**
   * Routes made by one declaration whose methods alias each other (Rails and Laravel `update` answer PUT
   * and PATCH): documenting either one documents the route.
   */
  group?: string;
  /** Part of a prefix was an expression that could not be resolved; a note says which. */
  partial?: boolean;
}

/** One operation of an OpenAPI document. */
export interface SpecOperation {
  method: HttpMethod;
  /** The path key exactly as the document writes it (relative to its server or basePath). */
  path: string;
  /** The document (workspace-relative) and the 1-based line of the method key. */
  file: string;
  line: number;
  /** 1-based line of the path key. */
  pathLine: number;
  operationId?: string;
}

/** What one OpenAPI document holds, as far as the drift check is concerned. */
export interface SpecDocument {
  file: string;
  /** `3.1.0`, `2.0`, ... */
  version: string;
  /** Path parts of `servers[].url` (3.x) or `basePath` (2.0), normalised: '' for the root, else `/api`. */
  basePaths: string[];
  operations: SpecOperation[];
  /** 1-based line of the `paths` key (1 when absent), where a new path would go. */
  pathsLine: number;
  /** JSON (true) or YAML text. */
  json: boolean;
}

export type DriftKind = 'missing-in-spec' | 'missing-in-code';

/** One difference between the spec and the code. */
export interface DriftItem {
  kind: DriftKind;
  method: HttpMethod;
  /** The path as the spec writes it (for a route: converted to spec syntax, relative to the base path). */
  path: string;
  /** The route (missing-in-spec) or the operation (missing-in-code): file and 1-based line. */
  file: string;
  line: number;
  /** The other side's nearest place: where the operation would go in the spec, or the closest route. */
  related?: { file: string; line: number };
  /** The route itself (missing-in-spec), for "Open route" and "Add to spec". */
  route?: CodeRoute;
  /** The operation itself (missing-in-code). */
  operation?: SpecOperation;
}

/** Something the check could not see, reported so nobody takes silence for agreement. Not drift. */
export interface DriftNote {
  /** Workspace-relative; '' for a note about the whole workspace (no spec found, no routes found). */
  file: string;
  line?: number;
  message: string;
}

/** The result of one drift check. */
export interface DriftReport {
  /** The spec compared (workspace-relative); with several documents, the first, and `specs` has all. */
  spec: string | null;
  specs: SpecDocument[];
  /** The base path routes were compared under ('' when routes are declared without the spec's base). */
  basePath: string;
  /** Frameworks whose routes were found. */
  frameworks: Framework[];
  routes: CodeRoute[];
  operations: SpecOperation[];
  items: DriftItem[];
  notes: DriftNote[];
  /** Every file that fed the check (specs, route files, configuration): saving one of them calls for a re-check. */
  inputs: string[];
}
