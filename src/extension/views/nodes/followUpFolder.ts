import * as vscode from 'vscode';
import type { FolderContext } from '../../folders';
import type { SessionsModel } from '../model';
import { followUpNodes } from './followUp';
import { Node } from './node';

/** A folder's group of open follow-ups (several folders). */
export class FollowUpFolderNode extends Node {
  readonly id: string;
  constructor(
    readonly folder: FolderContext,
    readonly count: number,
  ) {
    super(undefined);
    this.id = `followUpFolder:${folder.key}`;
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.description = `${this.count} open`;
    item.contextValue = 'folder';
    return item;
  }

  override children(model: SessionsModel): Promise<Node[]> {
    return followUpNodes(model, this.folder, this);
  }
}
