import { SessionLogError } from '../errors';
import { parseSimpleYaml } from './simpleYaml';
import { yamlLibrary } from './yaml';

/** gray-matter parses with `yaml`, the project's one YAML library; passing options also skips its cache. */
const MATTER_OPTIONS = {
  language: 'yaml',
  engines: { yaml: { parse: (text: string) => parseYamlMapping(text), stringify: (data: object) => yamlLibrary().YAML.stringify(data) } },
};

/** Where the frontmatter is, found without parsing it. */
export interface FrontmatterBlock {
  /** From the opening `---` to the closing delimiter: the text that is parsed. */
  block: string;
  /** The YAML text between the delimiters. */
  raw: string;
  /** Character offset of `raw` in the text given. */
  rawStart: number;
  /** Character offset just past the closing delimiter's line. */
  end: number;
}

export interface Frontmatter extends FrontmatterBlock {
  data: Record<string, unknown>;
}

const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;

/**
 * Finds the frontmatter at the start of `text` (a BOM already removed) without parsing it.
 * Undefined when there is none; an error naming `file` when it is never closed.
 */
/** Whether `text` opens a frontmatter that it does not close (a head read too short to hold it all). */
export function opensUnclosedFrontmatter(text: string): boolean {
  const opening = OPENING.exec(text);
  return !!opening && !CLOSING.test(text.slice(opening[0].length));
}

export function findFrontmatter(text: string, file: string): FrontmatterBlock | undefined {
  const opening = OPENING.exec(text);
  if (!opening) return undefined;
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) {
    throw new SessionLogError(
      'unparseable_entry',
      `${file}:1: the frontmatter opened on line 1 is never closed with '---'.`,
      { file, line: 1 },
      'Close the frontmatter with a line holding only --- or remove the opening ---.',
    );
  }
  let end = opening[0].length + closing.index + closing[0].length;
  const block = text.slice(0, end);
  if (text[end] === '\r') end++;
  if (text[end] === '\n') end++;
  return { block, raw: rest.slice(0, closing.index), rawStart: opening[0].length, end };
}

/**
 * Finds and parses the frontmatter at the start of `text` (a BOM already removed).
 * Undefined when there is none; an error naming `file` and the line when it cannot be parsed.
 */
export function readFrontmatter(text: string, file: string): Frontmatter | undefined {
  const found = findFrontmatter(text, file);
  if (!found) return undefined;
  // Most frontmatter is a few `key: value` lines and lists, read without the YAML library.
  const simple = parseSimpleYaml(found.raw);
  if (simple) return { data: simple, ...found };
  let data: Record<string, unknown>;
  try {
    // CRLF becomes LF first: gray-matter cuts the YAML before the closing line's `\n`, which would leave a `\r` in the last value.
    data = yamlLibrary().matter(found.block.replace(/\r\n/g, '\n'), MATTER_OPTIONS).data;
  } catch (error) {
    throw frontmatterError(error, file);
  }
  return { data, ...found };
}

function parseYamlMapping(text: string): Record<string, unknown> {
  // Duplicate keys are read (the last wins): a union merge of two appends keeps both `updated` lines.
  const value: unknown = yamlLibrary().YAML.parse(text, { prettyErrors: true, uniqueKeys: false });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new NotAMappingError();
  return value as Record<string, unknown>;
}

class NotAMappingError extends Error {}

function frontmatterError(error: unknown, file: string): SessionLogError {
  if (error instanceof NotAMappingError) {
    return new SessionLogError(
      'unparseable_entry',
      `${file}:2: the frontmatter is not a mapping of keys to values.`,
      { file, line: 2 },
      'Write the frontmatter as key: value lines.',
    );
  }
  // gray-matter hands the engine the text from the end of the opening `---` line on, so the
  // parser's line numbers are already the file's.
  const { YAMLError } = yamlLibrary().YAML;
  const line = error instanceof YAMLError && error.linePos ? error.linePos[0].line : 2;
  const reason = error instanceof Error ? error.message.split('\n')[0]!.replace(/:$/, '') : String(error);
  return new SessionLogError(
    'unparseable_entry',
    `${file}:${line}: the frontmatter is not valid YAML: ${reason}`,
    { file, line },
    'Fix the YAML between the --- lines; the entry is left untouched until then.',
  );
}

/** A YAML scalar as it would be written after `key: `. */
export function yamlScalar(value: string): string {
  return yamlLibrary().stringifyYaml(value).trimEnd();
}

/**
 * Sets `updates` in the frontmatter YAML, keeping every other key, comment and the order.
 * Used for the rare full rewrite; in-place updates go through the same-length patch.
 */
export function setFrontmatterKeys(raw: string, updates: Record<string, string>): string {
  const { YAML } = yamlLibrary();
  const doc = YAML.parseDocument(raw, { uniqueKeys: false });
  if (YAML.isMap(doc.contents)) {
    const map = doc.contents;
    map.items = map.items.filter((pair, index) => {
      const key = YAML.isScalar(pair.key) ? String(pair.key.value) : undefined;
      return !(key && key in updates) || index === map.items.findIndex((other) => YAML.isScalar(other.key) && String(other.key.value) === key);
    });
  }
  for (const [key, value] of Object.entries(updates)) {
    const scalar = doc.createNode(value);
    if (/^\d{4}-\d{2}-\d{2}T/.test(value)) scalar.type = 'QUOTE_SINGLE';
    doc.set(key, scalar);
  }
  return doc.toString({ lineWidth: 0 });
}
