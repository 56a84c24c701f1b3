import * as vscode from 'vscode';
import { open as openCommand } from '../../commands/sessions/open';
import type { SessionsModel } from '../model';

/** Where a node opens: a file and a 1-based line (0 for the top). */
export interface Target {
  uri: vscode.Uri;
  line: number;
  /** For agent turns: the line is found when opening, by the turn's heading. */
  turnNumber?: number;
}

/**
 * One kind of row in the Sessions or Follow-ups view, one file per kind beside this one. Nodes
 * carry data only; the model is read in `children`, never in `item`.
 */
export abstract class Node {
  constructor(
    readonly parent: Node | undefined,
    /** Stable across reads, so a row keeps its selection and expansion. */
    readonly id: string,
  ) {}
  abstract item(): vscode.TreeItem;
  async children(_model: SessionsModel): Promise<Node[]> {
    return [];
  }
  /** What Open and Reveal in Explorer go to; rows that stand for no file have none. */
  get target(): Target | undefined {
    return undefined;
  }
  /** The row's item under the node's id; clicking it opens the target, where the row has one. */
  protected treeItem(label: string, collapsible = vscode.TreeItemCollapsibleState.None): vscode.TreeItem {
    const item = new vscode.TreeItem(label, collapsible);
    item.id = this.id;
    if (this.target) item.command = { command: openCommand.id, title: 'Open', arguments: [this] };
    return item;
  }
}

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
export const ICONS = {
  inProgress: icon('sync~spin', 'charts.blue'),
  completed: icon('pass', 'testing.iconPassed'),
  failed: icon('error', 'testing.iconFailed'),
  stale: icon('warning', 'list.warningForeground'),
};

/** A tooltip's `- Label: value` lines, the values as plain text; rows without a value are left out. */
export function appendRows(tooltip: vscode.MarkdownString, rows: [string, string | undefined][]): void {
  for (const [label, value] of rows) {
    if (!value) continue;
    tooltip.appendMarkdown(`- ${label}: `);
    tooltip.appendText(value);
    tooltip.appendMarkdown('\n');
  }
}
