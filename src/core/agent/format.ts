import { codeSpan, readCodeSpan } from '../format/escape';
import { readFrontmatter } from '../format/frontmatter';
import { stringifySimpleYaml } from '../format/simpleYaml';
import { yamlLibrary } from '../format/yaml';
import { readFrontmatterTime } from '../model/time';
import { SessionLogError } from '../errors';
import {
  ACTION_STATUSES,
  ACTION_TYPES,
  DIALOG_CATEGORIES,
  DIALOG_ROLES,
  TURN_STATUSES,
  type Action,
  type AgentSession,
  type AgentSessionSummary,
  type DialogItem,
  type Turn,
  type TurnStatus,
} from './model';

/**
 * An agent session is one Markdown file: frontmatter with the summary (what history shows),
 * a title, then one `## Turn N · title` section per turn. A turn is only ever appended to:
 * each operation adds a `### Update|Dialog|Actions|Completed|Failed · time` block at the end
 * of the file, so a write costs the same on the thousandth turn as on the first. Free text is
 * written as a blockquote, which keeps any text (headings, blank lines) exact and readable.
 */
export type TurnEvent =
  | { kind: 'begin'; at: string; requestId: string; queryTitle: string; queryText: string }
  | { kind: 'update'; at: string; interpretation?: string; response?: string; tokenCount?: number; tags: string[]; contextList: string[] }
  | { kind: 'dialog'; at: string; items: DialogItem[] }
  | { kind: 'actions'; at: string; actions: Action[] }
  | { kind: 'complete'; at: string; response?: string }
  | { kind: 'fail'; at: string; errorMessage: string; errorCode?: string };

/** The comment that pads the frontmatter, so the summary can be rewritten in place. */
const PAD_NOTE = ' room for the summary to grow in place';

const EVENT_TITLES = { update: 'Update', dialog: 'Dialog', actions: 'Actions', complete: 'Completed', fail: 'Failed' } as const;

// ---------------------------------------------------------------- rendering

export function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

function labelled(label: string, text: string | undefined): string[] {
  return text === undefined ? [] : [`**${label}**`, quote(text)];
}

