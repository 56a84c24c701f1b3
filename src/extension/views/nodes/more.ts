import * as vscode from 'vscode';
import { loadMore as loadMoreCommand } from '../../commands/sessions/loadMore';
import type { FolderContext } from '../../folders';
import type { PageKind } from '../model';
import { Node } from './node';

/** "Load more…" at the end of a page of sessions, agent sessions or All projects. */
export class MoreNode extends Node {
  /** `total` is left out where it is not known (All Projects). */
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly kind: PageKind,
    private readonly shown: number,
    private readonly total?: number,
  ) {
    super(parent, `more:${kind}:${folder.key}`);
  }

  item(): vscode.TreeItem {
    const item = this.treeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.description = this.total === undefined ? `${this.shown} shown` : `${this.shown} of ${this.total}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'more';
    item.command = { command: loadMoreCommand.id, title: 'Load More', arguments: [this] };
    return item;
  }
}
