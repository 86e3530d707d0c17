/**
 * Which parsed statements a schema check runs. The checker runs model-written SQL inside Postgres, so
 * only statements that build or describe a schema are run; anything that executes code, touches files,
 * talks to other servers or changes the session for good is reported and left out (THREATS T12). The
 * wall-clock timeout and memory caps in the worker are the second line for what gets through.
 */

/** A libpg-query AST node body (the value under a key such as `CreateStmt`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- libpg-query's JSON AST has hundreds of node shapes and no types; the allowlist reads it field by field.
export type AstNode = { [key: string]: any };

/** Run the statement (as `sql`, possibly rewritten), or skip it with a note for the person. */
export type Verdict =
  | { action: 'run'; sql: string; extension?: string; note?: string }
  | { action: 'skip'; severity: 'info' | 'warning'; message: string; extension?: string };

/** Statement types that only build or describe a schema: run as written (some get a check below). */
const runAsIs = new Set([
  'CreateStmt', 'IndexStmt', 'CreateEnumStmt', 'AlterEnumStmt', 'CompositeTypeStmt', 'CreateRangeStmt',
  'CreateDomainStmt', 'AlterDomainStmt', 'CreateSchemaStmt', 'CommentStmt', 'ViewStmt', 'CreateSeqStmt',
  'AlterSeqStmt', 'DropStmt', 'RenameStmt', 'AlterObjectSchemaStmt', 'CreateTrigStmt', 'AlterFunctionStmt',
  'DefineStmt', 'CreateCastStmt', 'RuleStmt', 'CreatePolicyStmt', 'AlterPolicyStmt', 'CreateStatsStmt',
  'AlterStatsStmt', 'AlterTSConfigurationStmt', 'AlterTSDictionaryStmt', 'CreateOpClassStmt',
  'CreateOpFamilyStmt', 'AlterOpFamilyStmt', 'AlterCollationStmt', 'AlterTypeStmt', 'ConstraintsSetStmt',
  'AlterTableStmt',
]);

/** Skipped quietly (info): meaningful on a real server, not for a schema's shape. */
const skipInfo: Record<string, string> = {
  TransactionStmt: 'transaction control skipped: the check runs the whole script in its own transaction',
  GrantStmt: 'privileges skipped: roles belong to the target server, not to the schema',
  GrantRoleStmt: 'role membership skipped: roles belong to the target server',
  AlterOwnerStmt: 'ownership skipped: roles belong to the target server',
  AlterDefaultPrivilegesStmt: 'default privileges skipped: roles belong to the target server',
  CreateRoleStmt: 'role skipped: roles belong to the target server', AlterRoleStmt: 'role change skipped',
  AlterRoleSetStmt: 'role setting skipped', DropRoleStmt: 'role drop skipped', DropOwnedStmt: 'DROP OWNED skipped',
  ReassignOwnedStmt: 'REASSIGN OWNED skipped', RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW skipped: no data in a schema check',
  VacuumStmt: 'VACUUM/ANALYZE skipped: no data in a schema check', ClusterStmt: 'CLUSTER skipped', ReindexStmt: 'REINDEX skipped',
  LockStmt: 'LOCK skipped', CheckPointStmt: 'CHECKPOINT skipped', DiscardStmt: 'DISCARD skipped', VariableShowStmt: 'SHOW skipped',
  AlterExtensionStmt: 'ALTER EXTENSION skipped', AlterExtensionContentsStmt: 'ALTER EXTENSION skipped',
  CreatePLangStmt: 'CREATE LANGUAGE skipped: PL/pgSQL is built in', TruncateStmt: 'TRUNCATE skipped: no data in a schema check',
  AlterTableMoveAllStmt: 'ALTER ... SET TABLESPACE skipped',
};