/** The text appended for one event (a blank line first), `turnNumber` naming the turn a `begin` starts. */
export function renderEvent(event: TurnEvent, turnNumber: number): string {
  const parts: string[] = [];
  if (event.kind === 'begin') {
    parts.push(`## Turn ${turnNumber} · ${event.queryTitle}`, `- Request: ${codeSpan(event.requestId)}\n- Started: ${event.at}`);
    if (event.queryText !== '') parts.push(quote(event.queryText));
  } else {
    parts.push(`### ${EVENT_TITLES[event.kind]} · ${event.at}`);
    if (event.kind === 'update') {
      parts.push(...labelled('Interpretation', event.interpretation), ...labelled('Response', event.response));
      if (event.tokenCount !== undefined) parts.push(`**Token count:** ${event.tokenCount}`);
      if (event.tags.length > 0) parts.push(`**Tags:** ${event.tags.map((tag) => `#${tag}`).join(' ')}`);
      if (event.contextList.length > 0) parts.push('**Context**', event.contextList.map((item) => `- ${codeSpan(item)}`).join('\n'));
    } else if (event.kind === 'dialog') {
      for (const item of event.items) parts.push(`#### ${item.timestamp} · ${item.role} · ${item.category}`, quote(item.content));
    } else if (event.kind === 'actions') {
      parts.push(event.actions.map(renderAction).join('\n'));
    } else if (event.kind === 'complete') {
      parts.push(...labelled('Response', event.response));
    } else {
      if (event.errorCode !== undefined) parts.push(`**Error code:** ${codeSpan(event.errorCode)}`);
      parts.push(...labelled('Error', event.errorMessage));
    }
  }
  return `\n${parts.join('\n\n')}\n`;
}

function renderAction(action: Action): string {
  const file = action.filePath ? ` · ${codeSpan(action.filePath)}` : '';
  return `${action.order}. ${action.type} · ${action.status}${file} — ${action.description}`;
}

export function renderClosing(at: string, note: string | undefined): string {
  return `\n${[`## Session closed · ${at}`, ...(note ? [quote(note)] : [])].join('\n\n')}\n`;
}

/** memex's entry statuses: an agent session file is a memex entry too, so its own status is `sessionStatus`. */
const MEMEX_STATUSES = ['draft', 'published', 'archived'];

/** The tag every agent session file carries first (memex requires a tag), Session Log's mark: not one of the session's tags. */
export const AGENT_SESSION_TAG = 'agent-session';

/**
 * The frontmatter block (delimiters included), padded with a YAML comment to `padTo` bytes when given.
 * A valid memex entry: `title`, `created`/`updated` in memex's naive UTC, `status` memex's (`published`
 * unless memex set another), and a non-empty `tags`; the session's own state is under keys memex does not constrain.
 */
export function renderSummary(summary: AgentSessionSummary, padTo?: number, extra: Record<string, unknown> = {}): string {
  const { status: memexStatus, ...others } = extra;
  const head: Record<string, unknown> = {
    // Keys someone else put there (memex, a person, a later version) survive every rewrite, first so ours stay at the end.
    ...others,
    type: 'agent-session',
    agent: summary.agent,
    sessionId: summary.sessionId,
    title: summary.title,
    ...(summary.model ? { model: summary.model } : {}),
    ...(summary.parentSessionId ? { parentSessionId: summary.parentSessionId } : {}),
  };
  const tail: Record<string, unknown> = {
    status: typeof memexStatus === 'string' && MEMEX_STATUSES.includes(memexStatus) ? memexStatus : 'published',
    sessionStatus: summary.status,
    turnCount: summary.turnCount,
    filesModifiedCount: summary.filesModified.length,
    filesModified: summary.filesModified,
    tags: union([AGENT_SESSION_TAG], summary.tags),
    ...(summary.currentTurn
      ? {
          currentTurn: summary.currentTurn.requestId,
          currentTurnStatus: summary.currentTurn.status,
          currentTurnUpdated: summary.currentTurn.updated,
        }
      : {}),
  };
  // Quoted as memex writes them: a YAML 1.1 reader (memex's) takes them for strings it parses as naive times.
  const times = `created: ${naiveQuoted(summary.started)}\nupdated: ${naiveQuoted(summary.lastUpdated)}\n`;
  const yaml = stringifyYaml(head) + times + stringifyYaml(tail);
  const block = `---\n${yaml}---\n`;
  if (padTo === undefined) return block;
  const free = padTo - byteLength(block) - 2;
  if (free < 0) return block;
  const note = free >= PAD_NOTE.length ? PAD_NOTE : '';
  return `---\n${yaml}#${note}${' '.repeat(free - note.length)}\n---\n`;
}

function stringifyYaml(data: Record<string, unknown>): string {
  // Most summaries are plain words, ids, times and numbers: written without loading the library (a hook process's largest cost).
  return stringifySimpleYaml(data) ?? yamlLibrary().stringifyYaml(data, { lineWidth: 0 });
}

/** `2026-04-09T12:00:01Z` as memex writes times: `'2026-04-09T12:00:01'`. */
function naiveQuoted(iso: string): string {
  return `'${iso.replace(/Z$/, '').replace(/'/g, "''")}'`;
}

export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function renderNewSession(summary: AgentSessionSummary, padding: number): string {
  const head = renderSummary(summary);
  const intro = `# ${summary.title}\n\n${summary.agent} session ${codeSpan(summary.sessionId)}${summary.model ? ` with ${summary.model}` : ''}, started ${summary.started}.\n`;
  return renderSummary(summary, byteLength(head) + padding) + '\n' + intro;
}

// ---------------------------------------------------------------- parsing

function invalid(file: string, line: number, what: string): SessionLogError {
  return new SessionLogError(
    'unparseable_entry',
    `${file}:${line}: ${what}.`,
    { file, line },
    'Repair the agent session file by hand; it is left untouched until then.',
  );
}

const SUMMARY_KEYS = new Set([
  'type',
  'agent',
  'sessionId',
  'title',
  'model',
  'parentSessionId',
  'created',
  'updated',
  'started',
  'lastUpdated',
  'status',
  'sessionStatus',
  'turnCount',
  'filesModifiedCount',
  'filesModified',
  'tags',
  'currentTurn',
  'currentTurnStatus',
  'currentTurnUpdated',
]);

/** The summary from the frontmatter alone (what history and turn operations read), and the keys it does not know (`extra`), to keep. */
export function readSummary(text: string, file: string): { summary: AgentSessionSummary; headLength: number; headEnd: number; extra: Record<string, unknown> } {
  const frontmatter = readFrontmatter(text, file);
  if (!frontmatter || frontmatter.data.type !== 'agent-session') throw invalid(file, 1, 'is not an agent session (no frontmatter with type: agent-session)');
  const data = frontmatter.data;
  const str = (key: string): string | undefined =>
    typeof data[key] === 'string' ? (data[key] as string) : data[key] === undefined ? undefined : String(data[key]);
  const list = (key: string): string[] => (Array.isArray(data[key]) ? (data[key] as unknown[]).map(String) : []);
  const current = str('currentTurn');
  const summary: AgentSessionSummary = {
    agent: str('agent') ?? '',
    sessionId: str('sessionId') ?? '',
    title: str('title') ?? '',
    ...(str('model') ? { model: str('model')! } : {}),
    ...(str('parentSessionId') ? { parentSessionId: str('parentSessionId')! } : {}),
    // Files written before they were memex entries have `started`, `lastUpdated` and our status as `status`.
    started: readFrontmatterTime(data.created) ?? str('started') ?? '',
    lastUpdated: readFrontmatterTime(data.updated) ?? str('lastUpdated') ?? '',
    status: (str('sessionStatus') ?? str('status')) === 'completed' ? 'completed' : 'in_progress',
    turnCount: Number(data.turnCount ?? 0) || 0,
    filesModified: list('filesModified'),
    tags: list('tags').filter((tag, index) => index > 0 || tag !== AGENT_SESSION_TAG),
    ...(current
      ? {
          currentTurn: {
            requestId: current,
            status: (TURN_STATUSES as readonly string[]).includes(str('currentTurnStatus') ?? '') ? (str('currentTurnStatus') as TurnStatus) : 'in_progress',
            updated: str('currentTurnUpdated') ?? str('lastUpdated') ?? '',
          },
        }
      : {}),
  };
  const extra = Object.fromEntries(Object.entries(data).filter(([key]) => !SUMMARY_KEYS.has(key)));
  // A status memex set (archived, say) is kept; an old file's `status` was the session's own.
  if (typeof data.status === 'string' && MEMEX_STATUSES.includes(data.status)) extra.status = data.status;
  return { summary, headLength: byteLength(text.slice(0, frontmatter.end)), headEnd: frontmatter.end, extra };
}

const TURN_HEADING = /^## Turn (\d+) · (.*)$/;
const EVENT_HEADING = /^### (Update|Dialog|Actions|Completed|Failed) · (\S+)$/;
const DIALOG_HEADING = /^#### (\S+) · (\S+) · (\S+)$/;
const CLOSED_HEADING = /^## Session closed · (\S+)$/;

/** The whole session: the summary, then every turn folded from its events. */
export function parseAgentSession(text: string, file: string): AgentSession {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { summary } = readSummary(source, file);
  const lines = source.split('\n');
  const turns: Turn[] = [];
  let closingNote: string | undefined;
  let closed = false;
  for (const section of splitSections(lines, /^## /)) {
    const heading = lines[section.start]!;
    const closing = CLOSED_HEADING.exec(heading);
    if (closing) {
      closed = true;
      const note = readQuote(lines.slice(section.start + 1, section.end));
      if (note) closingNote = note;
      continue;
    }
    if (TURN_HEADING.test(heading)) turns.push(readTurn(lines, section.start, section.end, file));
  }
  const last = turns[turns.length - 1];
  return {
    ...summary,
    status: closed ? 'completed' : summary.status,
    turnCount: turns.length,
    ...(last ? { currentTurn: { requestId: last.requestId, status: last.status, updated: last.updated } } : {}),
    turns,
    ...(closingNote ? { closingNote } : {}),
  };
}

/** The first and last line (1-based) of turn `number`'s section, trailing blank lines left out: where editors open and copy it. */
export function turnLines(text: string, number: number): { start: number; end: number } | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`## Turn ${number} · `));
  if (start === -1) return undefined;
  let end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  if (end === -1) end = lines.length;
  while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
  return { start: start + 1, end };
}

