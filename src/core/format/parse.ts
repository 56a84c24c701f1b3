import type { Decision, Entry, FollowUp, Session } from '../model/session';
import { parseHeadingTime } from '../model/time';
import { isMarkerLine, MARKERS, normalizeItem, normalizeText, readCodeSpan, TAG_LINE, unescapeText } from './escape';
import { readFrontmatter } from './frontmatter';

const H2 = /^##(?:[ \t]+(.*))?$/;
const RELATED_LINE = /^Related:[ \t]*(\[\[.*)$/;
const LINK = /\[\[([^\]]+?)\]\]/g;
const ITEM = /^[ \t]{0,1}[-*+][ \t]+(.*)$/;
const SUB_ITEM = /^[ \t]{2,}[-*+][ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]?(.*)$/;

/**
 * An entry whose sections are found but read only when asked for: a page of a long log costs a
 * scan for headings plus the sessions shown, not a full parse of every session.
 */
export interface EntryIndex {
  frontmatter: Record<string, unknown>;
  preamble: string;
  /** How many sessions (`## ` sections) the entry has. */
  count: number;
  /** Session `index` (0 is the oldest), read on first use and kept. */
  session(index: number): Session;
  /** The sessions with a line for which `test` holds, oldest first; only those are read. */
  sessionsWithLine(test: (line: string) => boolean): Session[];
  /** What counting needs of session `index` without reading its message: heading, time, tags, and whether it has a structured record. */
  brief(index: number): SessionBrief;
}

export interface SessionBrief {
  heading: string;
  timestamp?: string;
  tags: string[];
  startLine: number;
  /** It has `### Files modified`, `### Decisions`... sections: read it with `session()` for them. */
  structured: boolean;
}

/**
 * Finds an entry's sections. Accepts what memex writes, hand-edited entries, CRLF and a BOM.
 * Throws `unparseable_entry` (naming `file` and the line) for broken frontmatter.
 */
export function indexEntry(text: string, file = 'entry'): EntryIndex {
  const source = text.replace(/^\uFEFF/, '');
  const frontmatter = readFrontmatter(source, file);
  const bodyStart = frontmatter?.end ?? 0;
  const firstBodyLine = countLines(source, bodyStart) + 1;
  const body = source.slice(bodyStart);
  const lines = (body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body).split('\n');

  const sections: { heading: string; start: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('##')) continue;
    const heading = H2.exec(line);
    if (heading) sections.push({ heading: (heading[1] ?? '').trim(), start: i });
  }
  const read: Session[] = [];
  const end = (index: number): number => sections[index + 1]?.start ?? lines.length;
  const session = (index: number): Session => {
    const section = sections[index];
    if (!section) throw new RangeError(`${file} has no session ${index}`);
    return (read[index] ??= readSection(section.heading, lines, section.start, end(index), firstBodyLine, index));
  };
  return {
    frontmatter: frontmatter?.data ?? {},
    preamble: lines
      .slice(0, sections[0]?.start ?? lines.length)
      .join('\n')
      .trim(),
    count: sections.length,
    session,
    sessionsWithLine: (test) => sections.flatMap((section, index) => (lines.slice(section.start + 1, end(index)).some(test) ? [session(index)] : [])),
    brief: (index) => {
      const section = sections[index];
      if (!section) throw new RangeError(`${file} has no session ${index}`);
      return briefOf(section.heading, lines, section.start, end(index), firstBodyLine);
    },
  };
}

/** Reads an entry into all its sessions (see indexEntry for reading only some). */
export function parseEntry(text: string, file = 'entry'): Entry {
  const index = indexEntry(text, file);
  return { frontmatter: index.frontmatter, preamble: index.preamble, sessions: Array.from({ length: index.count }, (_, i) => index.session(i)) };
}

function countLines(text: string, end: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function briefOf(heading: string, lines: string[], start: number, end: number, lineBase: number): SessionBrief {
  let first = start + 1;
  while (first < end && lines[first]!.trim() === '') first++;
  const tags =
    first < end && TAG_LINE.test(lines[first]!)
      ? lines[first]!.trim()
          .split(/\s+/)
          .map((tag) => tag.slice(1))
          .filter(Boolean)
      : [];
  let structured = false;
  for (let i = first; i < end && !structured; i++) structured = isMarkerLine(lines[i]!) !== undefined;
  const timestamp = parseHeadingTime(heading);
  return { heading, ...(timestamp ? { timestamp } : {}), tags, startLine: lineBase + start, structured };
}

function readSection(heading: string, lines: string[], start: number, end: number, lineBase: number, index: number): Session {
  let first = start + 1;
  let last = end - 1;
  while (first <= last && lines[first]!.trim() === '') first++;
  while (last >= first && lines[last]!.trim() === '') last--;
  const endLine = lineBase + Math.max(last, start);

  let tags: string[] = [];
  if (first <= last && TAG_LINE.test(lines[first]!)) {
    tags = lines[first]!.trim()
      .split(/\s+/)
      .map((tag) => tag.slice(1))
      .filter(Boolean);
    first++;
  }
  let links: string[] = [];
  const related = last >= first ? RELATED_LINE.exec(lines[last]!) : null;
  if (related) {
    links = [...related[1]!.matchAll(LINK)].map((match) => match[1]!);
    last--;
  }
  let structureStart = first;
  while (structureStart <= last && !isMarkerLine(lines[structureStart]!)) structureStart++;

  const timestamp = parseHeadingTime(heading);
  return {
    heading,
    ...(timestamp ? { timestamp } : {}),
    tags,
    message: readText(lines.slice(first, structureStart)),
    links,
    ...readStructure(lines.slice(structureStart, last + 1)),
    startLine: lineBase + start,
    endLine,
    index,
  };
}

function readText(lines: string[]): string {
  return normalizeText(unescapeText(lines.join('\n')));
}

interface Structure {
  files: string[];
  decisions: Decision[];
  followUps: FollowUp[];
  next?: string;
}

function readStructure(lines: string[]): Structure {
  const structure: Structure = { files: [], decisions: [], followUps: [] };
  const nextLines: string[] = [];
  let marker: keyof typeof MARKERS | undefined;
  for (const line of lines) {
    const nextMarker = isMarkerLine(line);
    if (nextMarker) {
      marker = nextMarker;
      continue;
    }
    if (marker === 'next') {
      nextLines.push(line);
      continue;
    }
    const sub = SUB_ITEM.exec(line);
    const item = sub ? undefined : ITEM.exec(line);
    if (marker === 'files' && item) structure.files.push(readCodeSpan(item[1]!.trim()));
    if (marker === 'decisions' && item) structure.decisions.push({ decision: normalizeItem(item[1]!) });
    if (marker === 'decisions' && sub) {
      const rationale = /^Rationale:[ \t]*(.*)$/.exec(sub[1]!);
      const last = structure.decisions[structure.decisions.length - 1];
      if (rationale && last) last.rationale = normalizeItem(rationale[1]!);
    }
    if (marker === 'followUps' && item) {
      const task = TASK.exec(item[1]!);
      structure.followUps.push(task ? { text: normalizeItem(task[2]!), done: task[1] !== ' ' } : { text: normalizeItem(item[1]!), done: false });
    }
  }
  const next = readText(nextLines);
  if (next) structure.next = next;
  return structure;
}
