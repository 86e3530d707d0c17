/** Shapes the design session shares with the edges that show it. Imports nothing. */

/**
 * Checks only the screen can run, supplied by the view that shows a session: mermaid's parser needs a
 * browser, so the view asks its webview. The session never knows which view, or whether there is one.
 */
export interface ScreenChecks {
  /** Resolves when mermaid accepts the diagram; rejects with mermaid's message, or "could not start". */
  parseMermaid(text: string): Promise<void>;
}
