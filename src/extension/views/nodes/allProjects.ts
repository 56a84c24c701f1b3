import * as vscode from 'vscode';
import type { FolderContext } from '../../folders';
import type { SessionsModel } from '../model';
import { HitNode } from './hit';
import { MoreNode } from './more';
import { Node } from './node';

/** Sessions of every project of the knowledge base, newest first, narrowed by a filter (Filter All Projects). */
export class AllProjectsNode extends Node {
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly filter: string,
  ) {
    super(parent, `allProjects:${folder.key}`);
  }

  item(): vscode.TreeItem {
    const item = this.treeItem('All projects', vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon(this.filter ? 'filter-filled' : 'globe');
    item.description = this.filter || 'every project of the knowledge base';
    item.tooltip = 'Sessions of every project of the knowledge base, newest first. Filter them with tag:, project:, since:, until:, agent:, status: and words.';
    item.contextValue = this.filter ? 'allProjects:filtered' : 'allProjects';
    return item;
  }

  override async children(model: SessionsModel): Promise<Node[]> {
    const page = await model.allProjectsPage(this.folder);
    const nodes: Node[] = page.hits.map((hit) => new HitNode(this, this.folder, page.kbRoot, hit));
    if (page.more) nodes.push(new MoreNode(this, this.folder, 'all', page.hits.length));
    return nodes;
  }
}
