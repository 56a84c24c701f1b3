import * as vscode from 'vscode';
import type { SessionHistoryItem } from '../../../core/agent/sessions';
import type { FolderContext } from '../../folders';
import type { FolderState } from '../model';
import { AgentSessionNode } from './agentSession';
import { MoreNode } from './more';
import { Node } from './node';

/** The group of the project's agent sessions, a page at a time. */
export class AgentsNode extends Node {
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    private readonly state: FolderState,
  ) {
    super(parent, `agents:${folder.key}`);
  }

  item(): vscode.TreeItem {
    const agents = this.state.agents!;
    const item = this.treeItem('Agent sessions', vscode.TreeItemCollapsibleState.Expanded);
    item.iconPath = new vscode.ThemeIcon('robot');
    const running = agents.sessions.filter((session) => session.status === 'in_progress').length;
    item.description = `${agents.totalCount}${running > 0 ? ` · ${running} in progress` : ''}`;
    item.contextValue = 'agentSessions';
    return item;
  }

  override async children(): Promise<Node[]> {
    const agents = this.state.agents!;
    const kbRoot = this.state.resolution.workspace!.kbRoot;
    // A subagent's session goes under its parent's when the parent is on the page.
    const shown = new Set(agents.sessions.map((session) => session.sessionId));
    const children = new Map<string, SessionHistoryItem[]>();
    for (const session of agents.sessions) {
      if (session.parentSessionId && shown.has(session.parentSessionId)) {
        children.set(session.parentSessionId, [...(children.get(session.parentSessionId) ?? []), session]);
      }
    }
    const nodes: Node[] = agents.sessions
      .filter((session) => !(session.parentSessionId && shown.has(session.parentSessionId)))
      .map((session) => new AgentSessionNode(this, this.folder, session, kbRoot, children));
    if (agents.totalCount > agents.sessions.length) nodes.push(new MoreNode(this, this.folder, 'agents', agents.sessions.length, agents.totalCount));
    return nodes;
  }
}
