/**
 * What the chat participant asks a language model for, and how it reads the answer. Nothing here
 * imports `vscode`, so the parsing is tested in plain node: a model's reply is untrusted text that
 * may wrap its JSON in prose or a fence, misname a field or give a list as one string.
 */
import type { AdrStatus } from '../../core/usecases/decisions';
import { ADR_STATUSES } from '../../core/usecases/decisions';
import type { Decision, SessionRecord } from '../../core/model/session';
import { decodeDecisions } from '../../core/model/decode';
import { redactDeep } from '../../core/model/redact';

/** A session record drafted from a conversation: the log-session skill's fields under the core's names. */
export type SessionDraft = SessionRecord;

/** An ADR drafted from a conversation: what recordDecision takes. */
export interface DecisionDraft {
  title: string;
  context?: string;
  decision: string;
  rationale?: string;
  alternatives: string[];
  consequences: string[];
  status: AdrStatus;
}

/** One exchange of the conversation, as the participant sees it. */
export interface TranscriptMessage {
  role: 'User' | 'Assistant';
  text: string;
}

export const SESSION_PROMPT = `You summarise a coding session for the team's session log.
Read the conversation between <conversation> and </conversation> and reply with ONE JSON object and nothing else:
{
  "summary": "What was the main goal and the outcome, in one to three sentences.",
  "files_modified": ["path/of/each/file/created/or/changed.ts"],
  "decisions_made": [{ "decision": "A technical choice that was made", "rationale": "Why it was made" }],
  "follow_up": ["A task that remains to be done"],
  "tags": ["short-lowercase-tags"],
  "context_for_next_session": "What the next session should start with."
}
Use [] for a list with nothing in it and "" for context_for_next_session when there is none. Invent nothing that the conversation does not say.`;

export const DECISION_PROMPT = `You write an architecture decision record (ADR) for the team's knowledge base.
Read the conversation between <conversation> and </conversation> and reply with ONE JSON object and nothing else:
{
  "title": "Short title of the decision, e.g. Use JWT for authentication",
  "context": "The situation and the forces that called for a decision.",
  "decision": "What was decided.",
  "rationale": "Why.",
  "alternatives_considered": ["Another option that was weighed"],
  "consequences": ["What follows from the decision, good or bad"],
  "status": "accepted"
}
status is one of ${ADR_STATUSES.join(', ')}. Use [] for a list with nothing in it. Invent nothing that the conversation does not say.`;

/** The conversation as one block of text for the prompt, newest exchanges kept when it is long. */
export function transcriptText(messages: readonly TranscriptMessage[], limit = 24_000): string {
  const lines = messages.filter((message) => message.text.trim()).map((message) => `${message.role}: ${message.text.trim()}`);
  let text = lines.join('\n\n');
  while (text.length > limit && lines.length > 1) {
    lines.shift();
    text = `[earlier messages left out]\n\n${lines.join('\n\n')}`;
  }
  return text.length > limit ? text.slice(text.length - limit) : text;
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
export function parseSessionDraft(reply: string): SessionDraft | undefined {
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

/** Keys the redaction leaves alone: tags and links are names, the status an enum. */
const KEEP = new Set(['tags', 'links', 'status']);

/** The draft with every secret replaced by [REDACTED:kind], and how many there were. */
export function redactDraft<T extends SessionDraft | DecisionDraft>(draft: T): { draft: T; count: number } {
  const { value, count } = redactDeep(draft, KEEP);
  return { draft: value, count };
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
