/**
 * Free text (a message, the next-session context) is written line by line into a section.
 * A line that the reader would take for structure (a `## ` heading that starts a new
 * session, one of our `### ` markers, a line of hashtags, a `Related:` line) gets one
 * Markdown backslash escape, which renders as the same visible text. Reading removes
 * exactly that backslash, so any text round-trips, backslashes included.
 */

export const MARKERS = {
  files: 'Files modified',
  decisions: 'Decisions',
  followUps: 'Follow-ups',
  next: 'Next session',
} as const;

const MARKER_LINE = new RegExp(`^### (${Object.values(MARKERS).join('|')})\\s*$`);
const H2_LINE = /^##(\s|$)/;
// A bare `#` counts: memex wrote one for an empty tag (`--tags=a,`), and the line is still the tag line.
export const TAG_LINE = /^#[^\s#]*(?:[ \t]+#[^\s#]*)*[ \t]*$/;
const RELATED = /^Related(\\*):/;

function looksStructural(bare: string): boolean {
  return H2_LINE.test(bare) || MARKER_LINE.test(bare) || TAG_LINE.test(bare);
}

function escapeLine(line: string): string {
  const bare = line.replace(/^\\+/, '');
  if (looksStructural(bare)) return `\\${line}`;
  return line.replace(RELATED, (_all, slashes: string) => `Related\\${slashes}:`);
}

function unescapeLine(line: string): string {
  const bare = line.replace(/^\\+/, '');
  if (line.startsWith('\\') && looksStructural(bare)) return line.slice(1);
  return line.replace(/^Related\\(\\*):/, (_all, slashes: string) => `Related${slashes}:`);
}

export function escapeText(text: string): string {
  return text.split('\n').map(escapeLine).join('\n');
}

export function unescapeText(text: string): string {
  // Every escape is a backslash: text without one has nothing to undo.
  if (!text.includes('\\')) return text;
  return text.split('\n').map(unescapeLine).join('\n');
}

export function isMarkerLine(line: string): keyof typeof MARKERS | undefined {
  // Called for every line of every section read: most lines are not even `### `.
  if (!line.startsWith('### ')) return undefined;
  const match = MARKER_LINE.exec(line);
  if (!match) return undefined;
  return (Object.keys(MARKERS) as (keyof typeof MARKERS)[]).find((key) => MARKERS[key] === match[1]);
}

/** The canonical form of free text: LF line ends, no leading blank lines, no trailing white space. */
export function normalizeText(text: string): string {
  // A leading line of any white space (a no-break space too) is blank, as the reader sees it.
  return (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).replace(/^(?:[^\S\n]*\n)+/, '').trimEnd();
}

/** List items are one line: line breaks and runs of white space become one space. */
export function normalizeItem(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** A Markdown code span that holds any text, backticks included (CommonMark's padding rule). */
export function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || isPadded(text) ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

export function readCodeSpan(text: string): string {
  const match = /^(`+)(.*)\1$/.exec(text);
  if (!match) return text;
  const inner = match[2]!;
  return isPadded(inner) ? inner.slice(1, -1) : inner;
}

function isPadded(text: string): boolean {
  return text.length >= 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '';
}

/** `text` cut to at most `max` characters, an ellipsis marking the cut. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The first line of `text` that is not blank, trimmed and clipped to `max`; '' when there is none. */
export function firstLine(text: string, max: number): string {
  const line = text.split('\n').find((candidate) => candidate.trim()) ?? '';
  return clip(line.trim(), max);
}

/** `1 turn`, `2 turns`: a count with its noun, as every front end words it. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