/** Reported as warnings: they make no sense in a schema check, or they would run code, files or network. */
const skipWarning: Record<string, string> = {
  CreatedbStmt: 'CREATE DATABASE not run: the check uses one in-memory database',
  DropdbStmt: 'DROP DATABASE not run: the check uses one in-memory database',
  AlterDatabaseStmt: 'ALTER DATABASE not run', AlterDatabaseSetStmt: 'ALTER DATABASE not run',
  AlterDatabaseRefreshCollStmt: 'ALTER DATABASE not run',
  CreateTableSpaceStmt: 'CREATE TABLESPACE not run: there are no tablespaces in the check',
  DropTableSpaceStmt: 'DROP TABLESPACE not run', AlterTableSpaceOptionsStmt: 'ALTER TABLESPACE not run',
  AlterSystemStmt: 'ALTER SYSTEM not run: it changes the server, not the schema',
  DoStmt: 'DO block not run: a schema check does not execute code',
  CallStmt: 'CALL not run: a schema check does not execute procedures',
  ExplainStmt: 'EXPLAIN not run: a schema check does not run queries',
  CreateEventTrigStmt: 'event trigger not created: it would run code on every later statement',
  AlterEventTrigStmt: 'ALTER EVENT TRIGGER not run',
  LoadStmt: 'LOAD not run: the check loads no libraries',
  NotifyStmt: 'NOTIFY not run', ListenStmt: 'LISTEN not run', UnlistenStmt: 'UNLISTEN not run',
  PrepareStmt: 'PREPARE not run: a schema check does not run queries', ExecuteStmt: 'EXECUTE not run',
  DeallocateStmt: 'DEALLOCATE not run', DeclareCursorStmt: 'DECLARE CURSOR not run', FetchStmt: 'FETCH not run',
  ClosePortalStmt: 'CLOSE not run', MergeStmt: 'MERGE not run: a schema check only runs INSERT ... VALUES',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION not run: the check does not connect to other servers',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION not run', DropSubscriptionStmt: 'DROP SUBSCRIPTION not run',
  CreatePublicationStmt: 'CREATE PUBLICATION not run: replication is not part of the schema check',
  AlterPublicationStmt: 'ALTER PUBLICATION not run',
  CreateForeignServerStmt: 'foreign server not created: the check does not connect to other servers',
  AlterForeignServerStmt: 'foreign server not changed', CreateFdwStmt: 'foreign-data wrapper not created',
  AlterFdwStmt: 'foreign-data wrapper not changed', CreateUserMappingStmt: 'user mapping not created',
  AlterUserMappingStmt: 'user mapping not changed', DropUserMappingStmt: 'user mapping not dropped',
  ImportForeignSchemaStmt: 'IMPORT FOREIGN SCHEMA not run: the check does not connect to other servers',
  CreateForeignTableStmt: 'foreign table not created: the check has no foreign servers',
  SecLabelStmt: 'SECURITY LABEL not run: no label providers in the check',
};

/** Settings a script may change (pg_dump headers and ordinary migrations); any other SET is left out. */
const allowedSettings = new Set([
  'search_path', 'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'transaction_timeout',
  'idle_session_timeout', 'client_encoding', 'standard_conforming_strings', 'check_function_bodies', 'xmloption',
  'client_min_messages', 'row_security', 'default_tablespace', 'default_table_access_method', 'default_with_oids',
  'timezone', 'datestyle', 'intervalstyle', 'extra_float_digits', 'bytea_output', 'escape_string_warning',
  'constraint_exclusion', 'session_replication_role', 'default_toast_compression', 'application_name',
  'synchronous_commit', 'plpgsql.variable_conflict', 'plpgsql.extra_warnings', 'plpgsql.extra_errors',
]);

/** Functions whose call runs something a schema check must not: sleeping, files, locks, other sessions. */
const deniedFunction = /^(pg_sleep\w*|pg_read_\w+|pg_ls_\w+|pg_stat_file|pg_file_\w+|lo_\w+|dblink\w*|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile|pg_promote|pg_switch_wal|pg_create_\w+|pg_drop_replication_slot|pg_logical_\w+|pg_replication_\w+|pg_advisory\w*|pg_try_advisory\w*|set_config|generate_series|\w+_to_xml\w*|pg_import_system_collations|pg_stat_reset\w*|pg_log_backend_memory_contexts|pg_notify|pg_backup_\w+|pg_wal_\w+)$/i;

