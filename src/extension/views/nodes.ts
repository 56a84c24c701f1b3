import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentSession, Turn } from '../../core/agent/model';
import type { SessionHistoryItem } from '../../core/agent/sessions';
import { describeError, isSessionLogError } from '../../core/errors';
import type { Session } from '../../core/model/session';
import type { ResolvedEntry } from '../../core/context/resolve';
import type { SearchHit } from '../../core/usecases/search';
import type { FolderContext } from '../folders';
import { isMissingContext, type FolderState, type PageKind, type SessionsModel } from './model';
import { loadMore as loadMoreCommand } from '../commands/sessions/loadMore';
import { open as openCommand } from '../commands/sessions/open';
import { createKbContext as createKbContextCommand } from '../commands/createKbContext';

/** Where a node opens: a file and a 1-based line (0 for the top). */
export interface Target {
  uri: vscode.Uri;
  line: number;
  /** For agent turns: the line is found when opening, by the turn's heading. */
  turnNumber?: number;
}

/** One kind of row in the Sessions view. Nodes carry data only; the model is read in `children`. */
export abstract class Node {
  abstract readonly id: string;
  constructor(readonly parent: Node | undefined) {}
  abstract item(): vscode.TreeItem;
  async children(_model: SessionsModel): Promise<Node[]> {
    return [];
  }
}

const icon = (id: string, color?: string) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const ICONS = {
  inProgress: icon('sync~spin', 'charts.blue'),
  completed: icon('pass', 'testing.iconPassed'),
  failed: icon('error', 'testing.iconFailed'),
  stale: icon('warning', 'list.warningForeground'),
};

function firstLine(text: string, max = 80): string {
  const line =
    text
      .split('\n')
      .find((candidate) => candidate.trim() !== '')
      ?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

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

export class EntryNode extends Node {
  readonly id: string;
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly entry: ResolvedEntry,
    private readonly state: FolderState,
  ) {
    super(parent);
    this.id = `entry:${folder.key}:${entry.entryPath}`;
  }

  get target(): Target {
    return { uri: this.folder.uriOf(this.entry.entryPath), line: 0 };
  }

  item(): vscode.TreeItem {
    const total = this.state.history?.totalCount ?? 0;
    const item = new vscode.TreeItem(this.entry.relativePath, total > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('book');
    item.description = total === 1 ? '1 session' : `${total} sessions`;
    item.contextValue = 'entry';
    item.resourceUri = this.target.uri;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**Session entry** ');
    tooltip.appendText(this.entry.relativePath);
    tooltip.appendMarkdown('\n\nKnowledge base: ');
    tooltip.appendText(this.entry.kbRoot);
    tooltip.appendMarkdown('\n\nChosen by: ');
    tooltip.appendText(this.entry.contextSource + (this.entry.context ? ` in ${this.entry.context.file}` : ''));
    item.tooltip = tooltip;
    item.command = { command: openCommand.id, title: 'Open', arguments: [this] };
    return item;
  }

  override async children(): Promise<Node[]> {
    const history = this.state.history;
    if (!history) return [];
    const nodes: Node[] = history.sessions.map((session) => new SessionNode(this, this.folder, this.entry, session));
    if (history.totalCount > history.sessions.length) nodes.push(new MoreNode(this, this.folder, 'sessions', history.sessions.length, history.totalCount));
    return nodes;
  }
}

export class SessionNode extends Node {
  readonly id: string;
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly entry: ResolvedEntry,
    readonly session: Session,
  ) {
    super(parent);
    // The n-th section stays the n-th: entries only grow at the end.
    this.id = `session:${folder.key}:${entry.entryPath}#${session.index}`;
  }

  get target(): Target {
    return { uri: this.folder.uriOf(this.entry.entryPath), line: this.session.startLine };
  }

  item(): vscode.TreeItem {
    const { session } = this;
    const item = new vscode.TreeItem(firstLine(session.message) || session.heading, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const open = session.followUps.filter((followUp) => !followUp.done).length;
    item.iconPath = new vscode.ThemeIcon(open > 0 ? 'checklist' : 'note');
    item.description = [session.heading, ...session.tags.map((tag) => `#${tag}`)].join('  ');
    item.contextValue = 'session';
    item.tooltip = sessionTooltip(session);
    item.command = { command: openCommand.id, title: 'Open', arguments: [this] };
    item.accessibilityInformation = { label: `${session.heading}: ${firstLine(session.message, 200)}` };
    return item;
  }
}

function sessionTooltip(session: Session): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown('$(note) **');
  tooltip.appendText(session.heading);
  tooltip.appendMarkdown('**');
  if (session.tags.length > 0) tooltip.appendMarkdown(` · ${session.tags.map((tag) => `\`#${tag.replace(/`/g, '')}\``).join(' ')}`);
  tooltip.appendMarkdown('\n\n');
  tooltip.appendText(session.message.length > 1200 ? `${session.message.slice(0, 1200)}…` : session.message);
  const list = (title: string, items: string[]) => {
    if (items.length === 0) return;
    tooltip.appendMarkdown(`\n\n**${title}**\n`);
    for (const text of items.slice(0, 12)) {
      tooltip.appendMarkdown('\n- ');
      tooltip.appendText(text);
    }
    if (items.length > 12) tooltip.appendMarkdown(`\n- … ${items.length - 12} more`);
  };
  list('Files modified', session.files);
  list(
    'Decisions',
    session.decisions.map(({ decision, rationale }) => (rationale ? `${decision} — ${rationale}` : decision)),
  );
  list(
    'Follow-ups',
    session.followUps.map(({ text, done }) => `${done ? '☑' : '☐'} ${text}`),
  );
  if (session.next) {
    tooltip.appendMarkdown('\n\n**Next session**\n\n');
    tooltip.appendText(session.next);
  }
  if (session.links.length > 0) {
    tooltip.appendMarkdown('\n\n**Related** ');
    tooltip.appendText(session.links.join(', '));
  }
  return tooltip;
}

export class MoreNode extends Node {
  readonly id: string;
  /** `total` is left out where it is not known (All Projects). */
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly kind: PageKind,
    private readonly shown: number,
    private readonly total?: number,
  ) {
    super(parent);
    this.id = `more:${kind}:${folder.key}`;
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.total === undefined ? `${this.shown} shown` : `${this.shown} of ${this.total}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'more';
    item.command = { command: loadMoreCommand.id, title: 'Load More', arguments: [this] };
    return item;
  }
}

