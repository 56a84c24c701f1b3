import type { WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import type { Decision } from '../model/session';
import type { Deps } from '../ports';
import { redactDeep } from '../model/redact';
import { logSession } from '../usecases/logSession';
import { SEARCH_KINDS } from '../search/query';
import { searchSessions } from '../usecases/search';
import { ADR_STATUSES, listDecisions, recordDecision } from '../usecases/decisions';
import { listFollowUps, markFollowUp } from '../usecases/followUps';
import { sessionHistory } from '../usecases/history';
import { renderResume, resumeContext } from '../usecases/resume';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  DIALOG_CATEGORIES,
  DIALOG_ROLES,
  invalidParameter,
  optionalStrings,
  optionalText,
  refuseUnknownFields,
  requireOneOf,
  requireText,
} from './model';
import {
  HISTORY_STATUSES,
  decodeAppendActions,
  decodeAppendDialog,
  decodeBeginTurn,
  decodeCloseSession,
  decodeCompleteTurn,
  decodeFailTurn,
  decodeHistoryQuery,
  decodeOpenSession,
  decodeSessionPageQuery,
  decodeUpdateTurn,
  optionalWholeNumber,
  timeFilter,
} from './inputs';
import type { AgentSessions } from './sessions';
import { plural } from '../format/escape';

/**
 * The agent protocol's operations in one table, shared by every front end that speaks it
 * (the MCP server's `sessionlog_<name>` tools and the REPL's `workflow.sessionlog.<name>`
 * methods), so both validate, answer and fail the same way. Each operation carries the JSON
 * Schema of its params (what a model reads to call it right), runs against the core and
 * says in one sentence what it did.
 */

/** A JSON Schema, as plain data. */
export type JsonSchema = Record<string, unknown>;

export interface OperationSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties: false;
}

/** What an operation runs against: one per connection, so `sessionId` can default to the session it opened. */
export interface OperationContext {
  sessions: AgentSessions;
  deps: Deps;
  workspace: WorkspaceOptions;
  /** How writes go: secrets redacted (on unless false) and, for `log`, a backup and default tags, as the front end's settings say. */
  writeOptions?: { redact?: boolean; backup?: boolean; defaultTags?: string[] };
}

type Params = Record<string, unknown>;

export interface AgentOperation {
  name: string;
  title: string;
  description: string;
  params: OperationSchema;
  /** Reads only: never changes the knowledge base. */
  readOnly: boolean;
  /** Changes that repeat harmlessly (bootstrap). */
  idempotent?: boolean;
  /** Params accepted without being advertised (other names the protocol uses). */
  aliases?: Record<string, string>;
  run(context: OperationContext, params: Params): Promise<Record<string, unknown>>;
  summarize(result: Record<string, unknown>): string;
}

/** The envelope fields of a failure, as the protocol gives them. */
export interface ErrorEnvelope {
  code: string;
  message: string;
  details: Record<string, unknown>;
  hint?: string;
}

// ---------------------------------------------------------------- shared param schemas

const SESSION_ID_PATTERN = '^[A-Z][A-Za-z0-9]*-\\d{8}T\\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$';
const REQUEST_ID_PATTERN = '^req-\\d{8}T\\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$';

const sessionIdParam: JsonSchema = {
  type: 'string',
  pattern: SESSION_ID_PATTERN,
  description:
    'Optional. The session, as <Agent>-<yyyyMMddTHHmmssZ>-<suffix>: PascalCase agent, compact UTC time, lowercase kebab-case suffix, ' +
    'e.g. "Codex-20260409T120001Z-implement-auth". Pass it on every call where calls may come from separate processes (hooks) or several sessions ' +
    'share a connection; left out, the one session opened (openSession) on this connection is used, and with two open the call is refused (session_id_required).',
};

const turnRequestIdParam: JsonSchema = {
  type: 'string',
  pattern: REQUEST_ID_PATTERN,
  description:
    'Optional. The turn, as req-<yyyyMMddTHHmmssZ>-<slug>, e.g. "req-20260409T120002Z-add-jwt-001". ' +
    "Leave it out to use the session's current (last) turn.",
};

const text = (description: string): JsonSchema => ({ type: 'string', description });
const strings = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description });

const TURN_ALIASES = { requestId: 'turnRequestId' };

// ---------------------------------------------------------------- the operations

