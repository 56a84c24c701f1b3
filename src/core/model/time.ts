const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** memex's section heading: `2026-01-11 14:45 UTC` (UTC, minute precision). */
export function headingTime(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** ISO time to the second: `2026-01-11T14:45:07Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A frontmatter time as memex writes it: UTC to the second, with no zone (`2026-01-11T14:45:07`).
 * memex compares its times with naive datetimes, and fails on a whole knowledge base when one has a zone.
 */
export function memexTime(date: Date): string {
  return isoSeconds(date).slice(0, -1);
}

/**
 * A frontmatter time in any form we or memex write (naive UTC, `Z`, an offset, a space for `T`,
 * microseconds; a YAML timestamp the library read as a Date) as ISO to the second in UTC; undefined for anything else.
 */
export function readFrontmatterTime(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : isoSeconds(value);
  if (typeof value !== 'string') return undefined;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return undefined;
  if (match[4] === undefined || match[4] === 'Z') return `${match[1]}T${match[2]}Z`;
  const date = new Date(`${match[1]}T${match[2]}${match[4]}`);
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}

const TIME_VALUE = /^(['"]?)\d{4}-\d{2}-\d{2}([T ])\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?\1$/;

/**
 * `date` written in the style of `template` (a frontmatter time value as it stands, quotes and
 * all): the same quotes, `T` or space, fraction digits, and `Z`, `+00:00` or no zone; in UTC,
 * so a written `+02:00` becomes `+00:00`. The same length as the template. Undefined when the
 * template is not such a time.
 */
export function timeLike(template: string, date: Date): string | undefined {
  const match = TIME_VALUE.exec(template);
  if (!match) return undefined;
  const [, quote, separator, fraction, zone] = match as unknown as [string, string, string, string | undefined, string | undefined];
  const seconds = date.toISOString().slice(0, 19).replace('T', separator);
  const digits = fraction
    ? `.${String(date.getUTCMilliseconds())
        .padStart(3, '0')
        .padEnd(fraction.length - 1, '0')
        .slice(0, fraction.length - 1)}`
    : '';
  return `${quote}${seconds}${digits}${zone === undefined ? '' : zone === 'Z' ? 'Z' : '+00:00'}${quote}`;
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
  if (+y! >= 100 && +mo! >= 1 && +mo! <= 12 && +d! >= 1 && +d! <= 28 && +h! <= 23 && +mi! <= 59 && (!s || +s <= 59)) {
    return `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}Z`;
  }
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, s ? +s : 0));
  return Number.isNaN(date.getTime()) ? undefined : isoSeconds(date);
}