/** Sessions of every project of the knowledge base, newest first, narrowed by a filter (Filter All Projects). */
export class AllProjectsNode extends Node {
  readonly id: string;
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    readonly filter: string,
  ) {
    super(parent);
    this.id = `allProjects:${folder.key}`;
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem('All projects', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
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

/** A session found across the knowledge base: its project, time and snippet; opens at its line. */
export class HitNode extends Node {
  readonly id: string;
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    private readonly kbRoot: string,
    readonly hit: SearchHit,
  ) {
    super(parent);
    this.id = `hit:${folder.key}:${hit.path}:${hit.line}`;
  }

  get target(): Target {
    return { uri: this.folder.uriOf(path.posix.join(this.kbRoot, this.hit.path)), line: this.hit.line };
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.hit.heading || path.posix.basename(this.hit.path), vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.hit.agent ? 'robot' : 'note');
    item.description = `${path.posix.basename(this.hit.project) || '(root)'} · ${firstLine(this.hit.snippet, 70)}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${this.hit.path}:${this.hit.line}`);
    if (this.hit.tags.length) tooltip.appendMarkdown('\n\n').appendText(this.hit.tags.map((tag) => `#${tag}`).join(' '));
    tooltip.appendMarkdown('\n\n').appendText(this.hit.snippet);
    item.tooltip = tooltip;
    item.contextValue = 'searchHit';
    item.command = { command: 'sessionlog.sessions.open', title: 'Open', arguments: [this] };
    return item;
  }
}

export class AgentsNode extends Node {
  readonly id: string;
  constructor(
    parent: Node | undefined,
    readonly folder: FolderContext,
    private readonly state: FolderState,
  ) {
    super(parent);
    this.id = `agents:${folder.key}`;
  }