/** The last turn only, read from the end of the file: what a turn operation needs. */
export function parseLastTurn(text: string, file: string): Turn | undefined {
  const source = text.replace(/\r\n?/g, '\n');
  const at = source.lastIndexOf('\n## Turn ');
  if (at === -1) return undefined;
  const lines = source.slice(at + 1).split('\n');
  const end = lines.findIndex((line, index) => index > 0 && line.startsWith('## '));
  const lineBase = source.slice(0, at + 1).split('\n').length - 1;
  return readTurn(lines, 0, end === -1 ? lines.length : end, file, lineBase);
}

function splitSections(lines: string[], pattern: RegExp, from = 0, to = lines.length): { start: number; end: number }[] {
  const sections: { start: number; end: number }[] = [];
  for (let i = from; i < to; i++) {
    if (!pattern.test(lines[i]!)) continue;
    if (sections.length > 0) sections[sections.length - 1]!.end = i;
    sections.push({ start: i, end: to });
  }
  return sections;
}

function readQuote(lines: string[]): string | undefined {
  const quoted = trimBlank(lines);
  if (quoted.length === 0 || !quoted.every((line) => line === '>' || line.startsWith('> '))) return undefined;
  return quoted.map((line) => line.slice(2)).join('\n');
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]!.trim() === '') start++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  return lines.slice(start, end);
}