/** Statement types whose expressions may be evaluated while they run (defaults on ALTER, partition bounds, DML). */
const evaluatesExpressions = new Set(['CreateStmt', 'AlterTableStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt']);

/** The function names called anywhere in a node, last part only (`pg_catalog.pg_sleep` gives `pg_sleep`). */
export function calledFunctions(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) { calledFunctions(n, found); }
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node as AstNode)) {
      if (key === 'FuncCall' && Array.isArray(value?.funcname)) {
        const last = value.funcname[value.funcname.length - 1];
        if (typeof last?.String?.sval === 'string') { found.push(last.String.sval); }
      }
      calledFunctions(value, found);
    }
  }
  return found;
}

const warn = (message: string): Verdict => ({ action: 'skip', severity: 'warning', message });
const info = (message: string): Verdict => ({ action: 'skip', severity: 'info', message });

/**
 * Decides what to do with one parsed statement: run it (possibly rewritten so it fits in a transaction,
 * with every character before the change left where it was), or skip it with a note for the person.
 */
export function classifyStatement(type: string, node: AstNode, sql: string): Verdict {
  const special = classifySpecial(type, node, sql);
  if (special) { return special; }
  if (runAsIs.has(type)) { return checkCalls(type, node, { action: 'run', sql }); }
  if (skipInfo[type]) { return info(skipInfo[type]); }
  if (skipWarning[type]) { return warn(skipWarning[type]); }
  return warn(`${type.replace(/Stmt$/, '')} statement not run: it is not on the schema-check allowlist`);
}

/** Refuses a statement that would evaluate a denied function while it runs. */
function checkCalls(type: string, node: AstNode, verdict: Verdict): Verdict {
  if (!evaluatesExpressions.has(type)) { return verdict; }
  const denied = calledFunctions(node).find(f => deniedFunction.test(f));
  return denied ? warn(`not run: calls ${denied}(), which a schema check does not execute`) : verdict;
}

function classifySpecial(type: string, node: AstNode, sql: string): Verdict | undefined {
  switch (type) {
    case 'AlterTableStmt': return classifyAlterTable(node);
    case 'IndexStmt': case 'DropStmt':
      // CONCURRENTLY cannot run inside a transaction block; without it the statement checks the same.
      return node.concurrent ? { action: 'run', sql: blankWord(sql, 'concurrently') } : undefined;
    case 'CreateTableAsStmt': return classifyCreateTableAs(node, sql);
    case 'CreateFunctionStmt': return classifyFunction(node, sql);
    case 'CreateExtensionStmt': return classifyExtension(node, sql);
    case 'VariableSetStmt': return classifySet(node, sql);
    case 'SelectStmt': return classifySelect(node, sql);
    case 'InsertStmt': case 'UpdateStmt': case 'DeleteStmt': return classifyDml(type, node, sql);
    case 'CopyStmt': return classifyCopy(node);
    default: return undefined;
  }
}

function classifyAlterTable(node: AstNode): Verdict | undefined {
  const cmds: AstNode[] = (node.cmds ?? []).map((c: AstNode) => c.AlterTableCmd ?? {});
  return cmds.length > 0 && cmds.every(c => c.subtype === 'AT_ChangeOwner') ? info(skipInfo.AlterOwnerStmt) : undefined;
}

/** Replaces the first whole-word match with spaces, so later offsets (error positions) do not move. */
function blankWord(sql: string, word: string): string {
  const m = new RegExp(`\\b${word}\\b`, 'i').exec(sql);
  return m ? sql.slice(0, m.index) + ' '.repeat(m[0].length) + sql.slice(m.index + m[0].length) : sql;
}

/** Materialized views and CREATE TABLE AS are created WITH NO DATA: the query is checked, never run. */
function classifyCreateTableAs(node: AstNode, sql: string): Verdict {
  if (!node.query?.SelectStmt) { return warn('CREATE TABLE AS EXECUTE not run: a schema check does not run prepared queries'); }
  if (node.into?.skipData) { return { action: 'run', sql }; }
  const withData = /\bwith\s+data\s*$/i.exec(sql);
  const note = 'created WITH NO DATA: its query is checked, not run';
  return { action: 'run', sql: withData ? `${sql.slice(0, withData.index)}WITH NO DATA` : `${sql}\nWITH NO DATA`, note };
}

