import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FollowUpItem } from '../../core/usecases/followUps';
import type { FolderContext, FolderRegistry } from '../folders';
import type { SessionsModel } from './model';
import { open as openCommand } from '../commands/sessions/open';

class FollowUpFolderNode {
  constructor(readonly folder: FolderContext, readonly count: number) {}
  get id(): string {
    return `followUpFolder:${this.folder.key}`;
  }
}

export class FollowUpNode {
  /** `occurrence` tells apart identical follow-ups of one session. */
  constructor(readonly folder: FolderContext, readonly kbRoot: string, readonly followUp: FollowUpItem, private readonly occurrence = 0) {}

  get id(): string {
    return `followUp:${this.folder.key}:${this.followUp.path}#${this.followUp.sessionIndex}:${this.followUp.text}${this.occurrence ? `~${this.occurrence}` : ''}`;
  }

  /** Absolute path of the entry the follow-up is in. */
  get file(): string {
    return path.posix.join(this.kbRoot, this.followUp.path);
  }
}

export type FollowUpsElement = FollowUpFolderNode | FollowUpNode;

/** The Follow-ups view: every open follow-up as a checkbox; ticking one marks it done in its entry. */
export class FollowUpsTreeProvider implements vscode.TreeDataProvider<FollowUpsElement> {
  readonly onDidChangeTreeData: vscode.Event<FollowUpsElement | undefined | void>;

  constructor(private readonly model: SessionsModel, private readonly folders: FolderRegistry) {
    this.onDidChangeTreeData = (listener, thisArgs, disposables) => model.onDidChange(() => listener.call(thisArgs, undefined), undefined, disposables);
  }

  getTreeItem(element: FollowUpsElement): vscode.TreeItem {
    if (element instanceof FollowUpFolderNode) {
      const item = new vscode.TreeItem(element.folder.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = element.id;
      item.iconPath = vscode.ThemeIcon.Folder;
      item.description = `${element.count} open`;
      item.contextValue = 'folder';
      return item;
    }
    const { followUp } = element;
    const item = new vscode.TreeItem(followUp.text, vscode.TreeItemCollapsibleState.None);
    item.id = element.id;
    item.description = followUp.heading;
    item.checkboxState = { state: followUp.done ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked, tooltip: 'Mark as done in the entry' };
    item.contextValue = followUp.done ? 'followUp:done' : 'followUp:open';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(followUp.text);
    tooltip.appendMarkdown('\n\nFrom the session of ');
    tooltip.appendText(`${followUp.heading} in ${followUp.path}`);
    item.tooltip = tooltip;
    item.command = {
      command: openCommand.id, title: 'Open',
      arguments: [{ uri: element.folder.uriOf(element.file), line: followUp.sessionLine }],
    };
    return item;
  }

  async getChildren(element?: FollowUpsElement): Promise<FollowUpsElement[]> {
    if (element instanceof FollowUpNode) return [];
    if (element instanceof FollowUpFolderNode) return this.itemsOf(element.folder);
    const folders = this.folders.all();
    if (folders.length === 1) return this.itemsOf(folders[0]!);
    const groups = await Promise.all(folders.map(async (folder) => new FollowUpFolderNode(folder, (await this.model.state(folder)).followUps.length)));
    return groups.filter((group) => group.count > 0);
  }

  private async itemsOf(folder: FolderContext): Promise<FollowUpNode[]> {
    const state = await this.model.state(folder);
    const kbRoot = state.resolution.workspace?.kbRoot;
    if (!kbRoot) return [];
    const seen = new Map<string, number>();
    return state.followUps.map((followUp) => {
      const key = `${followUp.path}#${followUp.sessionIndex}:${followUp.text}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      return new FollowUpNode(folder, kbRoot, followUp, occurrence);
    });
  }
}