/** Blocks of a body separated by blank lines; a blockquote's `>` lines are never blank. */
function blocks(lines: string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') {
      if (current.length) result.push(current);
      current = [];
    } else current.push(line);
  }
  if (current.length) result.push(current);
  return result;
}

function readTurn(lines: string[], start: number, end: number, file: string, lineBase = 0): Turn {
  const heading = TURN_HEADING.exec(lines[start]!)!;
  const events = splitSections(lines, /^### /, start + 1, end);
  const intro = blocks(lines.slice(start + 1, events[0]?.start ?? end));
  const meta = intro[0] ?? [];
  const requestId = readCodeSpan((/^- Request: (.*)$/.exec(meta[0] ?? '')?.[1] ?? '').trim());
  const started = /^- Started: (\S+)$/.exec(meta[1] ?? '')?.[1];
  if (!requestId || !started) throw invalid(file, lineBase + start + 2, `turn '${heading[2]}' lacks its "- Request:" and "- Started:" lines`);
  const turn: Turn = {
    requestId,
    queryTitle: heading[2]!,
    queryText: intro[1] ? (readQuote(intro[1]) ?? '') : '',
    tags: [],
    contextList: [],
    dialog: [],
    actions: [],
    status: 'in_progress',
    started,
    updated: started,
  };
  for (const event of events) applyEvent(turn, readEvent(lines, event.start, event.end, file, lineBase));
  return turn;
}

function readEvent(lines: string[], start: number, end: number, file: string, lineBase: number): Exclude<TurnEvent, { kind: 'begin' }> {
  const heading = EVENT_HEADING.exec(lines[start]!);
  if (!heading) throw invalid(file, lineBase + start + 1, `'${lines[start]}' is not a turn event heading`);
  const at = heading[2]!;
  const body = lines.slice(start + 1, end);
  switch (heading[1]) {
    case 'Dialog':
      return { kind: 'dialog', at, items: readDialog(body) };
    case 'Actions':
      return {
        kind: 'actions',
        at,
        actions: blocks(body)
          .flat()
          .map(readAction)
          .filter((a): a is Action => !!a),
      };
    default:
      break;
  }
  const fields = readLabelled(body);
  if (heading[1] === 'Completed') return { kind: 'complete', at, ...(fields.Response !== undefined ? { response: fields.Response } : {}) };
  if (heading[1] === 'Failed') {
    return {
      kind: 'fail',
      at,
      errorMessage: fields.Error ?? '',
      ...(fields['Error code'] !== undefined ? { errorCode: readCodeSpan(fields['Error code']) } : {}),
    };
  }
  return {
    kind: 'update',
    at,
    ...(fields.Interpretation !== undefined ? { interpretation: fields.Interpretation } : {}),
    ...(fields.Response !== undefined ? { response: fields.Response } : {}),
    ...(fields['Token count'] !== undefined ? { tokenCount: Number(fields['Token count']) } : {}),
    tags: fields.Tags
      ? fields.Tags.split(/\s+/)
          .filter(Boolean)
          .map((tag) => tag.replace(/^#/, ''))
      : [],
    contextList: fields.Context ? fields.Context.split('\n').map((line) => readCodeSpan(line.replace(/^- /, ''))) : [],
  };
}

/** `**Label**` followed by a blockquote or a list, and `**Label:** value` on one line. */
function readLabelled(body: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  const parts = blocks(body);
  for (let i = 0; i < parts.length; i++) {
    const first = parts[i]![0]!;
    const inline = /^\*\*([^*]+):\*\* (.*)$/.exec(first);
    if (inline) {
      fields[inline[1]!] = inline[2]!;
      continue;
    }
    const label = /^\*\*([^*]+)\*\*$/.exec(first);
    const next = parts[i + 1];
    if (!label || !next) continue;
    fields[label[1]!] = label[1] === 'Context' ? next.join('\n') : (readQuote(next) ?? next.join('\n'));
    i++;
  }
  return fields;
}

function readDialog(body: string[]): DialogItem[] {
  const items: DialogItem[] = [];
  for (const section of splitSections(body, /^#### /)) {
    const heading = DIALOG_HEADING.exec(body[section.start]!);
    if (!heading) continue;
    items.push({
      timestamp: heading[1]!,
      role: heading[2] as DialogItem['role'],
      category: heading[3] as DialogItem['category'],
      content: readQuote(body.slice(section.start + 1, section.end)) ?? '',
    });
  }
  return items.filter((item) => (DIALOG_ROLES as readonly string[]).includes(item.role) && (DIALOG_CATEGORIES as readonly string[]).includes(item.category));
}

const ACTION_LINE = /^(\d+)\. (\S+) · (\S+)( · (`+).*?\5)? — (.*)$/;

function readAction(line: string): Action | undefined {
  const match = ACTION_LINE.exec(line);
  if (!match || !(ACTION_TYPES as readonly string[]).includes(match[2]!) || !(ACTION_STATUSES as readonly string[]).includes(match[3]!)) return undefined;
  return {
    order: Number(match[1]),
    type: match[2] as Action['type'],
    status: match[3] as Action['status'],
    filePath: match[4] ? readCodeSpan(match[4].slice(3)) : '',
    description: match[6]!,
  };
}

/** Folds one event into a turn: the one reducer both writing and reading use. */
export function applyEvent(turn: Turn, event: Exclude<TurnEvent, { kind: 'begin' }>): Turn {
  turn.updated = event.at;
  switch (event.kind) {
    case 'update':
      if (event.interpretation !== undefined) turn.interpretation = event.interpretation;
      if (event.response !== undefined) turn.response = event.response;
      if (event.tokenCount !== undefined) turn.tokenCount = event.tokenCount;
      turn.tags = union(turn.tags, event.tags);
      turn.contextList = union(turn.contextList, event.contextList);
      break;
    case 'dialog':
      turn.dialog.push(...event.items);
      break;
    case 'actions':
      turn.actions.push(...event.actions);
      break;
    case 'complete':
      turn.status = 'completed';
      turn.ended = event.at;
      if (event.response !== undefined) turn.response = event.response;
      break;
    case 'fail':
      turn.status = 'failed';
      turn.ended = event.at;
      turn.errorMessage = event.errorMessage;
      if (event.errorCode !== undefined) turn.errorCode = event.errorCode;
      break;
  }
  return turn;
}

export function union(a: readonly string[], b: readonly string[]): string[] {
  const result = [...a];
  for (const item of b) if (!result.includes(item)) result.push(item);
  return result;
}
