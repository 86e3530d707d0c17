/**
 * The workspace scanner as a bundle of its own (dist/context.js): stack detection, ranking, redaction and the
 * findings parser load when the first request needs them, not at activation.
 */
export { isIgnored, parseGitignore } from './ignore';
export { formatContextForPrompt } from './promptFormat';
export { scanWorkspace } from './scan';
export { parseFindings } from './findings';
export { formatBytes } from './pack';
