import { readFrontmatter } from './frontmatter';

/**
 * A three-way merge for session entries, which only grow: the sections both sides kept from
 * the base are merged one by one (a side that left one alone takes the other's change), then
 * the sections each side appended follow, ours first. `updated` takes the later time. Where
 * both sides changed the same thing differently it gives up (undefined), and git's line merge
 * takes over. Git's built-in `union` merge is not enough: it folds identical lines at the
 * edges of the two sides' appends (two sessions logged in the same minute share a heading)
 * and so mixes sessions together.
 */
export function mergeEntries(base: string, ours: string, theirs: string): string | undefined {
  const [b, a, t] = [split(base), split(ours), split(theirs)];
  if (!b || !a || !t) return undefined;
  if (a.sections.length < b.sections.length || t.sections.length < b.sections.length) return undefined;
  const frontmatter = mergeFrontmatter(b.frontmatter, a.frontmatter, t.frontmatter);
  const preamble = pick(b.preamble, a.preamble, t.preamble);
  if (frontmatter === undefined || preamble === undefined) return undefined;
  const sections: string[] = [];
  for (let i = 0; i < b.sections.length; i++) {
    const merged = pick(b.sections[i]!, a.sections[i]!, t.sections[i]!);
    if (merged === undefined) return undefined;
    sections.push(merged);
  }
  sections.push(...a.sections.slice(b.sections.length), ...t.sections.slice(b.sections.length));
  const eol = ours.includes('\r\n') ? '\r\n' : '\n';
  const body = [preamble, ...sections]
    .map((part) => part.replace(/\s+$/, ''))
    .filter(Boolean)
    .join(eol + eol);
  return `${frontmatter}${body}${eol}`;
}

interface Parts {
  frontmatter: string;
  preamble: string;
  sections: string[];
}

function split(text: string): Parts | undefined {
  let frontmatter = '';
  try {
    const found = readFrontmatter(text.replace(/^\uFEFF/, ''), 'entry');
    if (found) frontmatter = text.slice(0, found.end + (text.startsWith('\uFEFF') ? 1 : 0));
  } catch {
    return undefined;
  }
  const lines = text.slice(frontmatter.length).split('\n');
  const starts = lines.flatMap((line, index) => (/^##(?:[ \t]|\r?$)/.test(line) ? [index] : []));
  const cut = (from: number, to: number) => lines.slice(from, to).join('\n');
  return {
    frontmatter,
    preamble: cut(0, starts[0] ?? lines.length),
    sections: starts.map((start, i) => cut(start, starts[i + 1] ?? lines.length)),
  };
}

const same = (x: string, y: string) => x.replace(/\s+$/, '') === y.replace(/\s+$/, '');

/** The three-way choice for one part: a side that kept the base takes the other's version. */
function pick(base: string, ours: string, theirs: string): string | undefined {
  if (same(ours, theirs) || same(theirs, base)) return ours;
  if (same(ours, base)) return theirs;
  return undefined;
}

const UPDATED = /^updated:.*(?:\r?\n)?/gm;

function mergeFrontmatter(base: string, ours: string, theirs: string): string | undefined {
  const chosen = pick(base, ours, theirs);
  if (chosen !== undefined) return chosen;
  // Both sides appended, so both set `updated`: merge the rest, and keep the later time.
  const strip = (text: string) => text.replace(UPDATED, '');
  const rest = pick(strip(base), strip(ours), strip(theirs));
  if (rest === undefined) return undefined;
  const lines = [...(ours.match(UPDATED) ?? []), ...(theirs.match(UPDATED) ?? [])];
  const value = (line: string) => line.replace(/^updated:\s*['"]?/, '').replace(/['"]?\s*$/, '');
  const latest = lines.sort((x, y) => value(x).localeCompare(value(y))).pop();
  const closing = rest.lastIndexOf('---');
  return latest ? `${rest.slice(0, closing)}${latest.endsWith('\n') ? latest : `${latest}\n`}${rest.slice(closing)}` : rest;
}
