import * as path from 'node:path';
import { parseAgentSession } from '../agent/format';
import type { AgentSession } from '../agent/model';
import { readFrontmatter } from '../format/frontmatter';
import { indexEntry } from '../format/parse';
import { decisionStatus } from '../model/decision';
import type { Session } from '../model/session';
import type { SearchKind } from './query';

/**
 * One thing search can find: a logged session (an entry's `## ` section), an agent session or one
 * of its turns, or a decision record. What is stored beside the index is what results and filters
 * need; the text itself is read back from the file for the snippet.
 */
export interface SearchDoc {
  /** `<path>#<n>`: the file relative to the knowledge-base root, and the place in it. */
  id: string;
  kind: SearchKind;
  path: string;
  /** 1-based first and last line of the section. */
  line: number;
  endLine: number;
  /** The section's bytes in the file, [start, end): a hit's snippet reads only these. */
  start: number;
  end: number;
  heading: string;
  /** Indexed and boosted: a heading that is not a time, a turn's title, a record's title. */
  title: string;
  /** The session's or turn's own tags, as written. */
  tags: string[];
  /** The file's frontmatter tags. */
  entryTags: string[];
  /** Indexed, not stored. */
  body: string;
  /** ISO time: the session's heading, the turn's start, the record's date. */
  time?: string;
  /** The folder the file belongs to: the entry's, or the one holding agent-sessions/ or decisions/. */
  project: string;
  agent?: string;
  sessionId?: string;
  turnId?: string;
  status?: string;
  /** A hash of everything above: a section whose hash is unchanged is not indexed again. */
  hash: string;
}

/** The documents of one Markdown file of the knowledge base; throws `unparseable_entry` for broken frontmatter. */
export function documentsOf(relative: string, text: string): SearchDoc[] {
  const offsets = lineOffsets(text);
  return drafts(relative, text.replace(/^\uFEFF/, '')).map((draft) => {
    const doc = { ...draft, start: offsets[draft.line - 1] ?? 0, end: offsets[Math.min(draft.endLine, offsets.length - 1)] ?? 0 };
    return { ...doc, hash: hash(JSON.stringify(doc)) };
  });
}

/** Where each line of the file starts, in bytes (UTF-8, a byte-order mark counted), and where the file ends. */
function lineOffsets(text: string): number[] {
  const offsets = [0];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // A surrogate pair is four bytes: two for each half.
    bytes += code < 0x80 ? 1 : code < 0x800 || (code >= 0xd800 && code <= 0xdfff) ? 2 : 3;
    if (code === 10) offsets.push(bytes);
  }
  if (offsets[offsets.length - 1] !== bytes) offsets.push(bytes);
  return offsets;
}

type Draft = Omit<SearchDoc, 'hash' | 'start' | 'end'>;

function drafts(relative: string, source: string): Draft[] {
  const head = readFrontmatter(source, relative)?.data ?? {};
  const entryTags = strings(head.tags);
  // A saved report only restates sessions found elsewhere: finding it would double every hit.
  if (head.type === 'report') return [];
  if (head.type === 'agent-session') return agentDocuments(relative, parseAgentSession(source, relative), source, entryTags);
  if (path.posix.basename(path.posix.dirname(relative)) === 'decisions' && typeof head.id === 'string' && /^ADR-\d+/.test(head.id)) {
    return [decisionDocument(relative, source, head, entryTags)];
  }
  const index = indexEntry(source, relative);
  const project = path.posix.dirname(relative);
  return Array.from({ length: index.count }, (_, i) => sessionDocument(relative, project, index.session(i), entryTags));
}

function sessionDocument(relative: string, project: string, session: Session, entryTags: string[]): Draft {
  return {
    id: `${relative}#${session.index}`,
    kind: 'session',
    path: relative,
    line: session.startLine,
    endLine: session.endLine,
    heading: session.heading,
    title: session.timestamp ? '' : session.heading,
    tags: session.tags,
    entryTags,
    body: [
      session.message,
      session.files.join(' '),
      session.decisions.map((d) => `${d.decision} ${d.rationale ?? ''}`).join('\n'),
      session.followUps.map((f) => f.text).join('\n'),
      session.next ?? '',
      session.links.join(' '),
    ].join('\n'),
    ...(session.timestamp ? { time: session.timestamp } : {}),
    project,
  };
}

