/**
 * The agent tools for the extension host (dist/mcpTools.js), loaded when a language-model tool is first invoked.
 * The build maps the checks to dist/validators.js, so the extension keeps one OpenAPI validator and one SQL
 * worker for its answers and its tools alike.
 */
export { runArchitectTool, structuredResult } from './tools';