export const AGENT_OPERATIONS: readonly AgentOperation[] = [
  {
    name: 'bootstrap',
    title: 'Start session logging',
    description:
      'Initializes session logging for this workspace: checks that the knowledge base resolves and creates its agent-sessions folder. ' +
      'Idempotent; call it once per conversation before the other sessionlog operations.',
    params: schema({}),
    readOnly: false,
    idempotent: true,
    run: async ({ sessions }) => sessions.bootstrap(),
    summarize: (result) => `Session logging is ready; agent sessions are kept in ${String(result.sessionsFolder)}.`,
  },
  {
    name: 'openSession',
    title: 'Open a session',
    description:
      'Creates a new agent session record at the start of a work session. While it is the only session open on this connection, ' +
      'later calls may leave out sessionId. A generated id never collides (a same-titled session in the same second gets -2, -3...); ' +
      'a given id that is taken fails with session_already_exists, unless resume is true. A subagent names its parent with parentSessionId.',
    params: schema(
      {
        agent: {
          type: 'string',
          pattern: '^[A-Z][A-Za-z0-9]*$',
          description: 'Required. The agent\'s name in PascalCase, e.g. "Codex", "Copilot", "ClaudeCode".',
        },
        title: text('Required. What the session is about, one line, e.g. "Implement JWT authentication".'),
        sessionId: {
          type: 'string',
          pattern: SESSION_ID_PATTERN,
          description:
            'Optional. <Agent>-<yyyyMMddTHHmmssZ>-<suffix>, starting with the agent name, e.g. "Codex-20260409T120001Z-implement-auth". ' +
            'Generated from the agent, the current UTC time and the title when left out.',
        },
        model: text('Optional. The model behind the agent, e.g. "gpt-5.4".'),
        parentSessionId: {
          type: 'string',
          pattern: SESSION_ID_PATTERN,
          description: 'Optional. The session this one works for, e.g. a subagent\'s parent: "ClaudeCode-20260409T120001Z-implement-auth".',
        },
        resume: { type: 'boolean', description: 'Optional, default false. true continues an existing session with this id instead of failing.' },
      },
      ['agent', 'title'],
    ),
    readOnly: false,
    run: async ({ sessions }, params) => sessions.openSession(decodeOpenSession(params)),
    summarize: (result) => `${result.resumed ? 'Resumed' : 'Opened'} session ${String(result.sessionId)} (started ${String(result.started)}).`,
  },
  {
    name: 'beginTurn',
    title: 'Begin a turn',
    description:
      'Starts a turn (status in_progress) for one user request, before working on it. One turn per session is in progress: ' +
      'a turn still in progress (abandoned, e.g. after Ctrl+C) is superseded, ending failed with errorCode "superseded" and a message ' +
      'naming the new turn (the result names it in superseded). Request ids are unique within a session (a given one that is taken: ' +
      'turn_already_exists; a generated one never collides).',
    params: schema(
      {
        queryTitle: text('Required. A one-line title of the user\'s request, e.g. "Add JWT authentication".'),
        queryText: text("Optional. The user's request as written; any text, several lines allowed."),
        requestId: {
          type: 'string',
          pattern: REQUEST_ID_PATTERN,
          description:
            'Optional. The turn\'s id, req-<yyyyMMddTHHmmssZ>-<slugOrOrdinal>, e.g. "req-20260409T120002Z-add-jwt-001". ' +
            'Generated from the current UTC time and the title when left out.',
        },
        sessionId: sessionIdParam,
      },
      ['queryTitle'],
    ),
    readOnly: false,
    run: async ({ sessions }, params) => sessions.beginTurn(decodeBeginTurn(params)),
    summarize: (result) => `Began turn ${String(result.turnRequestId)} in session ${String(result.sessionId)}.`,
  },
  {
    name: 'updateTurn',
    title: 'Update the turn',
    description:
      'Records the interpretation, a response summary, token count, tags and referenced files on the turn in progress. ' +
      'Text fields replace earlier values; tags and contextList add to them. Fails with turn_immutable on a completed or failed turn.',
    params: schema({
      interpretation: text('Optional. How the request was understood.'),
      response: text('Optional. A summary of the response so far.'),
      tokenCount: { type: 'integer', minimum: 0, description: 'Optional. Tokens used so far, a whole number, e.g. 1250.' },
      tags: strings('Optional. Tags without spaces, commas or brackets ("#" optional), e.g. ["feature", "security", "FR-AUTH-001"].'),
      contextList: strings('Optional. Files or other context the turn refers to, e.g. ["src/Services/TokenService.cs"].'),
      turnRequestId: turnRequestIdParam,
      sessionId: sessionIdParam,
    }),
    aliases: TURN_ALIASES,
    readOnly: false,
    run: async ({ sessions }, params) => sessions.updateTurn(decodeUpdateTurn(params)),
    summarize: (result) => `Updated turn ${String(result.turnRequestId)}.`,
  },
  {
    name: 'appendDialog',
    title: 'Append dialog',
    description:
      'Appends reasoning steps, tool calls, tool results, observations and decisions to the turn in progress, in order. ' +
      'Log every design decision here with category "decision" and also as an action of type "design_decision".',
    params: schema(
      {
        dialogItems: {
          type: 'array',
          minItems: 1,
          description: 'Required, at least one item.',
          items: {
            type: 'object',
            properties: {
              role: { type: 'string', enum: [...DIALOG_ROLES], description: `Required. One of ${DIALOG_ROLES.join(', ')}.` },
              content: text('Required. The text, several lines allowed.'),
              category: { type: 'string', enum: [...DIALOG_CATEGORIES], description: `Required. One of ${DIALOG_CATEGORIES.join(', ')}.` },
              timestamp: text('Optional. ISO 8601 time, e.g. "2026-04-09T12:00:04Z"; now when left out.'),
            },
            required: ['role', 'content', 'category'],
            additionalProperties: false,
          },
        },
        turnRequestId: turnRequestIdParam,
        sessionId: sessionIdParam,
      },
      ['dialogItems'],
    ),
    aliases: TURN_ALIASES,
    readOnly: false,
    run: async ({ sessions }, params) => sessions.appendDialog(decodeAppendDialog(params)),
    summarize: (result) =>
      `Appended ${String(result.appended)} dialog item${result.appended === 1 ? '' : 's'} to turn ${String(result.turnRequestId)} (${String(result.dialogCount)} in all).`,
  },
  {
    name: 'appendActions',
    title: 'Append actions',
    description:
      'Appends file operations and other work artifacts to the turn in progress. Actions of type edit, create or delete with a filePath ' +
      'count towards the session\'s files modified. Record web sources as type "web_reference" with the URL in the description.',
    params: schema(
      {
        actions: {
          type: 'array',
          minItems: 1,
          description: 'Required, at least one action.',
          items: {
            type: 'object',
            properties: {
              order: { type: 'integer', minimum: 0, description: "Optional. Position, 1, 2, 3...; the item's position in this list when left out." },
              description: text('Required. What was done, one line, e.g. "Created TokenService with JWT generation".'),
              type: { type: 'string', enum: [...ACTION_TYPES], description: `Required. One of ${ACTION_TYPES.join(', ')}.` },
              status: { type: 'string', enum: [...ACTION_STATUSES], description: `Optional, default "completed". One of ${ACTION_STATUSES.join(', ')}.` },
              filePath: text('Optional. The file acted on, e.g. "src/Services/TokenService.cs"; "" or left out when none.'),
            },
            required: ['description', 'type'],
            additionalProperties: false,
          },
        },
        turnRequestId: turnRequestIdParam,
        sessionId: sessionIdParam,
      },
      ['actions'],
    ),
    aliases: TURN_ALIASES,
    readOnly: false,
    run: async ({ sessions }, params) => sessions.appendActions(decodeAppendActions(params)),
    summarize: (result) =>
      `Appended ${String(result.appended)} action${result.appended === 1 ? '' : 's'} to turn ${String(result.turnRequestId)} (${String(result.actionCount)} in all).`,
  },
  {
    name: 'completeTurn',
    title: 'Complete the turn',
    description:
      'Finalizes the turn in progress as completed, after verification. The turn is immutable afterwards: ' +
      'updateTurn, appendDialog and appendActions on it fail with turn_immutable.',
    params: schema({
      response: text('Optional. The final response summary, several lines allowed; replaces the one from updateTurn.'),
      turnRequestId: turnRequestIdParam,
      sessionId: sessionIdParam,
    }),
    aliases: TURN_ALIASES,
    readOnly: false,
    run: async ({ sessions }, params) => sessions.completeTurn(decodeCompleteTurn(params)),
    summarize: (result) => `Completed turn ${String(result.turnRequestId)}; it is now immutable.`,
  },
  {
    name: 'failTurn',
    title: 'Fail the turn',
    description: 'Finalizes the turn in progress as failed, when blocked. Immutable afterwards, as completeTurn.',
    params: schema(
      {
        errorMessage: text('Required. What went wrong, e.g. "Missing System.IdentityModel.Tokens.Jwt package".'),
        errorCode: text('Optional. A short code of your choosing, e.g. "dependency_missing".'),
        turnRequestId: turnRequestIdParam,
        sessionId: sessionIdParam,
      },
      ['errorMessage'],
    ),
    aliases: TURN_ALIASES,
    readOnly: false,
    run: async ({ sessions }, params) => sessions.failTurn(decodeFailTurn(params)),
    summarize: (result) => `Marked turn ${String(result.turnRequestId)} as failed; it is now immutable.`,
  },
  {
    name: 'closeSession',
    title: 'Close the session',
    description:
      'Marks the session completed at the end of the work, with an optional closing summary. A turn still in progress ends failed ' +
      'with errorCode "session_closed" (the result names it in closedTurn). A closed session takes no new turns (session_not_found): open a new one.',
    params: schema({
      summary: text('Optional. A closing note for the session, several lines allowed.'),
      sessionId: sessionIdParam,
    }),
    readOnly: false,
    run: async ({ sessions }, params) => sessions.closeSession(decodeCloseSession(params)),
    summarize: (result) => `Closed session ${String(result.sessionId)}.`,
  },
  {
    name: 'queryHistory',
    title: 'Query session history',
    description:
      'Lists this project\'s agent sessions (or, with scope "all", every project\'s), newest first, a page at a time, with status, ' +
      'turn count, files modified and tags; filters narrow it by time, status, tag, text and model. totalCount is the number of matching ' +
      'sessions in all; use offset and limit to page. staleTurn names a turn still in progress long after its last change (its agent probably stopped).',
    params: schema({
      agent: { type: 'string', description: 'Optional. Only this agent\'s sessions, e.g. "Codex"; all agents when left out.' },
      since: text('Optional. Only sessions changed since then: an age such as "7d", "12h", "30m", "2w", a date "2026-04-09" or an ISO time.'),
      until: text('Optional. Only sessions started by then: an age such as "7d", a date "2026-04-09" (to its end) or an ISO time.'),
      status: {
        type: 'string',
        enum: [...HISTORY_STATUSES],
        description: 'Optional. in_progress (open), completed (closed), or stale (a turn left in progress).',
      },
      tag: text('Optional. Only sessions with this tag ("#" optional), e.g. "security".'),
      text: text('Optional. Only sessions whose text contains every word, in any case, e.g. "jwt refresh".'),
      model: text('Optional. Only sessions whose model contains this, in any case, e.g. "gpt-5".'),
      scope: {
        type: 'string',
        enum: ['project', 'all'],
        description: 'Optional, default "project". "all" lists the agent sessions of every project in the knowledge base.',
      },
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 10. Sessions per page.' },
      offset: { type: 'integer', minimum: 0, description: 'Optional, default 0. Sessions to skip.' },
    }),
    readOnly: true,
    run: async ({ sessions }, params) => sessions.queryHistory(decodeHistoryQuery(params)),
    summarize: (result) => {
      const shown = Array.isArray(result.sessions) ? result.sessions.length : 0;
      return `${shown} of ${String(result.totalCount)} session${result.totalCount === 1 ? '' : 's'} (offset ${String(result.offset)}).`;
    },
  },
  {
    name: 'getSession',
    title: 'Get a session',
    description:
      'Reads an agent session: its summary and a page of its turns with their dialog and actions (newest first, 20 at a time), ' +
      'never more than about maxTokens (default 20000) in all. truncated and note say what was left out and the offset that reads on.',
    params: schema({
      sessionId: sessionIdParam,
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 20. Turns per page.' },
      offset: { type: 'integer', minimum: 0, description: 'Optional, default 0. Turns to skip, counted in the order asked for.' },
      order: { type: 'string', enum: ['newest', 'oldest'], description: 'Optional, default "newest". "oldest" reads from the first turn on.' },
      maxTokens: {
        type: 'integer',
        minimum: 1000,
        description: 'Optional, default 20000. About how many tokens the answer may take; long texts are clipped to fit.',
      },
    }),
    readOnly: true,
    run: async ({ sessions }, params) => ({ ...(await sessions.getSessionPage(decodeSessionPageQuery(params))) }),
    summarize: (result) =>
      `Session ${String(result.sessionId)}: ${String(result.status)}, ${String(result.turnCount)} turn${result.turnCount === 1 ? '' : 's'}` +
      `${result.staleTurn ? `, turn ${String(result.staleTurn)} stale` : ''}. ${String(result.note)}`,
  },
  {
    name: 'log',
    title: 'Log a session note',
    description:
      "Appends a quick session note to the project's session log (the memex-compatible entry): a summary with tags, links, " +
      'files modified, decisions with rationale, follow-ups and context for the next session. Secrets are redacted before writing.',
    params: schema(
      {
        message: text('Required. What was done, Markdown, several lines allowed.'),
        tags: strings('Optional. Tags, e.g. ["auth", "bugfix"].'),
        links: strings('Optional. Related entries, relative to the knowledge-base root, e.g. ["patterns/oauth2.md"].'),
        files: strings('Optional. Files modified, e.g. ["src/auth.ts"].'),
        decisions: {
          type: 'array',
          description: 'Optional. Decisions made, each with its rationale.',
          items: {
            type: 'object',
            properties: {
              decision: text('Required. The decision, e.g. "Used jose for JWT".'),
              rationale: text('Optional. Why, e.g. "type-safe, no native dependencies".'),
            },
            required: ['decision'],
            additionalProperties: false,
          },
        },
        followUps: strings('Optional. Open tasks for later, e.g. ["Add refresh tokens"].'),
        next: text('Optional. Context for the next session.'),
        entry: text("Optional. The entry to write to, relative to the knowledge-base root; the project's session entry (.kbcontext) when left out."),
      },
      ['message'],
    ),
    readOnly: false,
    run: async ({ deps, workspace, writeOptions }, params) => {
      const result = await logSession(deps, {
        ...workspace,
        ...writeOptions,
        message: requireText(params.message, 'message', '"Fixed the login timeout"'),
        tags: optionalStrings(params.tags, 'tags'),
        links: optionalStrings(params.links, 'links'),
        files: optionalStrings(params.files, 'files'),
        decisions: decisionsOf(params.decisions),
        followUps: optionalStrings(params.followUps, 'followUps'),
        ...optionalField('next', optionalText(params.next, 'next')),
        ...optionalField('entry', optionalText(params.entry, 'entry')),
        fieldNames: { entry: 'entry', tags: 'tags', links: 'links' },
      });
      const { absolutePath, ...rest } = result;
      void absolutePath;
      return { ...rest };
    },
    summarize: (result) =>
      `Logged the session to ${String(result.path)} (${String(result.action)})` +
      `${typeof result.redactions === 'number' && result.redactions > 0 ? `, ${result.redactions} secret${result.redactions === 1 ? '' : 's'} redacted` : ''}.`,
  },
  {
    name: 'search',
    title: 'Search sessions',
    description:
      'Ranked search over every logged session, agent session and turn, and decision record of the knowledge base: words are stemmed ' +
      '("authenticate" finds "authentication"), the last word also matches as a prefix, one typo is forgiven in longer words, title and tags weigh more ' +
      'than the text; "quoted words" must appear together and -word excludes. Filters narrow it. Each hit is a locator (path, line, heading, ' +
      'sessionId, turnId) with a snippet, best first, then newest. Finds what was written a moment ago, by anyone.',
    params: schema({
      query: text('Words to find, e.g. "jwt refresh", "\\"token rotation\\" -legacy"; may be empty when a filter is given.'),
      tags: strings('Optional. Tags every hit must carry itself (the session\'s or turn\'s own), e.g. ["auth"].'),
      entryTags: strings("Optional. Tags the hit's file must carry (the entry's, agent session's or record's frontmatter tags)."),
      since: text('Optional. Only hits from then on: a date "2026-04-09", a time, or a span back from now "12h", "7d", "2w".'),
      until: text('Optional. Only hits up to then, as since; a date counts to its end.'),
      project: text('Optional. The project\'s folder ("projects/myapp") or name ("myapp").'),
      agent: text('Optional. Only this agent\'s sessions and turns, e.g. "Codex".'),
      kind: { type: 'string', enum: [...SEARCH_KINDS], description: 'Optional. session, turn or decision.' },
      status: text("Optional. A turn's or agent session's status (in_progress, completed, failed) or a decision record's (accepted, ...)."),
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 20. Most hits to return.' },
    }),
    readOnly: true,
    run: async ({ deps, workspace }, params) => {
      const query = optionalText(params.query, 'query') ?? '';
      const filters = {
        tags: optionalStrings(params.tags, 'tags'),
        entryTags: optionalStrings(params.entryTags, 'entryTags'),
        ...optionalField('since', optionalText(params.since, 'since')),
        ...optionalField('until', optionalText(params.until, 'until')),
        ...optionalField('project', optionalText(params.project, 'project')),
        ...optionalField('agent', optionalText(params.agent, 'agent')),
        ...optionalField('kind', optionalText(params.kind, 'kind')),
        ...optionalField('status', optionalText(params.status, 'status')),
      };
      if (query.trim() === '' && filters.tags.length === 0 && filters.entryTags.length === 0 && Object.keys(filters).length === 2) {
        throw invalidParameter('query', 'is required unless a filter is given', 'Give query (words to find) or a filter such as tags.');
      }
      const limit = params.limit ?? 20;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
        throw invalidParameter('limit', 'must be a whole number of at least 1', 'Give limit as a number, e.g. 10.');
      }
      const hits = await searchSessions(deps, { ...workspace, ...filters, query, limit });
      return { hits, count: hits.length };
    },
    summarize: (result) => `${String(result.count)} matching result${result.count === 1 ? '' : 's'} found.`,
  },
  {
    name: 'resume',
    title: 'Resume where the work left off',
    description:
      "The context to continue where the project's work left off, as Markdown sized for a model's context: the next-session hint, " +
      'turns left in progress, open follow-ups, recent decisions and decision records, the newest agent sessions and the last logged sessions. ' +
      'Call it at the start of a session, before asking the user for context.',
    params: schema({
      maxTokens: {
        type: 'integer',
        minimum: 500,
        description: 'Optional, default 4000. About how many tokens the answer may take; the last sessions are clipped first.',
      },
      sessions: { type: 'integer', minimum: 0, description: 'Optional, default 3. How many of the last logged sessions to include.' },
    }),
    readOnly: true,
    run: async ({ deps, workspace, sessions }, params) => {
      const maxTokens = wholeNumber(params.maxTokens, 'maxTokens', 4000, 500);
      const count = wholeNumber(params.sessions, 'sessions', 3, 0);
      const context = await resumeContext(deps, { ...workspace, sessions: count, ...sessions.staleOptions() });
      const { text, truncated } = renderResume(context, maxTokens);
      return {
        path: context.path,
        text,
        truncated,
        ...(context.next ? { next: context.next } : {}),
        turnsInProgress: context.turnsInProgress,
        openFollowUps: context.openFollowUps.map(({ text: item, heading }) => ({ text: item, heading })),
        recentDecisions: context.recentDecisions,
        records: context.records,
      };
    },
    summarize: (result) =>
      `Resume context of ${String(result.path)}: ${count(result.openFollowUps, 'open follow-up')}, ` +
      `${count(result.turnsInProgress, 'turn')} left in progress${result.truncated ? ' (clipped to fit)' : ''}.`,
  },
  {
    name: 'recordDecision',
    title: 'Record a decision',
    description:
      "Writes an architecture decision record (ADR-NNN, numbered in order) to the project's decisions/ folder: title, context, decision, " +
      "rationale, alternatives considered, consequences and status. For a decision worth its own record; smaller ones go in log's decisions.",
    params: schema(
      {
        title: text('Required. A short title, e.g. "Use JWT for authentication".'),
        decision: text('Required. What was decided, several lines allowed.'),
        context: text('Optional. The situation that called for a decision.'),
        rationale: text('Optional. Why this option.'),
        alternatives: strings('Optional. Alternatives considered, e.g. ["Server sessions", "OAuth only"].'),
        consequences: strings('Optional. What follows from it, e.g. ["Tokens must be rotated"].'),
        status: { type: 'string', enum: [...ADR_STATUSES], description: `Optional, default "accepted". One of ${ADR_STATUSES.join(', ')}.` },
      },
      ['title', 'decision'],
    ),
    readOnly: false,
    run: async ({ deps, workspace }, params) => ({
      ...(await recordDecision(deps, {
        ...workspace,
        title: requireText(params.title, 'title', '"Use JWT for authentication"'),
        decision: requireText(params.decision, 'decision', '"Issue short-lived JWTs"'),
        ...optionalField('context', optionalText(params.context, 'context')),
        ...optionalField('rationale', optionalText(params.rationale, 'rationale')),
        alternatives: optionalStrings(params.alternatives, 'alternatives'),
        consequences: optionalStrings(params.consequences, 'consequences'),
        ...(params.status === undefined || params.status === null ? {} : { status: requireOneOf(params.status, ADR_STATUSES, 'status') }),
      })),
    }),
    summarize: (result) => `Recorded ${String(result.id)}: ${String(result.title)} (${String(result.status)}) in ${String(result.path)}.`,
  },
  {
    name: 'listDecisions',
    title: 'List decisions',
    description: "Lists the project's decision records (ADR-NNN), newest number first, with title, status, date and path.",
    params: schema({
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 20. Most records to list.' },
    }),
    readOnly: true,
    run: async ({ deps, workspace }, params) => {
      const all = await listDecisions(deps, workspace);
      return { decisions: all.slice(0, wholeNumber(params.limit, 'limit', 20, 1)), totalCount: all.length };
    },
    summarize: (result) => `${count(result.decisions, 'decision record')} of ${String(result.totalCount)}.`,
  },
  {
    name: 'listFollowUps',
    title: 'List follow-ups',
    description:
      "Lists the project's follow-ups (the open tasks logged sessions left), newest session first; done ones too when all is true. " +
      "Each names its session's heading and line.",
    params: schema({
      all: { type: 'boolean', description: 'Optional, default false. true lists done follow-ups too.' },
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 50. Most follow-ups to list.' },
    }),
    readOnly: true,
    run: async ({ deps, workspace }, params) => {
      if (params.all !== undefined && params.all !== null && typeof params.all !== 'boolean') {
        throw invalidParameter('all', 'must be true or false', 'Give all as true or false.');
      }
      const items = await listFollowUps(deps, { ...workspace, all: params.all === true });
      const followUps = items
        .slice(0, wholeNumber(params.limit, 'limit', 50, 1))
        .map((item) => ({ text: item.text, done: item.done, heading: item.heading, path: item.path, line: item.sessionLine }));
      return { followUps, totalCount: items.length };
    },
    summarize: (result) => `${count(result.followUps, 'follow-up')} of ${String(result.totalCount)}.`,
  },
  {
    name: 'markFollowUpDone',
    title: 'Mark a follow-up done',
    description:
      "Ticks one of the project's follow-ups in its session log, as the Follow-ups view does (or unticks it with done: false). " +
      'Name it by its text as listFollowUps gives it, and by heading too when several sessions share the text.',
    params: schema(
      {
        text: text('Required. The follow-up\'s text, e.g. "Add refresh tokens".'),
        heading: text('Optional. The heading of its session, e.g. "2026-04-09 12:00 UTC", when the text alone is ambiguous.'),
        done: { type: 'boolean', description: 'Optional, default true. false reopens a done follow-up.' },
      },
      ['text'],
    ),
    readOnly: false,
    idempotent: true,
    run: async ({ deps, workspace }, params) => {
      if (params.done !== undefined && params.done !== null && typeof params.done !== 'boolean') {
        throw invalidParameter('done', 'must be true or false', 'Give done as true or false.');
      }
      const item = await markFollowUp(deps, {
        ...workspace,
        text: requireText(params.text, 'text', '"Add refresh tokens"'),
        ...optionalField('heading', optionalText(params.heading, 'heading')),
        done: params.done !== false,
      });
      return { text: item.text, done: item.done, heading: item.heading, path: item.path, line: item.sessionLine };
    },
    summarize: (result) => `Marked "${String(result.text)}" ${result.done ? 'done' : 'open'} in ${String(result.path)}.`,
  },
  {
    name: 'queryLoggedSessions',
    title: 'Query logged sessions',
    description:
      "Lists the sessions people (and log) wrote to the project's session log (sessions.md), newest first, a page at a time: " +
      'heading, tags, message (long ones clipped), files, decisions, follow-ups and next-session context, each with its line.',
    params: schema({
      since: text('Optional. Only sessions since then: an age such as "7d", a date "2026-04-09" or an ISO time.'),
      until: text('Optional. Only sessions up to then: an age, a date (to its end) or an ISO time.'),
      tag: text('Optional. Only sessions with this tag ("#" optional).'),
      text: text('Optional. Only sessions whose text contains every word, in any case.'),
      limit: { type: 'integer', minimum: 1, description: 'Optional, default 10. Sessions per page.' },
      offset: { type: 'integer', minimum: 0, description: 'Optional, default 0. Sessions to skip.' },
    }),
    readOnly: true,
    run: async ({ deps, workspace }, params) => {
      const now = deps.clock.now();
      const page = await sessionHistory(deps, {
        ...workspace,
        limit: wholeNumber(params.limit, 'limit', 10, 1),
        offset: wholeNumber(params.offset, 'offset', 0, 0),
        ...(params.since === undefined || params.since === null ? {} : { since: timeFilter(params.since, 'since', now, false) }),
        ...(params.until === undefined || params.until === null ? {} : { until: timeFilter(params.until, 'until', now, true) }),
        ...optionalField('tag', optionalText(params.tag, 'tag')),
        ...optionalField('text', optionalText(params.text, 'text')),
      });
      const sessions = page.sessions.map((session) => ({
        heading: session.heading,
        ...(session.timestamp ? { timestamp: session.timestamp } : {}),
        line: session.startLine,
        tags: session.tags,
        message:
          session.message.length > MESSAGE_CLIP
            ? `${session.message.slice(0, MESSAGE_CLIP)}… [clipped: ${session.message.length - MESSAGE_CLIP} more characters]`
            : session.message,
        files: session.files,
        decisions: session.decisions,
        followUps: session.followUps,
        ...(session.next ? { next: session.next } : {}),
      }));
      return { path: page.path, sessions, totalCount: page.totalCount, offset: page.offset, limit: page.limit };
    },
    summarize: (result) =>
      `${count(result.sessions, 'logged session')} of ${String(result.totalCount)} in ${String(result.path)} (offset ${String(result.offset)}).`,
  },
];

