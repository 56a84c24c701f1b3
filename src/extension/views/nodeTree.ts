import type * as vscode from 'vscode';
import type { FolderRegistry } from '../folders';
import type { SessionsModel } from './model';
import type { Node } from './nodes/node';

/**
 * A view of nodes over the model, as both views are: it re-renders when the model changes, and
 * asks each node for its item and children. A view says only what its top rows are.
 */
export abstract class NodeTreeProvider implements vscode.TreeDataProvider<Node> {
  readonly onDidChangeTreeData: vscode.Event<Node | undefined | void>;

  constructor(
    protected readonly model: SessionsModel,
    protected readonly folders: FolderRegistry,
  ) {
    this.onDidChangeTreeData = (listener, thisArgs, disposables) => model.onDidChange(() => listener.call(thisArgs, undefined), undefined, disposables);
  }

  /** The top rows. */
  protected abstract roots(): Promise<Node[]>;

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    return node ? node.children(this.model) : this.roots();
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }
}
