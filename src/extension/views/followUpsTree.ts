import { NodeTreeProvider } from './nodeTree';
import { followUpNodes } from './nodes/followUp';
import { FolderNode } from './nodes/folder';
import type { Node } from './nodes/node';

/** The Follow-ups view: every open follow-up as a checkbox; ticking one marks it done in its entry. */
export class FollowUpsTreeProvider extends NodeTreeProvider {
  protected async roots(): Promise<Node[]> {
    const folders = this.folders.all();
    if (folders.length === 1) return followUpNodes(this.model, folders[0]!, undefined);
    const groups = await Promise.all(folders.map(async (folder) => new FolderNode(folder, (await this.model.state(folder)).followUps.length)));
    return groups.filter((group) => group.openFollowUps! > 0);
  }
}
