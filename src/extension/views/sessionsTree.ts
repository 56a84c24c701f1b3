import { NodeTreeProvider } from './nodeTree';
import { FolderNode, folderChildren } from './nodes/folder';
import type { Node } from './nodes/node';

/** The Sessions view: one folder's rows sit at the root, several folders get a row each. */
export class SessionsTreeProvider extends NodeTreeProvider {
  protected async roots(): Promise<Node[]> {
    const folders = this.folders.all();
    if (folders.length === 1) return folderChildren(this.model, folders[0]!, undefined, true);
    return folders.map((folder) => new FolderNode(folder));
  }
}
