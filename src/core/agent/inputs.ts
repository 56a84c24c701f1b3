import { isoSeconds } from '../model/time';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  AGENT_NAME,
  DIALOG_CATEGORIES,
  DIALOG_ROLES,
  invalidParameter,
  optionalStrings,
  optionalText,
  refuseUnknownFields,
  requireOneOf,
  requireRequestId,
  requireSessionId,
  requireText,
  type ActionStatus,
  type ActionType,
  type DialogCategory,
  type DialogRole,
} from './model';

/**
 * The typed inputs of `AgentSessions`, and one decoder per operation that makes them from the
 * untyped params a front end received (an MCP call, a REPL envelope, a tool call, CLI flags).
 * The decoders refuse what is wrong with `invalid_parameter` (or `invalid_session_id`,
 * `invalid_request_id`) naming the param as the protocol calls it, in the order the params are
 * documented; `AgentSessions` trusts what they return and applies the defaults.
 */

type Params = Record<string, unknown>;

/** The session a call goes to; left out, the one open on this connection. */
export interface SessionRef {
  sessionId?: string;
}

/** The turn a call goes to; left out, the session's current turn. */
export interface TurnRef extends SessionRef {
  turnRequestId?: string;
}

export interface OpenSessionInput {
  agent: string;
  title: string;
  sessionId?: string;
  model?: string;
  parentSessionId?: string;
  /** Continue an existing session with this id instead of failing. */
  resume?: boolean;
}

export interface BeginTurnInput extends SessionRef {
  queryTitle: string;
  queryText?: string;
  requestId?: string;
}

export interface UpdateTurnInput extends TurnRef {
  interpretation?: string;
  response?: string;
  tokenCount?: number;
  tags?: string[];
  contextList?: string[];
}

export interface DialogItemInput {
  role: DialogRole;
  content: string;
  category: DialogCategory;
  /** ISO 8601; now when left out. */
  timestamp?: string;
}

export interface AppendDialogInput extends TurnRef {
  dialogItems: DialogItemInput[];
}

export interface ActionInput {
  description: string;
  type: ActionType;
  /** The item's position in its list (from 1) when left out. */
  order?: number;
  /** completed when left out. */
  status?: ActionStatus;
  filePath?: string;
}

export interface AppendActionsInput extends TurnRef {
  actions: ActionInput[];
}

export interface CompleteTurnInput extends TurnRef {
  response?: string;
}

export interface FailTurnInput extends TurnRef {
  errorMessage: string;
  errorCode?: string;
}

export interface CloseSessionInput extends SessionRef {
  summary?: string;
}

