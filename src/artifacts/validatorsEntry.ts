/**
 * The separately bundled validators (dist/validators.js): extraction, the OpenAPI validator, the SQL checker's
 * host side. The extension loads this file when the first answer ends, never at activation. dist/mcpTools.js and
 * dist/mcpServer.js take `validate` and `sql/validateSql` from here (scripts/build.mjs), so whatever they import
 * from those two modules must be exported here too (test/unit/mcp/bundles.test.ts runs them without node_modules).
 */
export { ArtifactStream, extractArtifacts } from './extract';
export { loadSqlValidator, sqlUnavailable, validateArtifact } from './validate';
export { shutdownSqlValidator } from './sql/validateSql';
export { pickRepairedBlock, repairPrompt } from './repair';
export { compareErDiagrams } from './sql/erDiagram';
export { compareWithMigrations, planMigration } from './sql/migrate';
export { describeMigrationFolder, migrationUpText } from './migrations';
export { nextMigrationFiles } from './nextMigration';
export { keepsDownMigrations, migrationFolderCandidates, migrationNameFor, summarizeMigration } from './migrationOffer';
