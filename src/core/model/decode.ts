import type { Decision, FollowUp, SessionRecord } from './session';

/**
 * One decoder per record, for input nobody typed-checked (a chat button's JSON, a command's
 * arguments, a model's reply): each keeps the well-formed parts and leaves the rest out. Input
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