export const HISTORY_STATUSES = ['in_progress', 'completed', 'stale'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

export interface HistoryQuery {
  agent?: string;
  /** An age (`7d`), a date or an ISO time, as `timeFilter` reads it. */
  since?: string;
  until?: string;
  status?: HistoryStatus;
  tag?: string;
  model?: string;
  /** Every word must occur in the session's file. */
  text?: string;
  scope?: 'project' | 'all';
  limit?: number;
  offset?: number;
}

export interface SessionPageQuery extends SessionRef {
  order?: 'newest' | 'oldest';
  limit?: number;
  offset?: number;
  maxTokens?: number;
}

/** The least maxTokens getSession takes: a smaller page could not show a turn. */
const MIN_MAX_TOKENS = 1_000;

export function decodeOpenSession(params: Params): OpenSessionInput {
  // A given session id is checked first: seed 003 names `claudecode-…` an invalid_session_id, whatever the agent says.
  const sessionId = given(params.sessionId) ? requireSessionId(params.sessionId) : undefined;
  const agent = requireText(params.agent, 'agent', '"Codex"');
  if (!AGENT_NAME.test(agent)) {
    throw invalidParameter('agent', `'${agent}' is not PascalCase`, 'Name the agent in PascalCase, e.g. Codex, Copilot, ClaudeCode.');
  }
  const title = requireText(params.title, 'title', '"Implement JWT authentication"');
  const parentSessionId = given(params.parentSessionId) ? requireSessionId(params.parentSessionId, 'parentSessionId') : undefined;
  return {
    agent,
    title,
    ...defined({ sessionId, parentSessionId, model: optionalText(params.model, 'model') }),
    ...(params.resume === true ? { resume: true } : {}),
  };
}

export function decodeBeginTurn(params: Params): BeginTurnInput {
  const queryTitle = requireText(params.queryTitle, 'queryTitle', '"Add JWT authentication"');
  const queryText = optionalText(params.queryText, 'queryText');
  const requestId = given(params.requestId) ? requireRequestId(params.requestId) : undefined;
  return { queryTitle, ...defined({ queryText, requestId }), ...decodeSessionRef(params) };
}

export function decodeUpdateTurn(params: Params): UpdateTurnInput {
  const tokenCount = params.tokenCount;
  if (given(tokenCount) && (typeof tokenCount !== 'number' || !Number.isInteger(tokenCount) || tokenCount < 0)) {
    throw invalidParameter('tokenCount', 'must be a whole number of at least 0', 'Give tokenCount as a number, e.g. 1250.');
  }
  const interpretation = optionalText(params.interpretation, 'interpretation');
  const response = optionalText(params.response, 'response');
  const tags = optionalStrings(params.tags, 'tags');
  const contextList = optionalStrings(params.contextList, 'contextList');
  return { ...defined({ interpretation, response, tokenCount: tokenCount as number | undefined }), tags, contextList, ...decodeTurnRef(params) };
}

export function decodeAppendDialog(params: Params): AppendDialogInput {
  if (!Array.isArray(params.dialogItems) || params.dialogItems.length === 0) {
    throw invalidParameter('dialogItems', 'must be a non-empty list', 'Give dialogItems: [{ role, content, category, timestamp? }].');
  }
  const dialogItems = params.dialogItems.map((raw: unknown, index): DialogItemInput => {
    const item = (raw ?? {}) as Params;
    const field = `dialogItems[${index}]`;
    refuseUnknownFields(item, ['role', 'content', 'category', 'timestamp'], field);
    const timestamp = optionalText(item.timestamp, `${field}.timestamp`);
    if (timestamp !== undefined && !ISO_TIME.test(timestamp)) {
      throw invalidParameter(`${field}.timestamp`, `'${timestamp}' is not an ISO 8601 time`, 'Use e.g. 2026-04-09T12:00:04Z, or leave it out for now.');
    }
    return {
      ...defined({ timestamp }),
      role: requireOneOf(item.role, DIALOG_ROLES, `${field}.role`),
      content: requireText(item.content, `${field}.content`, '"Analyzing the requirements..."'),
      category: requireOneOf(item.category, DIALOG_CATEGORIES, `${field}.category`),
    };
  });
  return { dialogItems, ...decodeTurnRef(params) };
}

export function decodeAppendActions(params: Params): AppendActionsInput {
  if (!Array.isArray(params.actions) || params.actions.length === 0) {
    throw invalidParameter('actions', 'must be a non-empty list', 'Give actions: [{ order, description, type, status, filePath? }].');
  }
  const actions = params.actions.map((raw: unknown, index): ActionInput => {
    const item = (raw ?? {}) as Params;
    const field = `actions[${index}]`;
    refuseUnknownFields(item, ['order', 'description', 'type', 'status', 'filePath'], field);
    const order = item.order;
    if (given(order) && (typeof order !== 'number' || !Number.isInteger(order) || order < 0)) {
      throw invalidParameter(`${field}.order`, 'must be a whole number', 'Number actions 1, 2, 3...');
    }
    return {
      ...defined({ order: order as number | undefined }),
      description: requireText(item.description, `${field}.description`, '"Created TokenService"'),
      type: requireOneOf(item.type, ACTION_TYPES, `${field}.type`),
      ...(given(item.status) ? { status: requireOneOf(item.status, ACTION_STATUSES, `${field}.status`) } : {}),
      ...defined({ filePath: optionalText(item.filePath, `${field}.filePath`) }),
    };
  });
  return { actions, ...decodeTurnRef(params) };
}

export function decodeCompleteTurn(params: Params): CompleteTurnInput {
  return { ...defined({ response: optionalText(params.response, 'response') }), ...decodeTurnRef(params) };
}

export function decodeFailTurn(params: Params): FailTurnInput {
  const errorMessage = requireText(params.errorMessage, 'errorMessage', '"Missing package System.IdentityModel.Tokens.Jwt"');
  const errorCode = optionalText(params.errorCode, 'errorCode');
  return { errorMessage, ...defined({ errorCode }), ...decodeTurnRef(params) };
}

export function decodeCloseSession(params: Params): CloseSessionInput {
  return { ...defined({ summary: optionalText(params.summary, 'summary') }), ...decodeSessionRef(params) };
}

export function decodeHistoryQuery(params: Params): HistoryQuery {
  const agent = optionalText(params.agent, 'agent');
  const since = given(params.since) ? checkTimeFilter(params.since, 'since') : undefined;
  const until = given(params.until) ? checkTimeFilter(params.until, 'until') : undefined;
  const status = given(params.status) ? requireOneOf(params.status, HISTORY_STATUSES, 'status') : undefined;
  const tag = optionalText(params.tag, 'tag');
  const model = optionalText(params.model, 'model');
  const text = optionalText(params.text, 'text');
  const scope = given(params.scope) ? requireOneOf(params.scope, ['project', 'all'] as const, 'scope') : undefined;
  const limit = optionalWholeNumber(params.limit, 'limit', 1);
  const offset = optionalWholeNumber(params.offset, 'offset', 0);
  return defined({ agent, since, until, status, tag, model, text, scope, limit, offset });
}

export function decodeSessionPageQuery(params: Params): SessionPageQuery {
  const order = given(params.order) ? requireOneOf(params.order, ['newest', 'oldest'] as const, 'order') : undefined;
  const limit = optionalWholeNumber(params.limit, 'limit', 1);
  const offset = optionalWholeNumber(params.offset, 'offset', 0);
  const maxTokens = optionalWholeNumber(params.maxTokens, 'maxTokens', MIN_MAX_TOKENS);
  return { ...defined({ order, limit, offset, maxTokens }), ...decodeSessionRef(params) };
}

function decodeSessionRef(params: Params): SessionRef {
  return given(params.sessionId) ? { sessionId: requireSessionId(params.sessionId) } : {};
}

/** The turn, by `turnRequestId` or the protocol's other name for it, `requestId` (named as it was given). */
function decodeTurnRef(params: Params): TurnRef {
  const requested = params.turnRequestId ?? params.requestId;
  const turnRequestId = given(requested) ? requireRequestId(requested, params.turnRequestId !== undefined ? 'turnRequestId' : 'requestId') : undefined;
  return { ...defined({ turnRequestId }), ...decodeSessionRef(params) };
}

/**
 * A time filter as an ISO time to the second: a relative age (`30m`, `12h`, `7d`, `2w`) back
 * from now, a date (the start of that UTC day, or its end for `until`), or an ISO time.
 */
export function timeFilter(value: unknown, field: string, now: Date, endOfDay: boolean): string {
  const hint = `Give ${field} as an age such as 30m, 12h, 7d or 2w, a date such as 2026-04-09, or an ISO time such as 2026-04-09T12:00:00Z.`;
  if (typeof value !== 'string') throw invalidParameter(field, 'must be text', hint);
  const relative = /^(\d+)\s*([mhdw])$/.exec(value.trim());
  if (relative) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[relative[2] as 'm' | 'h' | 'd' | 'w'];
    return isoSeconds(new Date(now.getTime() - Number(relative[1]) * unit));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
    const day = new Date(`${value.trim()}T00:00:00Z`);
    if (!Number.isNaN(day.getTime())) return isoSeconds(endOfDay ? new Date(day.getTime() + 86_399_000) : day);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value.trim()) && !Number.isNaN(Date.parse(value.trim()))) {
    return isoSeconds(new Date(Date.parse(value.trim())));
  }
  throw invalidParameter(field, `'${value}' is not a time`, hint);
}

/** A time filter checked as `timeFilter` reads it, kept as given: what it means depends on when it is used. */
function checkTimeFilter(value: unknown, field: string): string {
  timeFilter(value, field, new Date(0), false);
  return value as string;
}

/** A whole number of at least `min`, or undefined when left out (the operation's default applies). */
export function optionalWholeNumber(value: unknown, field: string, min: number): number | undefined {
  if (!given(value)) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidParameter(field, `must be a whole number of at least ${min}`, `Give ${field} as a number.`);
  }
  return value;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A param counts as given unless it is left out or null (JSON has no undefined). */
function given(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** The fields whose values are not undefined (optional fields stay absent rather than set to undefined). */
function defined<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
