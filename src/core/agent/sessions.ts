import * as path from 'node:path';
import { loadWorkspace, resolveEntry, type WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import { codeSpan, normalizeItem } from '../format/escape';
import { compactTime, isoSeconds } from '../model/time';
import { cleanTags } from '../model/validate';
import type { Clock, Deps } from '../ports';
import { withLock } from '../storage/lock';
import { appendInPlace, readCommitted } from '../storage/entryFile';
import { listMarkdownFiles } from '../usecases/readEntries';
import { confirmInKb } from '../context/paths';
import {
  applyEvent,
  byteLength,
  parseAgentSession,
  parseLastTurn,
  readSummary,
  renderClosing,
  renderEvent,
  renderNewSession,
  renderSummary,
  union,
  type TurnEvent,
} from './format';
import {
  timeFilter,
  type AppendActionsInput,
  type AppendDialogInput,
  type BeginTurnInput,
  type CloseSessionInput,
  type CompleteTurnInput,
  type FailTurnInput,
  type HistoryQuery,
  type HistoryStatus,
  type OpenSessionInput,
  type SessionPageQuery,
  type SessionRef,
  type TurnRef,
  type UpdateTurnInput,
} from './inputs';
import {
  FILE_ACTION_TYPES,
  SESSION_ID,
  idTime,
  requireSessionId,
  slug,
  type Action,
  type AgentSession,
  type AgentSessionSummary,
  type DialogItem,
  type Turn,
} from './model';

/** Where agent sessions live: `agent-sessions/` beside the project's session entry. */
export const AGENT_FOLDER = 'agent-sessions';
const HEAD_READ_BYTES = 16 * 1024;
const HEAD_PADDING = 512;
const DEFAULT_STALE_MINUTES = 30;
/** getSession's page: 20 turns, within about 20k tokens (Claude Code caps a tool's output at 25k). */
const DEFAULT_TURN_PAGE = 20;
const DEFAULT_MAX_TOKENS = 20_000;
const MAX_FILES_SHOWN = 200;

export interface SessionHistoryItem extends Omit<AgentSessionSummary, 'filesModified' | 'currentTurn'> {
  filesModifiedCount: number;
  /** The entry's path relative to the knowledge-base root. */
  path: string;
  /** A turn still in progress past the stale limit (its agent probably crashed). */
  staleTurn?: string;
}

/** One page of a session, as getSession answers it. */
export interface SessionPage extends Omit<AgentSession, 'turns'> {
  path: string;
  staleTurn?: string;
  filesModifiedCount: number;
  order: 'newest' | 'oldest';
  offset: number;
  limit: number;
  turns: Turn[];
  returned: number;
  /** Turns past this page, or texts clipped: `note` says what and how to read on. */
  truncated: boolean;
  nextOffset?: number;
  note: string;
}

export interface AgentSessionsOptions extends WorkspaceOptions {
  /** A turn in progress with no change for this long is reported as stale. */
  staleAfterMinutes?: number;
  /** The clock events are stamped with (a transcript import gives the transcript's times); locks keep the real one. */
  eventClock?: Clock;
}

/**
 * The agent session-log workflow on the knowledge base: sessions, turns and their strict state
 * machine (in_progress -> completed | failed, terminal states immutable). Every call may name
 * its session and turn, and then depends on nothing remembered here (a hook in a fresh process
 * works as a long-lived connection does). As a convenience one instance per connection
 * remembers the sessions it opened: with exactly one still open, `sessionId` may be left out.
 * Its inputs are typed: a front end decodes the params it received first (`./inputs`).
 */
export class AgentSessions {
  /** Sessions opened (or resumed) through this instance and not closed through it, oldest first. */
  private readonly opened = new Set<string>();

  constructor(
    private readonly deps: Deps,
    private readonly options: AgentSessionsOptions = {},
  ) {}

  /** The session calls without `sessionId` go to: the one open on this connection, if exactly one is. */
  get currentSession(): string | undefined {
    return this.opened.size === 1 ? [...this.opened][0] : undefined;
  }

  /** The stale limit this instance reports with, for use cases that read agent sessions on its behalf. */
  staleOptions(): { staleAfterMinutes?: number } {
    return this.options.staleAfterMinutes === undefined ? {} : { staleAfterMinutes: this.options.staleAfterMinutes };
  }

  /** The sessions folder, refused (path_outside_kb) when it is a link leading outside the knowledge base. */
  async folder(): Promise<{ kbRoot: string; dir: string }> {
    const workspace = await loadWorkspace(this.deps, this.options);
    const entry = await resolveEntry(this.deps, workspace);
    const dir = path.posix.join(path.posix.dirname(entry.entryPath), AGENT_FOLDER);
    await confirmInKb(this.deps.fs, workspace.kbRoot, dir, 'agent sessions folder');
    return { kbRoot: workspace.kbRoot, dir };
  }

  private async fileOf(sessionId: string): Promise<{ file: string; kbRoot: string }> {
    const { kbRoot, dir } = await this.folder();
    const file = path.posix.join(dir, `${sessionId}.md`);
    await confirmInKb(this.deps.fs, kbRoot, file, 'agent session file');
    return { file, kbRoot };
  }

  private eventNow(): Date {
    return (this.options.eventClock ?? this.deps.clock).now();
  }

  private now(): string {
    return isoSeconds(this.eventNow());
  }

  /** Idempotent: checks that the knowledge base resolves and makes the sessions folder. */
  async bootstrap(): Promise<{ initialized: true; knowledgeBase: string; sessionsFolder: string }> {
    const { kbRoot, dir } = await this.folder();
    await this.deps.fs.mkdirp(dir);
    await confirmInKb(this.deps.fs, kbRoot, dir, 'agent sessions folder');
    return { initialized: true, knowledgeBase: kbRoot, sessionsFolder: path.posix.relative(kbRoot, dir) };
  }

  async openSession(input: OpenSessionInput): Promise<{ sessionId: string; started: string; resumed: boolean; path: string }> {
    const { agent, parentSessionId: parent, model } = input;
    // Checked again though decoded: the id becomes a file name, and typed callers skip the decoders.
    const given = input.sessionId === undefined ? undefined : requireSessionId(input.sessionId);
    const title = normalizeItem(input.title);
    const now = this.eventNow();
    const generated = given === undefined;
    const base = given ?? `${agent}-${compactTime(now)}-${slug(title, 'session')}`;
    if (!base.startsWith(`${agent}-`)) {
      throw new SessionLogError(
        'invalid_session_id',
        `sessionId '${base}' does not start with the agent name '${agent}-'.`,
        { sessionId: base, agent },
        `Start the session id with the agent, e.g. ${agent}-${compactTime(now)}-${slug(title, 'session')}.`,
      );
    }
    const started = this.now();
    const { dir, kbRoot } = await this.folder();
    await this.deps.fs.mkdirp(dir);
    await confirmInKb(this.deps.fs, kbRoot, dir, 'agent sessions folder');
    // A generated id taken already (the same title in the same second) gets the first free
    // ordinal: -2, -3, ... Each try is under that file's lock, so two openers never share one.
    for (let ordinal = 1; ; ordinal++) {
      const sessionId = ordinal === 1 ? base : `${base}-${ordinal}`;
      const file = path.posix.join(dir, `${sessionId}.md`);
      const summary: AgentSessionSummary = {
        agent,
        sessionId,
        title,
        ...(model ? { model: normalizeItem(model) } : {}),
        ...(parent ? { parentSessionId: parent } : {}),
        started,
        lastUpdated: started,
        status: 'in_progress',
        turnCount: 0,
        filesModified: [],
        tags: [],
      };
      const created = await withLock(this.deps, file, async () => {
        // Under the lock: a link swapped in since the folder was checked is never written through.
        await confirmInKb(this.deps.fs, kbRoot, file, 'agent session file');
        if (await this.deps.fs.stat(file)) return false;
        await this.deps.fs.writeAtomic(file, renderNewSession(summary, HEAD_PADDING));
        return true;
      });
      if (!created && generated) continue;
      if (!created && input.resume !== true) {
        throw new SessionLogError(
          'session_already_exists',
          `Session ${sessionId} already exists.`,
          { sessionId },
          'Choose a new session id, leave sessionId out to have one generated, or pass resume: true to continue this one.',
        );
      }
      this.opened.add(sessionId);
      const existing = created ? summary : (await this.readHead(file)).summary;
      return { sessionId, started: existing.started, resumed: !created, path: path.posix.relative(kbRoot, file) };
    }
  }

  /**
   * Begins a turn. A turn of the session still in progress (its agent was stopped, or never
   * said how it ended) is superseded first: it ends failed with errorCode `superseded`, in the
   * same write, so an abandoned turn never blocks the next one.
   */
  async beginTurn(input: BeginTurnInput): Promise<{ turnRequestId: string; status: 'in_progress'; timestamp: string; sessionId: string; superseded?: string }> {
    const queryTitle = normalizeItem(input.queryTitle);
    const queryText = (input.queryText ?? '').replace(/\r\n?/g, '\n');
    const at = this.now();
    const generated = input.requestId === undefined;
    const base = input.requestId ?? `req-${compactTime(this.eventNow())}-${slug(queryTitle, 'turn')}`;
    let requestId = base;
    let superseded: string | undefined;
    const sessionId = await this.mutate(input, async (summary, view) => {
      if (summary.status === 'completed') {
        throw new SessionLogError(
          'session_not_found',
          `Session ${summary.sessionId} is closed.`,
          { sessionId: summary.sessionId },
          'Open a new session with openSession.',
        );
      }
      // A generated id already used in this session (the same title within a second) takes the first free ordinal.
      for (let ordinal = 2; generated && (await view.hasTurn(requestId)); ordinal++) requestId = `${base}-${ordinal}`;
      if (await view.hasTurn(requestId)) {
        throw new SessionLogError(
          'turn_already_exists',
          `A turn with request id ${requestId} already exists in ${summary.sessionId}.`,
          { turnRequestId: requestId, file: view.file },
          'Use a new request id: req-<yyyyMMddTHHmmssZ>-<slug>, or leave requestId out to have one generated.',
        );
      }
      superseded = summary.currentTurn?.status === 'in_progress' ? summary.currentTurn.requestId : undefined;
      const failure = superseded
        ? renderEvent(
            {
              kind: 'fail',
              at,
              errorCode: 'superseded',
              errorMessage: `Superseded by turn ${requestId}: it began while this turn was still in progress.`,
            },
            summary.turnCount,
          )
        : '';
      const next = { ...summary, turnCount: summary.turnCount + 1, lastUpdated: at, currentTurn: { requestId, status: 'in_progress' as const, updated: at } };
      return { summary: next, text: failure + renderEvent({ kind: 'begin', at, requestId, queryTitle, queryText }, next.turnCount) };
    });
    return { turnRequestId: requestId, status: 'in_progress', timestamp: at, sessionId, ...(superseded ? { superseded } : {}) };
  }

  async updateTurn(input: UpdateTurnInput): Promise<{ turnRequestId: string; status: 'in_progress'; updated: string }> {
    const { interpretation, response, tokenCount } = input;
    const event: TurnEvent = {
      kind: 'update',
      at: '',
      ...(interpretation !== undefined ? { interpretation: interpretation.replace(/\r\n?/g, '\n') } : {}),
      ...(response !== undefined ? { response: response.replace(/\r\n?/g, '\n') } : {}),
      ...(tokenCount !== undefined ? { tokenCount } : {}),
      tags: turnTags(input.tags ?? []),
      contextList: cleanList(input.contextList ?? []),
    };
    const turn = await this.turnEvent(input, event);
    return { turnRequestId: turn.requestId, status: 'in_progress', updated: turn.updated };
  }

  async appendDialog(input: AppendDialogInput): Promise<{ turnRequestId: string; appended: number; dialogCount: number }> {
    const items: DialogItem[] = input.dialogItems.map((item) => ({
      timestamp: item.timestamp ?? this.now(),
      role: item.role,
      content: item.content.replace(/\r\n?/g, '\n'),
      category: item.category,
    }));
    const turn = await this.turnEvent(input, { kind: 'dialog', at: '', items });
    return { turnRequestId: turn.requestId, appended: items.length, dialogCount: turn.dialog.length };
  }

  async appendActions(input: AppendActionsInput): Promise<{ turnRequestId: string; appended: number; actionCount: number }> {
    const actions: Action[] = input.actions.map((item, index) => ({
      order: item.order ?? index + 1,
      description: normalizeItem(item.description),
      type: item.type,
      status: item.status ?? 'completed',
      filePath: normalizeItem(item.filePath ?? ''),
    }));
    const turn = await this.turnEvent(input, { kind: 'actions', at: '', actions });
    return { turnRequestId: turn.requestId, appended: actions.length, actionCount: turn.actions.length };
  }

  async completeTurn(input: CompleteTurnInput): Promise<{ turnRequestId: string; status: 'completed'; timestamp: string }> {
    const { response } = input;
    const turn = await this.turnEvent(input, { kind: 'complete', at: '', ...(response !== undefined ? { response: response.replace(/\r\n?/g, '\n') } : {}) });
    return { turnRequestId: turn.requestId, status: 'completed', timestamp: turn.updated };
  }

  async failTurn(input: FailTurnInput): Promise<{ turnRequestId: string; status: 'failed'; errorCode?: string; timestamp: string }> {
    const errorMessage = input.errorMessage.replace(/\r\n?/g, '\n');
    const errorCode = normalizeItem(input.errorCode ?? '');
    const turn = await this.turnEvent(input, { kind: 'fail', at: '', errorMessage, ...(errorCode ? { errorCode } : {}) });
    return { turnRequestId: turn.requestId, status: 'failed', ...(turn.errorCode ? { errorCode: turn.errorCode } : {}), timestamp: turn.updated };
  }

  /** Closes the session; a turn still in progress ends failed with errorCode `session_closed`, in the same write. */
  async closeSession(input: CloseSessionInput = {}): Promise<{ sessionId: string; status: 'completed'; lastUpdated: string; closedTurn?: string }> {
    const note = input.summary;
    const at = this.now();
    let closedTurn: string | undefined;
    const sessionId = await this.mutate(input, async (summary) => {
      if (summary.status === 'completed') {
        throw new SessionLogError(
          'session_not_found',
          `Session ${summary.sessionId} is already closed.`,
          { sessionId: summary.sessionId },
          'Open a new session with openSession.',
        );
      }
      closedTurn = summary.currentTurn?.status === 'in_progress' ? summary.currentTurn.requestId : undefined;
      const failure = closedTurn
        ? renderEvent(
            { kind: 'fail', at, errorCode: 'session_closed', errorMessage: 'The session was closed while this turn was still in progress.' },
            summary.turnCount,
          )
        : '';
      const currentTurn = closedTurn ? { currentTurn: { requestId: closedTurn, status: 'failed' as const, updated: at } } : {};
      return {
        summary: { ...summary, ...currentTurn, status: 'completed', lastUpdated: at },
        text: failure + renderClosing(at, note?.replace(/\r\n?/g, '\n')),
      };
    });
    this.opened.delete(sessionId);
    return { sessionId, status: 'completed', lastUpdated: at, ...(closedTurn ? { closedTurn } : {}) };
  }

  /**
   * Sessions newest first (by the time in their id), a page at a time. With no filter but
   * agent and until, only the page's frontmatter is read; the other filters read every
   * candidate's frontmatter, and text its whole file.
   */
  async queryHistory(query: HistoryQuery = {}): Promise<{ sessions: SessionHistoryItem[]; totalCount: number; offset: number; limit: number }> {
    const filter = historyFilter(query, this.deps.clock.now());
    const { limit = 10, offset = 0 } = query;
    const { kbRoot, dir } = await this.folder();
    const files =
      filter.scope === 'all'
        ? (await listMarkdownFiles(this.deps, kbRoot)).filter((file) => path.posix.basename(path.posix.dirname(file)) === AGENT_FOLDER)
        : (await this.deps.fs.list(dir)).filter((entry) => entry.isFile).map((entry) => path.posix.join(dir, entry.name));
    // Each id's time is taken once and compared as plain strings: the same order in every locale, and fast for thousands.
    const candidates = files
      .map((file) => ({ file, id: path.posix.basename(file, '.md'), time: '' }))
      .filter((item) => item.file.endsWith('.md') && SESSION_ID.test(item.id) && (!filter.agent || item.id.startsWith(`${filter.agent}-`)))
      .map((item) => ({ ...item, time: idTime(item.id) ?? '' }))
      .filter((item) => !filter.until || item.time <= filter.until)
      .sort((a, b) => (a.time === b.time ? (a.id < b.id ? 1 : a.id > b.id ? -1 : a.file < b.file ? 1 : -1) : a.time < b.time ? 1 : -1));
    const item = async (file: string): Promise<SessionHistoryItem> => this.historyItem((await this.readHead(file)).summary, path.posix.relative(kbRoot, file));
    if (!filter.needsHead) {
      const sessions = await Promise.all(candidates.slice(offset, offset + limit).map((candidate) => item(candidate.file)));
      return { sessions, totalCount: candidates.length, offset, limit };
    }
    const matching: SessionHistoryItem[] = [];
    for (const candidate of candidates) {
      const found = await item(candidate.file);
      if (await this.matches(found, candidate.file, filter)) matching.push(found);
    }
    return { sessions: matching.slice(offset, offset + limit), totalCount: matching.length, offset, limit };
  }

  private async matches(item: SessionHistoryItem, file: string, filter: HistoryFilter): Promise<boolean> {
    if (filter.since && item.lastUpdated < filter.since) return false;
    if (filter.status === 'stale' ? !item.staleTurn : filter.status && item.status !== filter.status) return false;
    if (filter.tag && !item.tags.some((tag) => tag.toLowerCase() === filter.tag)) return false;
    if (filter.model && !(item.model ?? '').toLowerCase().includes(filter.model)) return false;
    if (filter.words.length === 0) return true;
    const text = ((await readCommitted(this.deps, file)) ?? '').toLowerCase();
    return filter.words.every((word) => text.includes(word));
  }

  /** One whole session with every turn. */
  async getSession(ref: SessionRef = {}): Promise<AgentSession & { path: string; staleTurn?: string }> {
    const sessionId = this.sessionIdOf(ref);
    const { file, kbRoot } = await this.fileOf(sessionId);
    const text = await readCommitted(this.deps, file);
    if (text === undefined) throw notFound(sessionId);
    const session = parseAgentSession(text, file);
    const stale = this.staleTurn(session);
    return { ...session, path: path.posix.relative(kbRoot, file), ...(stale ? { staleTurn: stale } : {}) };
  }

  /**
   * A session for a model to read: its summary and a page of turns (newest first unless
   * order is "oldest"), never more than about maxTokens of JSON (a token taken as 4
   * characters). A turn too big on its own has its long texts clipped. What was left out is
   * said in `truncated` and `note`, with the offset that reads on.
   */
  async getSessionPage(query: SessionPageQuery = {}): Promise<SessionPage> {
    const { order = 'newest', limit = DEFAULT_TURN_PAGE, offset = 0, maxTokens = DEFAULT_MAX_TOKENS } = query;
    const { turns, filesModified, ...session } = await this.getSession(query);
    const ordered = order === 'newest' ? [...turns].reverse() : turns;
    const shownFiles = filesModified.slice(0, MAX_FILES_SHOWN);
    const head = { ...session, filesModified: shownFiles, filesModifiedCount: filesModified.length, order, offset, limit };
    const budget = maxTokens * 4 - JSON.stringify(head).length - 400;
    const page: Turn[] = [];
    let used = 0;
    let clipped = false;
    for (const turn of ordered.slice(offset, offset + limit)) {
      const size = JSON.stringify(turn).length;
      if (used + size <= budget) {
        page.push(turn);
        used += size;
        continue;
      }
      if (page.length === 0) {
        page.push(clipTurn(turn, budget));
        clipped = true;
      }
      break;
    }
    const nextOffset = offset + page.length;
    const more = nextOffset < ordered.length;
    const truncated = more || clipped || shownFiles.length < filesModified.length;
    const range = page.length ? `turns ${offset + 1}-${nextOffset} of ${ordered.length} (${order} first)` : `no turns past ${offset} of ${ordered.length}`;
    const notes = [
      `Showing ${range}.`,
      ...(more ? [`Call getSession with offset: ${nextOffset} for the rest.`] : []),
      ...(clipped ? ['Long texts of the turn shown were clipped to fit maxTokens; raise maxTokens to read them whole.'] : []),
      ...(shownFiles.length < filesModified.length ? [`filesModified lists ${shownFiles.length} of ${filesModified.length} files.`] : []),
    ];
    return { ...head, turns: page, returned: page.length, truncated, ...(more ? { nextOffset } : {}), note: notes.join(' ') };
  }

  private historyItem(summary: AgentSessionSummary, relative: string): SessionHistoryItem {
    const { filesModified, currentTurn, ...rest } = summary;
    const stale = this.staleTurn(summary);
    void currentTurn;
    return { ...rest, filesModifiedCount: filesModified.length, path: relative, ...(stale ? { staleTurn: stale } : {}) };
  }

  private staleTurn(summary: AgentSessionSummary): string | undefined {
    const turn = summary.currentTurn;
    if (turn?.status !== 'in_progress') return undefined;
    const minutes = this.options.staleAfterMinutes ?? DEFAULT_STALE_MINUTES;
    const age = this.deps.clock.now().getTime() - new Date(turn.updated).getTime();
    return age >= minutes * 60_000 ? turn.requestId : undefined;
  }

  private async readHead(file: string): Promise<{ summary: AgentSessionSummary; headLength: number }> {
    const head = new TextDecoder().decode(await this.deps.fs.readRange(file, 0, HEAD_READ_BYTES));
    try {
      return readSummary(head, file);
    } catch (error) {
      const text = await readCommitted(this.deps, file);
      if (text === undefined) throw error;
      return readSummary(text, file);
    }
  }

  private sessionIdOf(ref: SessionRef): string {
    // Checked again though decoded: the id becomes a file name, and typed callers skip the decoders.
    if (ref.sessionId !== undefined) return requireSessionId(ref.sessionId);
    const open = [...this.opened];
    if (open.length === 1) return open[0]!;
    if (open.length > 1) {
      throw new SessionLogError(
        'session_id_required',
        `sessionId is required: ${open.length} sessions are open on this connection (${open.join(', ')}).`,
        { openSessions: open },
        'Pass sessionId to say which session the call is for.',
      );
    }
    throw new SessionLogError('session_not_found', 'No active session.', {}, 'Call openSession first, or pass sessionId.');
  }

  /** An update, dialog, actions, complete or fail event for the session's current turn. */
  private async turnEvent(ref: TurnRef, event: Exclude<TurnEvent, { kind: 'begin' }>): Promise<Turn> {
    const requested = ref.turnRequestId;
    let result: Turn | undefined;
    await this.mutate(ref, async (summary, view) => {
      const at = this.now();
      const stamped = { ...event, at };
      const turn = summary.currentTurn ? await view.lastTurn() : undefined;
      if (!turn || (requested && turn.requestId !== requested && !(await view.hasTurn(String(requested))))) {
        throw new SessionLogError(
          'turn_not_found',
          requested ? `No turn ${String(requested)} in session ${summary.sessionId}.` : `Session ${summary.sessionId} has no turn yet.`,
          { sessionId: summary.sessionId, ...(requested ? { turnRequestId: requested } : {}) },
          'Call beginTurn first.',
        );
      }
      const target =
        requested && turn.requestId !== requested
          ? (parseAgentSession(await view.text(), view.file).turns.find((candidate) => candidate.requestId === requested) ?? turn)
          : turn;
      if (target.status !== 'in_progress') {
        throw new SessionLogError(
          'turn_immutable',
          `Turn is immutable (status: ${target.status})`,
          { turnRequestId: target.requestId, currentStatus: target.status },
          'Begin a new turn instead',
        );
      }
      // The reader's own fold, so what we answer is what a later read will see.
      result = applyEvent(structuredClone(turn), stamped);
      const filesModified =
        stamped.kind === 'actions'
          ? union(
              summary.filesModified,
              stamped.actions.filter((a) => a.filePath && FILE_ACTION_TYPES.includes(a.type)).map((a) => a.filePath),
            )
          : summary.filesModified;
      const tags = stamped.kind === 'update' ? union(summary.tags, stamped.tags) : summary.tags;
      const next: AgentSessionSummary = {
        ...summary,
        lastUpdated: at,
        filesModified,
        tags,
        currentTurn: { requestId: turn.requestId, status: result.status, updated: at },
      };
      return { summary: next, text: renderEvent(stamped, summary.turnCount) };
    });
    return result!;
  }

  /**
   * The one write path for an existing session: under its lock, read its frontmatter, let
   * `change` decide (or throw, writing nothing), then append the new text and rewrite the
   * padded frontmatter in place. The lock records the old size and head, so a crash at any
   * point is undone. Only the head and the last turn are read, so a turn operation costs
   * about the same on a session's thousandth turn as on its first.
   */
  private async mutate(
    ref: SessionRef,
    change: (summary: AgentSessionSummary, view: SessionFileView) => Promise<{ summary: AgentSessionSummary; text: string }>,
  ): Promise<string> {
    const sessionId = this.sessionIdOf(ref);
    const { file, kbRoot } = await this.fileOf(sessionId);
    await withLock(this.deps, file, async (lock) => {
      await confirmInKb(this.deps.fs, kbRoot, file, 'agent session file');
      const view = await SessionFileView.open(this.deps, file);
      if (!view) throw notFound(sessionId);
      const { summary: next, text: addition } = await change(view.summary, view);
      const head = renderSummary(next, view.headLength, view.extra);
      if (
        byteLength(head) === view.headLength &&
        (await appendInPlace(this.deps, lock, file, kbRoot, { size: view.size, addition, head: { before: view.head, after: head } }))
      ) {
        return;
      }
      // A head that outgrew its padding, or a file with other names (hard links): replaced whole.
      const body = (await view.text()).slice(view.head.length);
      const padTo =
        byteLength(head) === view.headLength
          ? view.headLength
          : byteLength(renderSummary(next, undefined, view.extra)) + HEAD_PADDING + Math.floor(view.headLength / 2);
      await this.deps.fs.writeAtomic(file, renderSummary(next, padTo, view.extra) + body + addition);
    });
    return sessionId;
  }
}

const TAIL_READ_BYTES = 64 * 1024;
const TURN_MARK = '\n## Turn ';

/**
 * A session file as a write under its lock sees it: the frontmatter read at once, and the
 * last turn, a request id search or the whole text only when asked for.
 */
class SessionFileView {
  private whole: string | undefined;

  private constructor(
    private readonly deps: Pick<Deps, 'fs'>,
    readonly file: string,
    readonly size: number,
    readonly summary: AgentSessionSummary,
    /** The frontmatter block as text, and its length in bytes. */
    readonly head: string,
    readonly headLength: number,
    /** Frontmatter keys the summary does not know: written back as they are. */
    readonly extra: Record<string, unknown>,
  ) {}

  static async open(deps: Pick<Deps, 'fs'>, file: string): Promise<SessionFileView | undefined> {
    const stat = await deps.fs.stat(file);
    if (!stat?.isFile) return undefined;
    let text = decoder.decode(await deps.fs.readRange(file, 0, HEAD_READ_BYTES));
    let whole: string | undefined;
    let read: ReturnType<typeof readSummary>;
    try {
      read = readSummary(text, file);
    } catch (error) {
      if (stat.size <= HEAD_READ_BYTES) throw error;
      // A frontmatter longer than the first read (a great many files modified).
      whole = text = (await deps.fs.readText(file)) ?? '';
      read = readSummary(text, file);
    }
    const view = new SessionFileView(deps, file, stat.size, read.summary, text.slice(0, read.headEnd), read.headLength, read.extra);
    view.whole = whole;
    return view;
  }

  async text(): Promise<string> {
    this.whole ??= (await this.deps.fs.readText(this.file)) ?? '';
    return this.whole;
  }

  /** The last turn, read from the end of the file in growing steps until its heading is in view. */
  async lastTurn(): Promise<Turn | undefined> {
    if (this.whole !== undefined) return parseLastTurn(this.whole, this.file);
    for (let length = TAIL_READ_BYTES; ; length *= 4) {
      const start = Math.max(this.headLength, this.size - length);
      // A character cut at `start` decodes to U+FFFD, before the heading looked for.
      const tail = decoder.decode(await this.deps.fs.readRange(this.file, start, this.size - start));
      if (tail.includes(TURN_MARK)) {
        try {
          return parseLastTurn(tail, this.file);
        } catch {
          // Read it again from the whole text, for an error that names the right line.
          return parseLastTurn(await this.text(), this.file);
        }
      }
      if (start === this.headLength) return undefined;
    }
  }

  /**
   * Whether a turn with this request id exists: its `- Request:` line starts a line, which no
   * quoted text can (every line of it starts with `>`). Searched in the file's bytes (the
   * pattern is ASCII, which UTF-8 never produces inside another character).
   */
  async hasTurn(requestId: string): Promise<boolean> {
    const pattern = encoder.encode(`\n- Request: ${codeSpan(requestId)}\n`);
    const bytes = this.whole !== undefined ? encoder.encode(this.whole) : await this.deps.fs.readRange(this.file, 0, this.size);
    return indexOfBytes(bytes, pattern) !== -1;
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Where `pattern` first occurs in `bytes`, or -1; anchored on its rarest-looking byte, the backtick. */
function indexOfBytes(bytes: Uint8Array, pattern: Uint8Array): number {
  const anchor = Math.max(0, pattern.indexOf(0x60));
  const first = pattern[anchor]!;
  for (let at = bytes.indexOf(first, anchor); at !== -1; at = bytes.indexOf(first, at + 1)) {
    const start = at - anchor;
    if (start + pattern.length > bytes.length) return -1;
    let k = 0;
    while (k < pattern.length && bytes[start + k] === pattern[k]) k++;
    if (k === pattern.length) return start;
  }
  return -1;
}

/** The parsed agent session when an entry's text is one (frontmatter `type: agent-session`), else undefined. */
export function agentSessionOf(text: string, file: string): AgentSession | undefined {
  try {
    readSummary(text, file);
  } catch {
    return undefined;
  }
  return parseAgentSession(text, file);
}

/** Tags as the protocol reports bad ones: invalid_parameter. */
function turnTags(tags: string[]): string[] {
  try {
    return cleanTags(tags, 'tags');
  } catch (error) {
    if (error instanceof SessionLogError) {
      throw new SessionLogError('invalid_parameter', error.message, error.details, 'Use letters, digits, - _ / or . in tags, e.g. ["feature", "FR-AUTH-001"].');
    }
    throw error;
  }
}

function cleanList(items: string[]): string[] {
  return union([], items.map(normalizeItem).filter(Boolean));
}

/** A turn cut down to about `budget` characters of JSON: long texts clipped first, then the oldest dialog and actions left out. */
function clipTurn(turn: Turn, budget: number): Turn {
  const clip = (text: string | undefined, max: number): string | undefined =>
    text === undefined || text.length <= max ? text : `${text.slice(0, max)}… [clipped: ${text.length - max} more characters]`;
  const clipped: Turn = structuredClone(turn);
  for (const max of [4000, 1000, 300]) {
    clipped.queryText = clip(turn.queryText, max)!;
    for (const key of ['interpretation', 'response', 'errorMessage'] as const) if (turn[key] !== undefined) clipped[key] = clip(turn[key], max);
    clipped.dialog = turn.dialog.map((item) => ({ ...item, content: clip(item.content, max)! }));
    if (JSON.stringify(clipped).length <= budget) return clipped;
  }
  while (JSON.stringify(clipped).length > budget && (clipped.dialog.length > 0 || clipped.actions.length > 0)) {
    if (clipped.dialog.length >= clipped.actions.length) clipped.dialog.shift();
    else clipped.actions.shift();
  }
  return clipped;
}

interface HistoryFilter {
  agent?: string;
  /** ISO times to the second, compared as strings. */
  since?: string;
  until?: string;
  status?: HistoryStatus;
  tag?: string;
  model?: string;
  words: string[];
  scope: 'project' | 'all';
  /** Whether any filter needs a session's frontmatter (or more). */
  needsHead: boolean;
}

function historyFilter(query: HistoryQuery, now: Date): HistoryFilter {
  const { agent, status } = query;
  const since = query.since === undefined ? undefined : timeFilter(query.since, 'since', now, false);
  const until = query.until === undefined ? undefined : timeFilter(query.until, 'until', now, true);
  const tag = query.tag?.trim().replace(/^#/, '').toLowerCase();
  const model = query.model?.trim().toLowerCase();
  const words = (query.text ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const scope = query.scope ?? 'project';
  return {
    ...(agent ? { agent } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(status ? { status } : {}),
    ...(tag ? { tag } : {}),
    ...(model ? { model } : {}),
    words,
    scope,
    needsHead: !!(since || status || tag || model || words.length),
  };
}

function notFound(sessionId: string): SessionLogError {
  return new SessionLogError(
    'session_not_found',
    `Session ${sessionId} does not exist.`,
    { sessionId },
    'Call openSession first, or check the session id (queryHistory lists them).',
  );
}
