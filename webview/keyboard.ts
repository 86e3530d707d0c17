/**
 * Keyboard shortcuts of the answer view, so everything can be done without a pointer: Alt+W takes focus to
 * the last answer's Write All (Enter then presses it), Alt+F to its first filter box, Alt+I back to the
 * message box. Tab order covers every control; these save the walk through a long answer.
 */

/** Installs the shortcuts on the document. `composer` is the message box. */
export function installShortcuts(transcript: HTMLElement, composer: HTMLElement): void {
  document.addEventListener('keydown', e => {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    const lastTurn = (): Element | null => transcript.querySelector('.turn.assistant:last-of-type') ?? Array.from(transcript.querySelectorAll('.turn.assistant')).pop() ?? null;
    let target: HTMLElement | null = null;
    switch (e.code) {
      case 'KeyW': target = lastTurn()?.querySelector<HTMLElement>('.files-head .write-all') ?? null; break;
      case 'KeyF': target = lastTurn()?.querySelector<HTMLElement>('.endpoint-filter, .table-filter') ?? null; break;
      case 'KeyI': target = composer; break;
      default: return;
    }
    if (!target) { return; }
    // Ours: not forwarded to the workbench as a keybinding.
    e.preventDefault();
    e.stopPropagation();
    target.scrollIntoView?.({ block: 'center' });
    target.focus();
  });
}
