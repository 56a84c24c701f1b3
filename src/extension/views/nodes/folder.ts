import * as vscode from 'vscode';
import type { FolderContext } from '../../folders';
import { isMissingContext, type SessionsModel } from '../model';
import { AgentsNode } from './agents';
import { AllProjectsNode } from './allProjects';
import { EntryNode } from './entry';
import { followUpNodes } from './followUp';
import { MessageNode } from './message';
import { Node } from './node';

/** The children of a folder, whether shown under a folder row (several folders) or at the root (one folder). */
export async function folderChildren(model: SessionsModel, folder: FolderContext, parent: Node | undefined, standalone: boolean): Promise<Node[]> {
  const state = await model.state(folder);
  const { resolution } = state;
  const nodes: Node[] = [];
  if (!resolution.entry) {
    // Alone in the window, a missing .kbcontext is explained by the view's welcome content.
    if (standalone && isMissingContext(resolution.error)) return [];
    return [MessageNode.forError(parent, folder, resolution.error)];
  }
  const hasSessions = (state.history?.totalCount ?? 0) > 0;
  const hasAgents = (state.agents?.totalCount ?? 0) > 0;
  if (standalone && !hasSessions && !hasAgents && state.problems.length === 0) return [];
  nodes.push(new EntryNode(parent, folder, resolution.entry, state));
  if (hasAgents) nodes.push(new AgentsNode(parent, folder, state));
  nodes.push(new AllProjectsNode(parent, folder, model.filterOf(folder)));
  for (const [index, problem] of state.problems.entries()) nodes.push(MessageNode.forError(parent, folder, problem, index));
  return nodes;
}

/**
 * A workspace folder's row (several folders): in the Sessions view its project's rows under it; in
 * the Follow-ups view, given their number, its open follow-ups.
 */
export class FolderNode extends Node {
  constructor(
    readonly folder: FolderContext,
    readonly openFollowUps?: number,
  ) {
    super(undefined, `${openFollowUps === undefined ? 'folder' : 'followUpFolder'}:${folder.key}`);
  }

  item(): vscode.TreeItem {
    const item = this.treeItem(this.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = vscode.ThemeIcon.Folder;
    item.contextValue = 'folder';
    if (this.openFollowUps !== undefined) {
      item.description = `${this.openFollowUps} open`;
      return item;
    }
    item.resourceUri = this.folder.uri;
    item.tooltip = this.folder.uri.scheme === 'file' ? this.folder.uri.fsPath : this.folder.uri.toString();
    return item;
  }

  override children(model: SessionsModel): Promise<Node[]> {
    return this.openFollowUps === undefined ? folderChildren(model, this.folder, this, false) : followUpNodes(model, this.folder, this);
  }
}
