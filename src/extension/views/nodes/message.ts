import * as vscode from 'vscode';
import { describeError, isSessionLogError } from '../../../core/errors';
import { createKbContext as createKbContextCommand } from '../../commands/createKbContext';
import type { FolderContext } from '../../folders';
import { isMissingContext } from '../model';
import { firstLine } from '../../../core/format/escape';
import { Node } from './node';

/** A row that explains something (an error, an empty folder) and offers the way out. */
export class MessageNode extends Node {
  constructor(
    parent: Node | undefined,
    id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
  ) {
    super(parent, id);
  }

  static forError(parent: Node | undefined, folder: FolderContext, error: unknown, index = 0): MessageNode {
    const id = `message:${folder.key}:${index}`;
    if (isMissingContext(error)) {
      return new MessageNode(
        parent,
        id,
        'No .kbcontext: create one…',
        'info',
        { command: createKbContextCommand.id, title: 'Create .kbcontext', arguments: [folder.uri] },
        describeError(error),
      );
    }
    const text = isSessionLogError(error) ? error.withHint : describeError(error);
    return new MessageNode(parent, id, firstLine(describeError(error), 120), 'error', undefined, text);
  }

  item(): vscode.TreeItem {
    const item = this.treeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon, this.icon === 'error' ? new vscode.ThemeColor('list.errorForeground') : undefined);
    item.contextValue = 'message';
    if (this.tooltip) item.tooltip = this.tooltip;
    if (this.command) item.command = this.command;
    return item;
  }
}
