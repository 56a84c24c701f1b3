import * as vscode from 'vscode';
import type { ResolvedEntry } from '../../../core/context/resolve';
import type { FolderContext } from '../../folders';
import type { FolderState } from '../model';
import { MoreNode } from './more';
import { Node, type Target } from './node';
import { SessionNode } from './session';

/** The project's session entry; its sessions, a page at a time, below it. */
export class EntryNode extends Node {
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly entry: ResolvedEntry,
    private readonly state: FolderState,
  ) {
    super(parent, `entry:${folder.key}:${entry.entryPath}`);
  }

  override get target(): Target {
    return { uri: this.folder.uriOf(this.entry.entryPath), line: 0 };
  }

  item(): vscode.TreeItem {
    const total = this.state.history?.totalCount ?? 0;
    const item = this.treeItem(this.entry.relativePath, total > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('book');
    item.description = total === 1 ? '1 session' : `${total} sessions`;
    item.contextValue = 'entry';
    item.resourceUri = this.target.uri;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**Session entry** ');
    tooltip.appendText(this.entry.relativePath);
    tooltip.appendMarkdown('\n\nKnowledge base: ');
    tooltip.appendText(this.entry.kbRoot);
    tooltip.appendMarkdown('\n\nChosen by: ');
    tooltip.appendText(this.entry.contextSource + (this.entry.context ? ` in ${this.entry.context.file}` : ''));
    item.tooltip = tooltip;
    return item;
  }

  override async children(): Promise<Node[]> {
    const history = this.state.history;
    if (!history) return [];
    const nodes: Node[] = history.sessions.map((session) => new SessionNode(this, this.folder, this.entry, session));
    if (history.totalCount > history.sessions.length) nodes.push(new MoreNode(this, this.folder, 'sessions', history.sessions.length, history.totalCount));
    return nodes;
  }
}
