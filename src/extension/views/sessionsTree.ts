import * as vscode from 'vscode';
import type { FolderRegistry } from '../folders';
import type { SessionsModel } from './model';
import { FolderNode, folderChildren, type Node } from './nodes';

/** The Sessions view: maps the model to nodes; one folder's rows sit at the root, several folders get a row each. */
export class SessionsTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<Node | undefined | void>;

  constructor(private readonly model: SessionsModel, private readonly folders: FolderRegistry) {
    this.onDidChangeTreeData = (listener, thisArgs, disposables) => model.onDidChange(() => listener.call(thisArgs, undefined), undefined, disposables);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) return node.children(this.model);
    const folders = this.folders.all();
    if (folders.length === 1) return folderChildren(this.model, folders[0]!, undefined, true);
    return folders.map((folder) => new FolderNode(folder));
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }
}