/** A logged session's message longer than this is clipped in queryLoggedSessions (the line says where to read it whole). */
const MESSAGE_CLIP = 2000;

function count(value: unknown, noun: string): string {
  return plural(Array.isArray(value) ? value.length : 0, noun);
}

function wholeNumber(value: unknown, field: string, fallback: number, min: number): number {
  return optionalWholeNumber(value, field, min) ?? fallback;
}

const BY_NAME = new Map(AGENT_OPERATIONS.map((operation) => [operation.name, operation]));

export function findOperation(name: string): AgentOperation | undefined {
  return BY_NAME.get(name);
}

/**
 * Runs one operation: checks that params is an object naming only known params (a misspelt
 * optional param would otherwise be ignored without a word), then runs it. Throws
 * SessionLogError; `errorEnvelope` turns anything thrown into the protocol's error fields.
 */
export async function runOperation(
  context: OperationContext,
  operation: AgentOperation,
  params: unknown,
): Promise<{ result: Record<string, unknown>; summary: string }> {
  const given = params === undefined || params === null ? {} : params;
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new SessionLogError(
      'invalid_parameter',
      `params of ${operation.name} must be an object.`,
      { method: operation.name },
      'Give params as an object, e.g. {} when there are none.',
    );
  }
  const known = Object.keys(operation.params.properties);
  const unknown = Object.keys(given).filter((key) => !known.includes(key) && !(operation.aliases && key in operation.aliases));
  if (unknown.length > 0) {
    throw new SessionLogError(
      'invalid_parameter',
      `${operation.name} has no param${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}.`,
      { method: operation.name, unknown, known },
      known.length ? `Use only: ${known.join(', ')}.` : `${operation.name} takes no params: give {}.`,
    );
  }
  // `log` redacts its record itself (and counts what it took out); the agent writers are redacted here.
  const redact = !operation.readOnly && operation.name !== 'log' && context.writeOptions?.redact !== false;
  const result = await operation.run(context, redact ? redactDeep(given as Params, KEEP_UNREDACTED).value : (given as Params));
  return { result, summary: operation.summarize(result) };
}

