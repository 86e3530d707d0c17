/**
 * Resolves once `condition` holds, looking again every few milliseconds: for states no event announces (text on
 * a turn, a diagnostic). The deadline only bounds a hang and names what never happened; it is not a wait.
 */
export async function until(condition: () => boolean, what: string, deadlineMs = 60000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) { throw new Error(`still waiting for ${what} after ${deadlineMs / 1000} s`); }
    await new Promise(r => setTimeout(r, 25));
  }
}
