/**
 * The read-only tools as a bundle of their own (dist/tools.js): the extension loads it with the first answer
 * that may read the workspace, not at activation.
 */
export { createToolbox } from './toolbox';
export { grantAgentTools } from './agentTools';
export { verifyFindings } from './verifyFindings';
export { nodeToolFiles } from './nodeToolFiles';
