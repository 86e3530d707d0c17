/**
 * The API drift check as a bundle of its own (dist/drift.js): the extension loads it on the first check, not
 * at activation. The CLI bundles the same modules into dist/cli.js.
 */
export { checkDrift, mayAffectDrift } from './drift';
export { proposeOperation } from './propose';
export { readSpec } from './spec';
export { formatDriftForPrompt } from './format';
export { driftProblems, driftSummary, recheckOnSave } from './problems';
