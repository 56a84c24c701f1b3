/**
 * A fast path for the simplest YAML: the `key: value` lines and plain lists that .kbcontext files
 * and entry frontmatter hold. Loading and running the `yaml` library costs a CLI process about
 * 15 ms; this reads those files without it. Anything it is not sure of is left to the library.
 */

/** Tabs, controls, BOMs, lone surrogates, and a `\r` not before `\n` (which the library reads as content, not as a line end). */
const UNPRINTABLE = /[^\n\x20-\x7e\u{a0}-\u{d7ff}\u{e000}-\u{fefe}\u{ff00}-\u{fffd}\u{10000}-\u{10ffff}]/u;
// The `s` flag lets `.` match U+2028 and U+2029, which YAML reads as ordinary content.
const BLANK_OR_COMMENT = /^ *(?:#.*)?$/s;
/** A key at column 0. `key:x` is a plain scalar, not a key, so a value needs a space before it. */
const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$/s;
const ITEM_LINE = /^( *)- +(.*)$/s;
/** Plain scalars starting with these are indicators, or may be numbers, nulls or booleans: left to the library. */
const NOT_PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`~+.0-9]/;
/** A date, alone or starting a timestamp: a string in the core schema, which has no timestamp type. */
const DATE_START = /^\d{4}-\d\d-\d\d/;
/** Words that are null or a boolean in some case (some only in some cases: all left to the library). */
const RESERVED_WORD = /^(?:null|true|false)$/i;

/**
 * The mapping `text` holds when it is written in the simple subset, exactly as the `yaml` library
 * (YAML 1.2 core schema) would read it; undefined for anything else, which the caller then hands
 * to the library. Never throws.
 *
 * The subset: top-level `key: value` lines at column 0, each key once, whose value is a single- or
 * double-quoted string on one line (no escapes), a plain string that cannot be read as another type
 * (dates and timestamps are strings), nothing (null), or nothing followed by a block list of such
 * strings at one indentation. Blank lines and full-line comments may appear anywhere. A document
 * without keys gives undefined, so the library decides what an empty document is.
 */
export function parseSimpleYaml(text: string): Record<string, unknown> | undefined {
  const source = text.replace(/\r\n/g, '\n');
  if (UNPRINTABLE.test(source)) return undefined;
  const result: Record<string, unknown> = {};
  // The last key with an empty value, which a block list may follow.
  let open: { key: string; items: unknown[]; indent: number } | undefined;
  for (const line of source.split('\n')) {
    if (BLANK_OR_COMMENT.test(line)) continue;
    const item = ITEM_LINE.exec(line);
    if (item) {
      // A `- ` line indented differently, or after a non-empty value, continues a multi-line scalar.
      if (!open || (open.items.length > 0 && item[1]!.length !== open.indent)) return undefined;
      const value = scalar(item[2]!);
      if (value === undefined) return undefined;
      if (open.items.push(value) === 1) define(result, open.key, open.items);
      open.indent = item[1]!.length;
      continue;
    }
    const entry = KEY_LINE.exec(line);
    // The library allows at most 1024 characters before the `:` of an implicit key.
    if (!entry || entry[1]!.length > 1024 || RESERVED_WORD.test(entry[1]!) || Object.hasOwn(result, entry[1]!)) return undefined;
    const key = entry[1]!;
    const empty = /^ *$/.test(entry[2] ?? '');
    open = empty ? { key, items: [], indent: 0 } : undefined;
    const value = empty ? null : mappingValue(entry[2]!);
    if (value === undefined) return undefined;
    define(result, key, value);
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A key's one-line value: a scalar, or (as agent-session summaries hold) a whole number or an empty flow list. */
function mappingValue(raw: string): unknown {
  const text = raw.replace(/ +$/, '');
  if (text === '[]') return [];
  if (/^(?:0|[1-9][0-9]{0,14})$/.test(text)) return Number(text);
  return scalar(raw);
}

/** A plain scalar the library writes as it stands and reads back as the same string: letters first, then a plain alphabet; or an ISO time. */
const PLAIN_TEXT = /^[A-Za-z_/][A-Za-z0-9_./()@+,-]*(?: [A-Za-z0-9_./()@+,-]+)*$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;

function plain(value: string): boolean {
  return (PLAIN_TEXT.test(value) || ISO_TIME.test(value)) && !RESERVED_WORD.test(value) && !/^(?:y|n|yes|no|on|off|~)$/i.test(value);
}

/**
 * The `key: value` text the library writes for a mapping of whole numbers, plain strings and
 * lists of them (an agent session's summary, say), written without loading it; undefined for
 * anything else (a string that needs quoting, a nested value), which the caller hands to the
 * library. Byte for byte what `YAML.stringify(data, { lineWidth: 0 })` gives.
 */
export function stringifySimpleYaml(data: Record<string, unknown>): string | undefined {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key) || RESERVED_WORD.test(key)) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) lines.push(`${key}: ${value}`);
    else if (typeof value === 'string' && plain(value)) lines.push(`${key}: ${value}`);
    else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${key}: []`);
      else if (value.every((item) => typeof item === 'string' && plain(item))) lines.push(`${key}:`, ...value.map((item) => `  - ${String(item)}`));
      else return undefined;
    } else return undefined;
  }
  return `${lines.join('\n')}\n`;
}

/** The string a one-line scalar stands for; undefined when it may be anything else. */
function scalar(raw: string): string | undefined {
  const text = raw.replace(/ +$/, '');
  if (text.startsWith("'")) return /^'((?:[^']|'')*)'$/.exec(text)?.[1]!.replace(/''/g, "'");
  if (text.startsWith('"')) return /^"([^"\\]*)"$/.exec(text)?.[1];
  if (text === '' || (NOT_PLAIN_START.test(text) && !DATE_START.test(text)) || RESERVED_WORD.test(text)) return undefined;
  // `: ` or a final `:` would make a nested mapping, ` #` starts a comment.
  return /:(?: |$)| #/.test(text) ? undefined : text;
}

/** Sets an own property, even for `__proto__`, as the library does. */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
