import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FollowUpItem } from '../../core/usecases/followUps';
import type { FolderContext } from '../folders';
import type { SessionsModel } from './model';
import { NodeTreeProvider } from './nodeTree';
import { Node } from './nodes';
import { open as openCommand } from '../commands/sessions/open';

/** A folder's group of open follow-ups (several folders). */
class FollowUpFolderNode extends Node {
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

/** One follow-up, as a checkbox. */
export class FollowUpNode extends Node {
  readonly id: string;
  /** `occurrence` tells apart identical follow-ups of one session. */
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly kbRoot: string,
    readonly followUp: FollowUpItem,
    occurrence = 0,
  ) {
    super(parent);
    this.id = `followUp:${folder.key}:${followUp.path}#${followUp.sessionIndex}:${followUp.text}${occurrence ? `~${occurrence}` : ''}`;
  }

  /** Absolute path of the entry the follow-up is in. */
  get file(): string {
    return path.posix.join(this.kbRoot, this.followUp.path);
  }

  item(): vscode.TreeItem {
    const { followUp } = this;
    const item = new vscode.TreeItem(followUp.text, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = followUp.heading;
    item.checkboxState = {
      state: followUp.done ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
      tooltip: 'Mark as done in the entry',
    };
    item.contextValue = followUp.done ? 'followUp:done' : 'followUp:open';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(followUp.text);
    tooltip.appendMarkdown('\n\nFrom the session of ');
    tooltip.appendText(`${followUp.heading} in ${followUp.path}`);
    item.tooltip = tooltip;
    item.command = {
      command: openCommand.id,
      title: 'Open',
      arguments: [{ uri: this.folder.uriOf(this.file), line: followUp.sessionLine }],
    };
    return item;
  }
}

export type FollowUpsElement = Node;

async function followUpNodes(model: SessionsModel, folder: FolderContext, parent: Node | undefined): Promise<Node[]> {
  const state = await model.state(folder);
  const kbRoot = state.resolution.workspace?.kbRoot;
  if (!kbRoot) return [];
  const seen = new Map<string, number>();
  return state.followUps.map((followUp) => {
    const key = `${followUp.path}#${followUp.sessionIndex}:${followUp.text}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return new FollowUpNode(parent, folder, kbRoot, followUp, occurrence);
  });
}

/** The Follow-ups view: every open follow-up as a checkbox; ticking one marks it done in its entry. */
export class FollowUpsTreeProvider extends NodeTreeProvider {
  protected async roots(): Promise<Node[]> {
    const folders = this.folders.all();
    if (folders.length === 1) return followUpNodes(this.model, folders[0]!, undefined);
    const groups = await Promise.all(folders.map(async (folder) => new FollowUpFolderNode(folder, (await this.model.state(folder)).followUps.length)));
    return groups.filter((group) => group.count > 0);
  }
}
