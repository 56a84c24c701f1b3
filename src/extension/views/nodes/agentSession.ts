import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SessionHistoryItem } from '../../../core/agent/sessions';
import type { FolderContext } from '../../folders';
import type { SessionsModel } from '../model';
import { MessageNode } from './message';
import { appendRows, ICONS, Node, type Target } from './node';
import { TurnNode } from './turn';
import { plural } from '../../../core/format/escape';

/** An agent session: its status and turns, its subagents' sessions under it. */
export class AgentSessionNode extends Node {
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly session: SessionHistoryItem,
    private readonly kbRoot: string,
    /** Subagent sessions by parent session id, for the rows under this one. */
    private readonly subagents: ReadonlyMap<string, SessionHistoryItem[]> = new Map(),
  ) {
    super(parent, `agent:${folder.key}:${session.sessionId}`);
  }

  override get target(): Target {
    return { uri: this.folder.uriOf(path.posix.join(this.kbRoot, this.session.path)), line: 0 };
  }

  get stale(): boolean {
    return !!this.session.staleTurn;
  }

  item(): vscode.TreeItem {
    const { session } = this;
    const nested = this.subagents.get(session.sessionId)?.length ?? 0;
    const item = this.treeItem(
      session.title,
      session.turnCount > 0 || nested > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    const state = session.status === 'completed' ? 'closed' : this.stale ? 'open:stale' : 'open';
    item.contextValue = `agentSession:${state}`;
    item.iconPath = session.status === 'completed' ? ICONS.completed : this.stale ? ICONS.stale : ICONS.inProgress;
    const status = session.status === 'completed' ? 'completed' : this.stale ? 'stale turn' : 'in progress';
    item.description =
      `${session.agent}${session.parentSessionId ? ' subagent' : ''} · ${status} · ${plural(session.turnCount, 'turn')}` +
      `${nested > 0 ? ` · ${plural(nested, 'subagent')}` : ''}`;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown('$(robot) **');
    tooltip.appendText(session.title);
    tooltip.appendMarkdown('**\n\n');
    const rows: [string, string | undefined][] = [
      ['Session', session.sessionId],
      ['Agent', session.agent],
      ['Parent session', session.parentSessionId],
      ['Model', session.model],
      ['Status', status],
      ['Started', session.started],
      ['Last updated', session.lastUpdated],
      ['Turns', String(session.turnCount)],
      ['Files modified', String(session.filesModifiedCount)],
      ['Tags', session.tags.map((tag) => `#${tag}`).join(' ') || undefined],
      ['Stale turn', session.staleTurn],
    ];
    appendRows(tooltip, rows);
    item.tooltip = tooltip;
    return item;
  }

  override async children(model: SessionsModel): Promise<Node[]> {
    try {
      const subagents = (this.subagents.get(this.session.sessionId) ?? []).map(
        (child) => new AgentSessionNode(this, this.folder, child, this.kbRoot, this.subagents),
      );
      if (this.session.turnCount === 0) return subagents;
      const session = await model.agentSession(this.folder, this.session.sessionId);
      return [
        ...subagents,
        ...session.turns.map((turn, index) => new TurnNode(this, this.folder, session, turn, index + 1, turn.requestId === this.session.staleTurn)),
      ];
    } catch (error) {
      return [MessageNode.forError(this, this.folder, error)];
    }
  }
}
