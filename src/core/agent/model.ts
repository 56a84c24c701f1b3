import { SessionLogError } from '../errors';
import { checkText } from '../model/validate';

/** The protocol's id formats, exactly. */
export const SESSION_ID = /^[A-Z][A-Za-z0-9]*-\d{8}T\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const REQUEST_ID = /^req-\d{8}T\d{6}Z-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const AGENT_NAME = /^[A-Z][A-Za-z0-9]*$/;

export const TURN_STATUSES = ['in_progress', 'completed', 'failed'] as const;
export const DIALOG_ROLES = ['model', 'tool', 'system', 'user'] as const;
export const DIALOG_CATEGORIES = ['reasoning', 'tool_call', 'tool_result', 'observation', 'decision'] as const;
export const ACTION_TYPES = [
  'edit',
  'create',
  'delete',
  'design_decision',
  'commit',
  'pr_comment',
  'issue_comment',
  'web_reference',
  'dependency_add',
] as const;
export const ACTION_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'skipped'] as const;
/** Action types that count towards a session's files modified. */
export const FILE_ACTION_TYPES: readonly string[] = ['edit', 'create', 'delete'];

export type TurnStatus = (typeof TURN_STATUSES)[number];
export type DialogRole = (typeof DIALOG_ROLES)[number];
export type DialogCategory = (typeof DIALOG_CATEGORIES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];
export type ActionStatus = (typeof ACTION_STATUSES)[number];
type SessionStatus = 'in_progress' | 'completed';

export interface DialogItem {
  timestamp: string;
  role: DialogRole;
  content: string;
  category: DialogCategory;
}

export interface Action {
  order: number;
  description: string;
  type: ActionType;
  status: ActionStatus;
  /** Empty when the action touches no file. */
  filePath: string;
}

export interface Turn {
  requestId: string;
  queryTitle: string;
  queryText: string;
  interpretation?: string;
  response?: string;
  tokenCount?: number;
  tags: string[];
  contextList: string[];
  dialog: DialogItem[];
  actions: Action[];
  status: TurnStatus;
  started: string;
  /** The time of the turn's last change. */
  updated: string;
  /** When it completed or failed. */
  ended?: string;
  errorMessage?: string;
  errorCode?: string;
}

/** What history shows without reading the turns: kept in the session file's frontmatter. */
export interface AgentSessionSummary {
  agent: string;
  sessionId: string;
  title: string;
  model?: string;
  /** The session this one works for (a subagent's session names its parent's). */
  parentSessionId?: string;
  started: string;
  lastUpdated: string;
  status: SessionStatus;
  turnCount: number;
  filesModified: string[];
  tags: string[];
  /** The last turn's request id and status, so a turn operation need not read every turn. */
  currentTurn?: { requestId: string; status: TurnStatus; updated: string };
}

export interface AgentSession extends AgentSessionSummary {
  turns: Turn[];
  /** Why the session was closed, when given. */
  closingNote?: string;
}

/** Longer ids would make file names past what file systems take (255 bytes). */
const MAX_ID_LENGTH = 200;

export function requireSessionId(value: unknown, field = 'sessionId'): string {
  if (typeof value === 'string' && value.length > MAX_ID_LENGTH) {
    throw new SessionLogError(
      'invalid_session_id',
      `${field} is ${value.length} characters long; at most ${MAX_ID_LENGTH} are allowed.`,
      { field },
      'Shorten the suffix after the time, e.g. Codex-20260409T120000Z-implement-auth.',
    );
  }
  if (typeof value !== 'string' || !SESSION_ID.test(value)) {
    throw new SessionLogError(
      'invalid_session_id',
      `${field} '${String(value)}' is not a valid session id.`,
      { field, value },
      'Use <Agent>-<yyyyMMddTHHmmssZ>-<suffix>: PascalCase agent, compact UTC time, lowercase kebab-case suffix, e.g. Codex-20260409T120000Z-implement-auth.',
    );
  }
  return value;
}

export function requireRequestId(value: unknown, field = 'requestId'): string {
  if (typeof value === 'string' && value.length > MAX_ID_LENGTH) {
    throw new SessionLogError(
      'invalid_request_id',
      `${field} is ${value.length} characters long; at most ${MAX_ID_LENGTH} are allowed.`,
      { field },
      'Shorten the slug after the time, e.g. req-20260409T120001Z-add-jwt-001.',
    );
  }
  if (typeof value !== 'string' || !REQUEST_ID.test(value)) {
    throw new SessionLogError(
      'invalid_request_id',
      `${field} '${String(value)}' is not a valid request id.`,
      { field, value },
      'Use req-<yyyyMMddTHHmmssZ>-<slug>, e.g. req-20260409T120001Z-add-jwt-001.',
    );
  }
  return value;
}

export function invalidParameter(field: string, problem: string, hint: string): SessionLogError {
  return new SessionLogError('invalid_parameter', `${field} ${problem}.`, { field }, hint);
}

export function requireText(value: unknown, field: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidParameter(field, 'is required and must be non-empty text', `Give ${field}, e.g. ${example}.`);
  }
  return checkText(value, field, 'invalid_parameter');
}

export function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParameter(field, 'must be text', `Give ${field} as a string or leave it out.`);
  return checkText(value, field, 'invalid_parameter');
}

/** Refuses a field an item does not have (a misspelt `filepath` or `timestmp` would otherwise be dropped without a word). */
export function refuseUnknownFields(item: Record<string, unknown>, allowed: readonly string[], field: string): void {
  const unknown = Object.keys(item).find((key) => !allowed.includes(key));
  if (unknown === undefined) return;
  const near = allowed.find((key) => key.toLowerCase() === unknown.toLowerCase().replace(/[^a-z]/g, '') || closeTo(key, unknown));
  throw invalidParameter(`${field}.${unknown}`, `is not a field of ${field}${near ? ` (did you mean ${near}?)` : ''}`, `Use only: ${allowed.join(', ')}.`);
}

/** Within one edit (a letter dropped, added or changed), ignoring case. */
function closeTo(a: string, b: string): boolean {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && x[i] === y[i]) i++;
  return x.slice(i + (x.length >= y.length ? 1 : 0)) === y.slice(i + (y.length >= x.length ? 1 : 0));
}

export function requireOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw invalidParameter(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`, `Use one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

export function optionalStrings(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw invalidParameter(field, 'must be a list of strings', `Give ${field} as ["a", "b"].`);
  }
  (value as string[]).forEach((item, index) => checkText(item, `${field}[${index}]`, 'invalid_parameter'));
  return value as string[];
}

/** A lowercase kebab-case slug for generated ids. */
export function slug(text: string, fallback: string): string {
  const value = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return value || fallback;
}

/** The compact time in a session or request id, as ISO. */
export function idTime(id: string): string | undefined {
  const match = /-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-/.exec(id);
  return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z` : undefined;
}