/**
 * Params whose values are ids, enums, times, numbers, tags, links or the entry to write to: left
 * as given when secrets are redacted. Every other text is redacted, as the CLI and the extension
 * do: the model, an error code, and paths (files, filePath, contextList), where a token in a URL
 * or a path would otherwise be written.
 */
const KEEP_UNREDACTED = new Set([
  'sessionId',
  'turnRequestId',
  'requestId',
  'agent',
  'role',
  'category',
  'type',
  'status',
  'timestamp',
  'order',
  'tags',
  'links',
  'entry',
  'resume',
  'text',
  'tokenCount',
  'limit',
  'offset',
  'order',
  'maxTokens',
  'since',
  'until',
  'scope',
  'tag',
  'done',
  'all',
  'sessions',
  'heading',
  'parentSessionId',
]);

/** The protocol's error fields for anything thrown; the core's `invalid_input` is the protocol's `invalid_parameter`. */
export function errorEnvelope(error: unknown): ErrorEnvelope {
  if (error instanceof SessionLogError) {
    const { code, message, details, hint } = error.toJSON();
    return { code: code === 'invalid_input' ? 'invalid_parameter' : code, message, details, ...(hint ? { hint } : {}) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal_error', message, details: {}, hint: 'This is a fault in Session Log; please report it with the message.' };
}

function schema(properties: Record<string, JsonSchema>, required: string[] = []): OperationSchema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function decisionsOf(value: unknown): Decision[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidParameter('decisions', 'must be a list', 'Give decisions as [{ "decision": "...", "rationale": "..." }].');
  return value.map((raw: unknown, index) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Params;
    refuseUnknownFields(item, ['decision', 'rationale'], `decisions[${index}]`);
    const decision = requireText(item.decision, `decisions[${index}].decision`, '"Used jose for JWT"');
    const rationale = optionalText(item.rationale, `decisions[${index}].rationale`);
    return rationale ? { decision, rationale } : { decision };
  });
}
