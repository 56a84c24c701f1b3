import * as vscode from 'vscode';
import type { FolderContext } from '../../folders';
import { isMissingContext, type SessionsModel } from '../model';
import { AgentsNode } from './agents';
import { AllProjectsNode } from './allProjects';
import { EntryNode } from './entry';
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

/** A workspace folder's row in the Sessions view (several folders). */
export class FolderNode extends Node {
  readonly id: string;
  constructor(readonly folder: FolderContext) {
    super(undefined);
    this.id = `folder:${folder.key}`;
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = vscode.ThemeIcon.Folder;
    item.resourceUri = this.folder.uri;
    item.contextValue = 'folder';
    item.tooltip = this.folder.uri.scheme === 'file' ? this.folder.uri.fsPath : this.folder.uri.toString();
    return item;
  }

  override children(model: SessionsModel): Promise<Node[]> {
    return folderChildren(model, this.folder, this, false);
  }
}