  item(): vscode.TreeItem {
    const agents = this.state.agents!;
    const item = new vscode.TreeItem('Agent sessions', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
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

export class AgentSessionNode extends Node {
  readonly id: string;
  constructor(
    parent: Node,
    readonly folder: FolderContext,
    readonly session: SessionHistoryItem,
    private readonly kbRoot: string,
    /** Subagent sessions by parent session id, for the rows under this one. */
    private readonly subagents: ReadonlyMap<string, SessionHistoryItem[]> = new Map(),
  ) {
    super(parent);
    this.id = `agent:${folder.key}:${session.sessionId}`;
  }

  get target(): Target {
    return { uri: this.folder.uriOf(path.posix.join(this.kbRoot, this.session.path)), line: 0 };
  }

  get stale(): boolean {
    return !!this.session.staleTurn;
  }

  item(): vscode.TreeItem {
    const { session } = this;
    const nested = this.subagents.get(session.sessionId)?.length ?? 0;
    const item = new vscode.TreeItem(
      session.title,
      session.turnCount > 0 || nested > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    const state = session.status === 'completed' ? 'closed' : this.stale ? 'open:stale' : 'open';
    item.contextValue = `agentSession:${state}`;
    item.iconPath = session.status === 'completed' ? ICONS.completed : this.stale ? ICONS.stale : ICONS.inProgress;
    const status = session.status === 'completed' ? 'completed' : this.stale ? 'stale turn' : 'in progress';
    item.description =
      `${session.agent}${session.parentSessionId ? ' subagent' : ''} · ${status} · ${session.turnCount} turn${session.turnCount === 1 ? '' : 's'}` +
      `${nested > 0 ? ` · ${nested} subagent${nested === 1 ? '' : 's'}` : ''}`;
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
    item.command = { command: openCommand.id, title: 'Open', arguments: [this] };
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

export class TurnNode extends Node {
  readonly id: string;
  constructor(
    readonly parentSession: AgentSessionNode,
    readonly folder: FolderContext,
    readonly session: AgentSession,
    readonly turn: Turn,
    readonly number: number,
    readonly stale: boolean,
  ) {
    super(parentSession);
    this.id = `turn:${folder.key}:${session.sessionId}:${turn.requestId}`;
  }

  get target(): Target {
    return { ...this.parentSession.target, turnNumber: this.number };
  }

  item(): vscode.TreeItem {
    const { turn } = this;
    const item = new vscode.TreeItem(`${this.number}. ${turn.queryTitle}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
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
    item.command = { command: openCommand.id, title: 'Open', arguments: [this] };
    return item;
  }
}

/** A row that explains something (an error, an empty folder) and offers the way out. */
class MessageNode extends Node {
  constructor(
    parent: Node | undefined,
    readonly id: string,
    private readonly label: string,
    private readonly icon: string,
    private readonly command?: vscode.Command,
    private readonly tooltip?: string,
  ) {
    super(parent);
  }

  static forError(parent: Node | undefined, folder: FolderContext, error: unknown, index = 0): MessageNode {
    const id = `message:${folder.key}:${index}`;
    if (isMissingContext(error)) {
      return new MessageNode(
        parent,
        id,
        'No .kbcontext: create one…',
        'info',
        { command: createKbContextCommand.id, title: 'Create .kbcontext', arguments: [folder.uri] },
        describeError(error),
      );
    }
    const text = isSessionLogError(error) ? `${error.message}${error.hint ? ` ${error.hint}` : ''}` : describeError(error);
    return new MessageNode(parent, id, firstLine(describeError(error), 120), 'error', undefined, text);
  }

  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon(this.icon, this.icon === 'error' ? new vscode.ThemeColor('list.errorForeground') : undefined);
    item.contextValue = 'message';
    if (this.tooltip) item.tooltip = this.tooltip;
    if (this.command) item.command = this.command;
    return item;
  }
}

/** A tooltip's `- Label: value` lines, the values as plain text; rows without a value are left out. */
function appendRows(tooltip: vscode.MarkdownString, rows: [string, string | undefined][]): void {
  for (const [label, value] of rows) {
    if (!value) continue;
    tooltip.appendMarkdown(`- ${label}: `);
    tooltip.appendText(value);
    tooltip.appendMarkdown('\n');
  }
}
