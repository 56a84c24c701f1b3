/**
 * What the chat participant asks a language model for, and the conversation it gives it. Its
 * reply is read by the core's decoders (`parseSessionDraft`, `parseDecisionDraft` in
 * core/model/decode.ts). Nothing here imports `vscode`, so it is tested in plain node.
 */
import { ADR_STATUSES, type DecisionDraft } from '../../core/model/decision';
import type { SessionRecord } from '../../core/model/session';
import { redactDeep } from '../../core/model/redact';

/** A session record drafted from a conversation: the log-session skill's fields under the core's names. */
export type SessionDraft = SessionRecord;

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

/** Keys the redaction leaves alone: tags and links are names, the status an enum. */
const KEEP = new Set(['tags', 'links', 'status']);

/** The draft with every secret replaced by [REDACTED:kind], and how many there were. */
export function redactDraft<T extends SessionDraft | DecisionDraft>(draft: T): { draft: T; count: number } {
  const { value, count } = redactDeep(draft, KEEP);
  return { draft: value, count };
}
