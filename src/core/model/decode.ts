import { ADR_STATUSES, type AdrStatus, type DecisionDraft } from './decision';
import type { Decision, FollowUp, SessionRecord } from './session';

/**
 * One decoder per record, for input nobody typed-checked (a chat button's JSON, a command's
 * arguments, a model's reply): each keeps the well-formed parts and leaves the rest out. A
 * language model's reply is read last: it may wrap its JSON in prose or a fence, misname a field
 * or give a list as one string, so its fields are looked for under several names. Input
 * that must be refused with a message instead (the agent operations' params) is decoded by
 * `core/agent/inputs.ts`.
 */

/** "decision :: rationale", as the form and `--decision` take it. */
export function parseDecision(text: string): Decision {
  const at = text.indexOf('::');
  if (at === -1) return { decision: text.trim() };
  const rationale = text.slice(at + 2).trim();
  return { decision: text.slice(0, at).trim(), ...(rationale ? { rationale } : {}) };
}

/** A decision: `{ decision, rationale? }` or "decision :: rationale"; undefined without a decision. */
export function decodeDecision(item: unknown): Decision | undefined {
  if (typeof item === 'string') {
    const parsed = parseDecision(item);
    return parsed.decision ? parsed : undefined;
  }
  const { decision, rationale } = (item && typeof item === 'object' ? item : {}) as Partial<Record<keyof Decision, unknown>>;
  if (typeof decision !== 'string' || !decision.trim()) return undefined;
  return { decision, ...(typeof rationale === 'string' && rationale.trim() ? { rationale } : {}) };
}

/** A follow-up: its text (open), or `{ text, done? }`; undefined without text. */
export function decodeFollowUp(item: unknown): FollowUp | undefined {
  if (typeof item === 'string') return item.trim() ? { text: item, done: false } : undefined;
  const { text, done } = (item && typeof item === 'object' ? item : {}) as Partial<Record<keyof FollowUp, unknown>>;
  return typeof text === 'string' && text.trim() ? { text, done: done === true } : undefined;
}

/** The strings of a list; nothing for anything else. */
export function decodeStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function decodeList<T>(value: unknown, decode: (item: unknown) => T | undefined): T[] {
  return (Array.isArray(value) ? value : []).flatMap((item: unknown) => {
    const decoded = decode(item);
    return decoded === undefined ? [] : [decoded];
  });
}

export const decodeDecisions = (value: unknown): Decision[] => decodeList(value, decodeDecision);
export const decodeFollowUps = (value: unknown): FollowUp[] => decodeList(value, decodeFollowUp);

/**
 * The well-formed parts of a session record: each field present only when it was given in the
 * right shape (lists keep their well-formed items), so a caller can fill in the rest.
 */
export function decodeSessionRecord(value: unknown): Partial<SessionRecord> {
  const given = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const text = (key: 'message' | 'next') => (typeof given[key] === 'string' ? { [key]: given[key] } : {});
  const list = (key: 'tags' | 'links' | 'files') => (Array.isArray(given[key]) ? { [key]: decodeStrings(given[key]) } : {});
  return {
    ...text('message'),
    ...list('tags'),
    ...list('links'),
    ...list('files'),
    ...(Array.isArray(given.decisions) ? { decisions: decodeDecisions(given.decisions) } : {}),
    ...(Array.isArray(given.followUps) ? { followUps: decodeFollowUps(given.followUps) } : {}),
    ...text('next'),
  };
}

/**
 * The first JSON object in a reply: the whole reply when it parses, else a fenced block, else
 * the span from the first `{` to its matching `}`. Undefined when there is none.
 */
export function extractJsonObject(reply: string): Record<string, unknown> | undefined {
  const candidates = [reply.trim()];
  for (const match of reply.matchAll(/```(?:json|JSON)?\s*\n([\s\S]*?)```/g)) candidates.push(match[1]!.trim());
  // Each `{` in turn: a brace in the prose before the record (a template name, a snippet) must not hide it.
  for (let start = reply.indexOf('{'); start !== -1; start = reply.indexOf('{', start + 1)) {
    const end = matchingBrace(reply, start);
    if (end !== -1) candidates.push(reply.slice(start, end + 1));
  }
  for (const candidate of candidates) {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // Try the next reading.
    }
  }
  return undefined;
}

