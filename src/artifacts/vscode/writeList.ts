import * as vscode from 'vscode';

/** One file in Write All's list, grouped by what writing it does (the writer's own verdict). */
export interface WriteListItem {
  /** The path as it will be written (or as the answer gave it, for a file that will not be). */
  path: string;
  group: 'create' | 'replace' | 'ask' | 'refused';
  /** The verdict's words, the same the card and the CLI show. */
  words: string;
  /** For a sensitive place its risk; for a file that will not be written, why. */
  why?: string;
  /** Ticked when the list opens: new and replaced files are, sensitive ones are not; refused ones never can be. */
  ticked: boolean;
}

type Row = vscode.QuickPickItem & { item?: WriteListItem };

const groups: [WriteListItem['group'], string][] = [
  ['create', 'Will create'],
  ['replace', 'Will replace (diff first)'],
  // Unticked at first; ticking one is the confirmation its own question would have asked for.
  ['ask', 'Sensitive: tick to write'],
  ['refused', 'Not written'],
];

/** The rows of the list: a separator per group that has files, then its files. */
export function writeListRows(items: WriteListItem[]): Row[] {
  const rows: Row[] = [];
  for (const [group, label] of groups) {
    const members = items.filter(i => i.group === group);
    if (!members.length) { continue; }
    rows.push({ label, kind: vscode.QuickPickItemKind.Separator });
    for (const item of members) {
      rows.push({
        label: group === 'refused' ? `$(circle-slash) ${item.path}` : item.path,
        description: group === 'ask' || group === 'refused' ? item.why : undefined,
        detail: group === 'replace' || (group === 'ask' && /diff first/.test(item.words)) ? 'exists: its diff opens first, and only Accept writes it' : undefined,
        item,
      });
    }
  }
  return rows;
}

/**
 * Write All's one list (a QuickPick with checkboxes): what will be created, replaced, the sensitive places
 * (unticked), and what will not be written and why. Refused rows cannot stay ticked: a tick on one is taken
 * back at once, so nothing in the list suggests it could be written. Resolves with the ticked files, or
 * undefined when the person cancels (Escape).
 */
export function pickWrites(folderName: string, items: WriteListItem[]): Promise<WriteListItem[] | undefined> {
  const qp = vscode.window.createQuickPick<Row>();
  const rows = writeListRows(items);
  const refused = items.filter(i => i.group === 'refused').length;
  const describe = (): void => {
    const ticked = qp.selectedItems.filter(r => r.item).length;
    qp.placeholder = `${ticked} of ${items.length - refused} ticked · Enter writes them${refused ? ` · ${refused} not written (listed last)` : ''}`;
  };
  qp.title = `Write All into ${folderName}`;
  qp.canSelectMany = true;
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = true;
  qp.items = rows;
  qp.selectedItems = rows.filter(r => r.item?.ticked && r.item.group !== 'refused');
  describe();
  return new Promise(resolve => {
    let settled = false;
    const done = (value: WriteListItem[] | undefined): void => {
      if (settled) { return; }
      settled = true;
      resolve(value);
      qp.hide();
    };
    qp.onDidChangeSelection(selected => {
      const allowed = selected.filter(r => r.item && r.item.group !== 'refused');
      if (allowed.length !== selected.length) { qp.selectedItems = allowed; }
      describe();
    });
    qp.onDidAccept(() => done(qp.selectedItems.flatMap(r => (r.item && r.item.group !== 'refused' ? [r.item] : []))));
    qp.onDidHide(() => { done(undefined); qp.dispose(); });
    qp.show();
  });
}