function classifyFunction(node: AstNode, sql: string): Verdict {
  const language = (node.options ?? [])
    .map((o: AstNode) => o.DefElem)
    .find((d: AstNode | undefined) => d?.defname === 'language')?.arg?.String?.sval as string | undefined;
  const lang = (language ?? (node.sql_body ? 'sql' : '')).toLowerCase();
  if (lang === 'sql' || lang === 'plpgsql') { return { action: 'run', sql }; }
  return warn(`function not created: only LANGUAGE sql and plpgsql are checked, not ${lang || 'an unnamed language'}`);
}

function classifyExtension(node: AstNode, sql: string): Verdict {
  const name = String(node.extname ?? '');
  if (name === 'plpgsql') { return { ...info('CREATE EXTENSION plpgsql skipped: it is built in'), extension: name }; }
  // Whether the checker has this extension is the worker's to say: it knows which bundles it can load.
  return { action: 'run', sql, extension: name };
}

function classifySet(node: AstNode, sql: string): Verdict {
  const name = String(node.name ?? '').toLowerCase();
  if (node.kind === 'VAR_RESET_ALL') { return info('RESET ALL skipped: the check keeps its own session settings'); }
  if (name === 'role' || name === 'session_authorization') { return info(`SET ${name} skipped: roles belong to the target server`); }
  if (name === 'transaction' || name === 'session characteristics') { return info(`SET ${name.toUpperCase()} skipped`); }
  if (name === 'default_tablespace' && node.args?.[0]?.A_Const?.sval?.sval) {
    return info('SET default_tablespace skipped: there are no tablespaces in the check');
  }
  return allowedSettings.has(name) ? { action: 'run', sql } : warn(`SET ${name} not applied: the check only takes ordinary schema settings`);
}

/** pg_dump's `SELECT pg_catalog.set_config('search_path', '', false)` and `SELECT pg_catalog.setval(...)`. */
function classifySelect(node: AstNode, sql: string): Verdict {
  const targets: AstNode[] = node.targetList ?? [];
  const plain = !node.fromClause && !node.withClause && !node.intoClause && !node.whereClause && targets.length > 0;
  const ok = plain && targets.every(t => {
    const call = t.ResTarget?.val?.FuncCall;
    const name = call?.funcname?.[call.funcname.length - 1]?.String?.sval;
    const args: AstNode[] = call?.args ?? [];
    if (!call || !args.every(a => a.A_Const)) { return false; }
    return name === 'setval' || (name === 'set_config' && args[0]?.A_Const?.sval?.sval === 'search_path');
  });
  return ok ? { action: 'run', sql } : warn('query not run: a schema check does not run SELECT');
}

/** Seed data is checked against the schema when it is literal; DML that computes rows is not run. */
function classifyDml(type: string, node: AstNode, sql: string): Verdict {
  if (node.withClause) { return warn('not run: a schema check does not run WITH queries'); }
  if (type === 'InsertStmt') {
    const select = node.selectStmt?.SelectStmt;
    if (select && !select.valuesLists) { return warn('INSERT ... SELECT not run: a schema check only runs INSERT ... VALUES'); }
  } else if (node.fromClause || node.usingClause) {
    return warn(`${type === 'UpdateStmt' ? 'UPDATE ... FROM' : 'DELETE ... USING'} not run: a schema check does not run joins`);
  }
  return checkCalls(type, node, { action: 'run', sql });
}

function classifyCopy(node: AstNode): Verdict {
  if (node.is_program) { return warn('COPY ... PROGRAM not run: the check runs no programs'); }
  if (node.filename) { return warn('COPY with a file not run: the check has no access to files'); }
  return warn(`COPY ... ${node.is_from ? 'FROM stdin' : 'TO stdout'} not run: a schema check loads no data`);
}
