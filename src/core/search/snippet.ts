const WORD = /[\p{L}\p{N}_]+/gu;
const WIDTH = 200;
const TAG_LINE = /^#[^\s#]+(?:[ \t]+#[^\s#]+)*[ \t]*$/;

export interface Snippet {
  /** One line of plain text around the first match. */
  text: string;
  /** [start, end) of each matched word in `text`. */
  highlights: [number, number][];
}

/** A section's lines as one line of text, without Markdown's quote, list, heading and emphasis marks. */
export function plainText(lines: string[]): string {
  return lines
    .filter((line) => !TAG_LINE.test(line))
    .map((line) => line.replace(/^\s*(?:>\s?|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+\.\s+|#+\s+)/, '').replace(/\*\*|`/g, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether the words of `phrase` follow one another in `text`, each compared as `normalize` makes it. */
export function hasPhrase(text: string, phrase: string[], normalize: (word: string) => string): boolean {
  const words = Array.from(text.matchAll(WORD), (match) => normalize(match[0]));
  const wanted = phrase.flatMap((part) => Array.from(part.matchAll(WORD), (match) => normalize(match[0])));
  if (wanted.length === 0) return true;
  for (let i = 0; i + wanted.length <= words.length; i++) {
    if (wanted.every((word, k) => words[i + k] === word)) return true;
  }
  return false;
}

/** About 200 characters of `text` around the first matching word, with every matching word marked. */
export function makeSnippet(text: string, isMatch: (word: string) => boolean): Snippet {
  const words = Array.from(text.matchAll(WORD), (match) => ({ at: match.index, end: match.index + match[0].length, hit: isMatch(match[0]) }));
  const first = words.find((word) => word.hit);
  let start = first ? Math.max(0, first.at - 60) : 0;
  if (start > 0) start = words.find((word) => word.at >= start)?.at ?? start;
  let end = Math.min(text.length, start + WIDTH);
  if (end < text.length) end = [...words].reverse().find((word) => word.end <= end && word.at > start)?.end ?? end;
  const prefix = start > 0 ? '…' : '';
  const highlights = words
    .filter((word) => word.hit && word.at >= start && word.end <= end)
    .map((word): [number, number] => [word.at - start + prefix.length, word.end - start + prefix.length]);
  return { text: `${prefix}${text.slice(start, end)}${end < text.length ? '…' : ''}`, highlights };
}

/** The snippet with its matches in `**bold**`, as the terminal and chat show it. */
export function markedSnippet(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    out += `${snippet.text.slice(at, start)}**${snippet.text.slice(start, end)}**`;
    at = end;
  }
  return out + snippet.text.slice(at);
}
