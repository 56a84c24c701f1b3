import * as vscode from 'vscode';
import type { AgentSession, Turn } from '../../../core/agent/model';
import type { FolderContext } from '../../folders';
import type { AgentSessionNode } from './agentSession';
import { appendRows, ICONS, Node, type Target } from './node';

/** A turn of an agent session; opens at the turn's heading. */
export class TurnNode extends Node {
  constructor(
    readonly parentSession: AgentSessionNode,
    readonly folder: FolderContext,
    readonly session: AgentSession,
    readonly turn: Turn,
    readonly number: number,
    readonly stale: boolean,
  ) {
    super(parentSession, `turn:${folder.key}:${session.sessionId}:${turn.requestId}`);
  }

  override get target(): Target {
    return { ...this.parentSession.target, turnNumber: this.number };
  }

  item(): vscode.TreeItem {
    const { turn } = this;
    const item = this.treeItem(`${this.number}. ${turn.queryTitle}`, vscode.TreeItemCollapsibleState.None);
    const state = this.stale ? 'stale' : turn.status;
    item.contextValue = `turn:${state}`;
    item.iconPath = this.stale ? ICONS.stale : turn.status === 'completed' ? ICONS.completed : turn.status === 'failed' ? ICONS.failed : ICONS.inProgress;
    item.description = `${state.replace('_', ' ')} · ${turn.updated}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('**');
    tooltip.appendText(turn.queryTitle);
    tooltip.appendMarkdown(`** · ${state.replace('_', ' ')}\n\n`);
    if (turn.queryText) {
      tooltip.appendText(turn.queryText.slice(0, 600));
      tooltip.appendMarkdown('\n\n');
    }
    const rows: [string, string | undefined][] = [
      ['Request', turn.requestId],
      ['Started', turn.started],
      ['Ended', turn.ended],
      ['Response', turn.response?.slice(0, 400)],
      ['Error', turn.errorMessage && `${turn.errorCode ? `${turn.errorCode}: ` : ''}${turn.errorMessage}`],
      ['Actions', turn.actions.length ? String(turn.actions.length) : undefined],
      ['Dialog items', turn.dialog.length ? String(turn.dialog.length) : undefined],
    ];
    appendRows(tooltip, rows);
    item.tooltip = tooltip;
    return item;
  }
}