function agentDocuments(relative: string, session: AgentSession, source: string, entryTags: string[]): Draft[] {
  const project = ownerFolder(relative, 'agent-sessions');
  const lines = source.split(/\r?\n/);
  const starts: number[] = [];
  lines.forEach((line, i) => {
    if (line.startsWith('## ')) starts.push(i);
  });
  const turnStart = new Map<number, number>();
  for (const start of starts) {
    const turn = /^## Turn (\d+) · /.exec(lines[start]!);
    if (turn) turnStart.set(Number(turn[1]), start);
  }
  const endOf = (start: number) => {
    let end = starts.find((at) => at > start) ?? lines.length;
    while (end > start + 1 && lines[end - 1]!.trim() === '') end--;
    return end;
  };
  const common = { kind: 'turn' as const, path: relative, entryTags, project, agent: session.agent, sessionId: session.sessionId };
  const firstTurn = starts.find((at) => turnStart.get(1) === at) ?? starts[0] ?? lines.length;
  const docs: Draft[] = [
    {
      ...common,
      kind: 'session',
      id: `${relative}#s`,
      line: 1,
      endLine: Math.max(1, firstTurn),
      heading: session.title,
      title: session.title,
      tags: session.tags,
      body: [session.closingNote ?? '', session.filesModified.join(' '), session.model ?? ''].join('\n'),
      ...(session.started ? { time: session.started } : {}),
      status: session.status,
    },
  ];
  session.turns.forEach((turn, i) => {
    const start = turnStart.get(i + 1) ?? 0;
    docs.push({
      ...common,
      id: `${relative}#${i + 1}`,
      line: start + 1,
      endLine: endOf(start),
      heading: `Turn ${i + 1} · ${turn.queryTitle}`,
      title: turn.queryTitle,
      tags: turn.tags,
      turnId: turn.requestId,
      body: [
        turn.queryText,
        turn.interpretation ?? '',
        turn.response ?? '',
        turn.errorMessage ?? '',
        turn.contextList.join(' '),
        turn.dialog.map((item) => item.content).join('\n'),
        turn.actions.map((action) => `${action.description} ${action.filePath}`).join('\n'),
      ].join('\n'),
      ...(turn.started ? { time: turn.started } : {}),
      status: turn.status,
    });
  });
  return docs;
}

function decisionDocument(relative: string, source: string, head: Record<string, unknown>, entryTags: string[]): Draft {
  const lines = source.split(/\r?\n/);
  const bodyStart = lines.findIndex((line, i) => i > 0 && line.trim() === '---') + 1;
  const title = typeof head.title === 'string' ? head.title : '';
  const date = typeof head.date === 'string' ? head.date : '';
  return {
    id: `${relative}#d`,
    kind: 'decision',
    path: relative,
    line: bodyStart + 1,
    endLine: lines.length,
    heading: `${String(head.id)}: ${title}`,
    title: `${String(head.id)} ${title}`,
    tags: entryTags,
    entryTags,
    body: lines.slice(bodyStart).join('\n'),
    ...(/^\d{4}-\d{2}-\d{2}/.test(date) ? { time: date.length === 10 ? `${date}T00:00:00Z` : date } : {}),
    project: ownerFolder(relative, 'decisions'),
    ...optionalStatus(decisionStatus(head)),
  };
}

/** `projects/myapp/agent-sessions/x.md` belongs to `projects/myapp`. */
function ownerFolder(relative: string, folder: string): string {
  const dir = path.posix.dirname(relative);
  return path.posix.basename(dir) === folder ? path.posix.dirname(dir) : dir;
}

/** FNV-1a, 32 bits: enough to tell an edited section from an unchanged one. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

function optionalStatus(status: string | undefined): { status?: string } {
  return status === undefined ? {} : { status };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
