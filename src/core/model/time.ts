const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** memex's section heading: `2026-01-11 14:45 UTC` (UTC, minute precision). */
export function headingTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** ISO time to the second: `2026-01-11T14:45:07Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Compact UTC time used in ids: `20260111T144507Z`. */
export function compactTime(date: Date): string {
  return isoSeconds(date).replace(/[-:]/g, '');
}

const HEADING_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*(?:UTC|Z)?$/;

/** The ISO time a section heading stands for, or undefined when it is not a timestamp. */
export function parseHeadingTime(heading: string): string | undefined {
  const match = HEADING_TIME.exec(heading.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  // Within these ranges the time is written as it stands (the common case, without a Date);
  // anything else goes through Date, which rolls over as it always has (2026-02-30 is 2026-03-02).
  if (+y! >= 100 && +mo! >= 1 && +mo! <= 12 && +d! >= 1 && +d! <= 28 && +h! <= 23 && +mi! <= 59 && (!s || +s <= 59)) return `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}Z`;
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0));
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}