/** The index of the `}` closing the `{` at `start`, skipping strings; -1 when unbalanced. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return i;
  }
  return -1;
}

/** A session draft from a model's reply; undefined when the reply holds no usable summary. */
export function parseSessionDraft(reply: string): SessionRecord | undefined {
  const json = extractJsonObject(reply);
  if (!json) return undefined;
  const message = firstText(json, ['summary', 'message', 'session_summary']);
  if (!message) return undefined;
  const next = firstText(json, ['context_for_next_session', 'next', 'next_session', 'context_for_next']);
  return {
    message,
    tags: cleanDraftTags(listOf(pick(json, ['tags']))),
    links: [],
    files: unique(listOf(pick(json, ['files_modified', 'files', 'filesModified'])).map((file) => file.replace(/^`|`$/g, ''))),
    decisions: decisionsOf(pick(json, ['decisions_made', 'decisions', 'decisionsMade'])),
    followUps: unique(listOf(pick(json, ['follow_up', 'follow_ups', 'followUps', 'follow-ups']))).map((text) => ({ text, done: false })),
    ...(next ? { next } : {}),
  };
}

/** An ADR draft from a model's reply; undefined when it has no title or no decision. */
export function parseDecisionDraft(reply: string): DecisionDraft | undefined {
  const json = extractJsonObject(reply);
  if (!json) return undefined;
  const title = firstText(json, ['title', 'name'])?.split('\n')[0];
  const decision = firstText(json, ['decision', 'decided']);
  if (!title || !decision) return undefined;
  const status = firstText(json, ['status'])?.toLowerCase();
  const context = firstText(json, ['context', 'background']);
  const rationale = firstText(json, ['rationale', 'why', 'reasons']);
  return {
    title,
    ...(context ? { context } : {}),
    decision,
    ...(rationale ? { rationale } : {}),
    alternatives: unique(listOf(pick(json, ['alternatives_considered', 'alternatives', 'alternativesConsidered']))),
    consequences: unique(listOf(pick(json, ['consequences']))),
    status: ADR_STATUSES.includes(status as AdrStatus) ? (status as AdrStatus) : 'accepted',
  };
}

function pick(json: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) if (json[key] !== undefined && json[key] !== null) return json[key];
  return undefined;
}

function firstText(json: Record<string, unknown>, keys: string[]): string | undefined {
  const value = pick(json, keys);
  const text = typeof value === 'string' ? value : Array.isArray(value) ? listOf(value).join('\n') : undefined;
  return text?.trim() || undefined;
}

/** A list of non-empty strings from a list, a single string (one item a line) or a list of objects with text. */
function listOf(value: unknown): string[] {
  if (typeof value === 'string') {
    return value
      .split('\n')
      .map((line) => line.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').trim())
      .filter(Boolean);
  }
  if (!Array.isArray(value)) return [];
  return value
    .map((item) => {
      if (typeof item === 'string') return item.trim();
      if (typeof item === 'number') return String(item);
      if (item && typeof item === 'object') {
        const record = item as Record<string, unknown>;
        const text = [record.text, record.task, record.title, record.path, record.file, record.name].find((field) => typeof field === 'string');
        return typeof text === 'string' ? text.trim() : '';
      }
      return '';
    })
    .filter(Boolean);
}

function decisionsOf(value: unknown): Decision[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? listOf(value) : [];
  // A model names the fields as it likes: its other names are read as the record's own.
  const named = (record: Record<string, unknown>, keys: string[]) =>
    keys
      .map((key) => record[key])
      .find((field): field is string => typeof field === 'string' && !!field.trim())
      ?.trim();
  return decodeDecisions(
    items.map((item: unknown) => {
      if (!item || typeof item !== 'object') return item;
      const record = item as Record<string, unknown>;
      return { decision: named(record, ['decision', 'title', 'choice']), rationale: named(record, ['rationale', 'reason', 'why']) };
    }),
  );
}

/** Tags as the core accepts them: no `#`, spaces or brackets; a model's "test model" becomes "test-model". */
function cleanDraftTags(tags: string[]): string[] {
  return unique(
    tags
      .map((tag) =>
        tag
          .trim()
          .replace(/^#+/, '')
          .replace(/[\s,[\]#]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .toLowerCase(),
      )
      .filter(Boolean),
  );
}

function unique(items: string[]): string[] {
  return [...new Set(items.map((item) => item.trim()).filter(Boolean))];
}
