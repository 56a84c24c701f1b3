import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SearchHit } from '../../../core/usecases/search';
import type { FolderContext } from '../../folders';
import { firstLine } from '../../../core/format/escape';
import { Node, type Target } from './node';

/** A session found across the knowledge base: its project, time and snippet; opens at its line. */
export class HitNode extends Node {
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    private readonly kbRoot: string,
    readonly hit: SearchHit,
  ) {
    super(parent, `hit:${folder.key}:${hit.path}:${hit.line}`);
  }

  override get target(): Target {
    return { uri: this.folder.uriOf(path.posix.join(this.kbRoot, this.hit.path)), line: this.hit.line };
  }

  item(): vscode.TreeItem {
    const item = this.treeItem(this.hit.heading || path.posix.basename(this.hit.path), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.hit.agent ? 'robot' : 'note');
    item.description = `${path.posix.basename(this.hit.project) || '(root)'} · ${firstLine(this.hit.snippet, 70)}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${this.hit.path}:${this.hit.line}`);
    if (this.hit.tags.length) tooltip.appendMarkdown('\n\n').appendText(this.hit.tags.map((tag) => `#${tag}`).join(' '));
    tooltip.appendMarkdown('\n\n').appendText(this.hit.snippet);
    item.tooltip = tooltip;
    item.contextValue = 'searchHit';
    return item;
  }
}
