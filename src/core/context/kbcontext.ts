import * as path from 'node:path';
import type * as YAMLTypes from 'yaml';
import { SessionLogError } from '../errors';
import { parseSimpleYaml } from '../format/simpleYaml';
import { yamlLibrary } from '../format/yaml';
import type { Environment, FileSystem } from '../ports';
import { toPosix } from './paths';

export const KBCONTEXT_FILE = '.kbcontext';
const MAX_LEVELS = 50;

/** A project's `.kbcontext`; unknown keys are kept in `extra` and otherwise ignored. */
export interface KbContext {
  /** Absolute path of the file. */
  file: string;
  project?: string;
  primary?: string;
  session_entry?: string;
  paths: string[];
  default_tags: string[];
  extra: Record<string, unknown>;
}

/**
 * Finds the `.kbcontext` as memex does: `VL_KB_CONTEXT` names it (a missing file there
 * means no context), else walk up from `cwd` at most 50 levels.
 */
export async function findKbContext(fs: FileSystem, env: Environment, cwd = env.cwd()): Promise<string | undefined> {
  return (await readKbContextFile(fs, env, cwd))?.file;
}

export async function loadKbContext(fs: FileSystem, env: Environment, cwd?: string): Promise<KbContext | undefined> {
  const found = await readKbContextFile(fs, env, cwd ?? env.cwd());
  return found && parseKbContext(found.text, found.file);
}

/** The `.kbcontext` and its text. Each candidate is read straight away (a folder reads as nothing): no stat first. */
async function readKbContextFile(fs: FileSystem, env: Environment, cwd: string): Promise<{ file: string; text: string } | undefined> {
  const override = env.get('VL_KB_CONTEXT');
  if (override) {
    const file = toPosix(path.resolve(cwd, override));
    const text = await readCandidate(fs, file);
    return text === undefined ? undefined : { file, text };
  }
  let dir = toPosix(path.resolve(cwd));
  for (let level = 0; level < MAX_LEVELS; level++) {
    const file = path.posix.join(dir, KBCONTEXT_FILE);
    const text = await readCandidate(fs, file);
    if (text !== undefined) return { file, text };
    const parent = path.posix.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

/**
 * A `.kbcontext` candidate's text; undefined when there is none. Something there that is not a
 * regular file (a folder, a FIFO, a device) is an error naming it, never taken for no context
 * (the file system port opens without blocking, so a FIFO reads as empty instead of hanging).
 */
async function readCandidate(fs: FileSystem, file: string): Promise<string | undefined> {
  const text = await fs.readText(file);
  if (text !== undefined && text !== '') return text;
  const stat = await fs.stat(file);
  if (!stat) return undefined;
  if (!stat.isFile) {
    throw invalid(file, 1, `is ${stat.isDirectory ? 'a folder' : 'not a regular file (a FIFO, socket or device)'}, not a .kbcontext file`, undefined);
  }
  return text;
}

const STRING_FIELDS = ['project', 'primary', 'session_entry'] as const;
const LIST_FIELDS = ['paths', 'default_tags'] as const;

/**
 * Each .kbcontext parsed, by file. Every use case reads the file afresh, so an edit counts at
 * once; the same text is just not parsed again (YAML is slow next to the rest of an append).
 */
const parsed = new Map<string, { text: string; context: KbContext }>();

/** Parses `.kbcontext` text; invalid YAML or a field of the wrong type is an error naming file, line and field. */
export function parseKbContext(text: string, file: string): KbContext {
  const known = parsed.get(file);
  if (known?.text === text) return structuredClone(known.context);
  const context = parseKbContextText(text, file);
  parsed.set(file, { text, context: structuredClone(context) });
  return context;
}

function parseKbContextText(text: string, file: string): KbContext {
  const source = text.replace(/^\uFEFF/, '');
  // Most .kbcontext files are a few `key: value` lines, read without the YAML library. A wrong
  // field found that way is reported by the library's reading below, which knows its line.
  const simple = parseSimpleYaml(source);
  if (simple) {
    try {
      return contextOf(simple, file, () => 1);
    } catch {
      // reported below
    }
  }
  const { YAML } = yamlLibrary();
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(source, { prettyErrors: true, lineCounter });
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!;
    const line = error.linePos?.[0].line ?? 1;
    throw invalid(file, line, `is not valid YAML: ${error.message.split('\n')[0]!.replace(/:$/, '')}`, undefined);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // The library's guard against an alias bomb (aliases expanding to millions of nodes).
    throw invalid(file, 1, `cannot be read: ${error instanceof Error ? error.message : String(error)} (YAML aliases expanding too far)`, undefined);
  }
  return contextOf(value, file, (key) => {
    const pair = YAML.isMap(doc.contents) ? doc.contents.items.find((item) => YAML.isScalar(item.key) && item.key.value === key) : undefined;
    const offset = (pair?.value as YAMLTypes.Node | undefined)?.range?.[0] ?? (pair?.key as YAMLTypes.Node | undefined)?.range?.[0];
    return offset === undefined ? 1 : lineCounter.linePos(offset).line;
  });
}

/** The context a parsed .kbcontext holds; an error naming the field (at `lineOf` it) when one has the wrong type. */
function contextOf(value: unknown, file: string, lineOf: (key: string) => number): KbContext {
  const context: KbContext = { file, paths: [], default_tags: [], extra: {} };
  if (value === null || value === undefined) return context;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(file, 1, 'must be a mapping of fields (project, primary, session_entry, paths, default_tags)', undefined);
  }
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    if ((STRING_FIELDS as readonly string[]).includes(key)) {
      if (field === null || field === undefined) continue;
      if (typeof field !== 'string') throw invalid(file, lineOf(key), `field '${key}' must be a string (got ${describe(field)})`, key);
      if (field.trim() !== '') context[key as (typeof STRING_FIELDS)[number]] = field.trim();
    } else if ((LIST_FIELDS as readonly string[]).includes(key)) {
      if (field === null || field === undefined) continue;
      const list = typeof field === 'string' ? [field] : field;
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
        throw invalid(file, lineOf(key), `field '${key}' must be a list of strings (got ${describe(field)})`, key);
      }
      context[key as (typeof LIST_FIELDS)[number]] = (list as string[]).map((item) => item.trim()).filter(Boolean);
    } else {
      context.extra[key] = field;
    }
  }
  return context;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.some((item) => typeof item !== 'string') ? 'a list with a non-string item' : 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

function invalid(file: string, line: number, what: string, field: string | undefined): SessionLogError {
  return new SessionLogError(
    'invalid_kbcontext',
    `${file}:${line}: ${what}.`,
    { file, line, ...(field ? { field } : {}) },
    'Fix the .kbcontext (see docs/FORMAT.md) or remove it.',
  );
}

/** The text of a new `.kbcontext`. */
export function renderKbContext(fields: { project?: string; primary?: string; session_entry?: string; default_tags?: string[] }): string {
  const data: Record<string, unknown> = {};
  if (fields.project) data.project = fields.project;
  if (fields.primary) data.primary = fields.primary;
  if (fields.session_entry) data.session_entry = fields.session_entry;
  if (fields.default_tags && fields.default_tags.length > 0) data.default_tags = fields.default_tags;
  return `# Session Log / memex project context: where this project's sessions are logged.\n${yamlLibrary().YAML.stringify(data)}`;
}
