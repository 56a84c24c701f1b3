import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FollowUpItem } from '../../../core/usecases/followUps';
import type { FolderContext } from '../../folders';
import type { SessionsModel } from '../model';
import { Node, type Target } from './node';

/** One follow-up, as a checkbox; opens at its session. */
export class FollowUpNode extends Node {
  /** `occurrence` tells apart identical follow-ups of one session. */
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly kbRoot: string,
    readonly followUp: FollowUpItem,
    occurrence = 0,
  ) {
    super(parent, `followUp:${folder.key}:${followUp.path}#${followUp.sessionIndex}:${followUp.text}${occurrence ? `~${occurrence}` : ''}`);
  }

  /** Absolute path of the entry the follow-up is in. */
  get file(): string {
    return path.posix.join(this.kbRoot, this.followUp.path);
  }

  override get target(): Target {
    return { uri: this.folder.uriOf(this.file), line: this.followUp.sessionLine };
  }

  item(): vscode.TreeItem {
    const { followUp } = this;
    const item = this.treeItem(followUp.text, vscode.TreeItemCollapsibleState.None);
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
    return item;
  }
}

/** A folder's open follow-ups, identical ones of one session told apart. */
export async function followUpNodes(model: SessionsModel, folder: FolderContext, parent: Node | undefined): Promise<Node[]> {
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
