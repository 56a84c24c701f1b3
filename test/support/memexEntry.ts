/**
 * What memex-kb 0.1.1 requires of a Markdown file in a knowledge base before `mx get`, `mx search`,
 * `mx whats-new` and `mx health` accept it: its frontmatter, read as PyYAML reads it (YAML 1.1, so
 * `yes` is a boolean and an unquoted time a datetime), must validate as memex's `EntryMetadata`:
 * `title` a string, `tags` a non-empty list of strings, `created` a time (and `updated`, when there),
 * `status` one of draft, published, archived, and its other known keys of their types. memex compares
 * its times with naive datetimes, so a time with a zone breaks `whats-new` and `health` for the whole
 * knowledge base: refused here too. Keys memex does not know are ignored, as memex ignores them.
 * memex cannot be installed here (no PyPI), so this follows its documented model.
 */
import { parse } from 'yaml';

const STRING_LISTS = ['tags', 'contributors', 'aliases', 'edit_sources', 'beads_issues'];
const OPTIONAL_STRINGS = ['description', 'source_project', 'model', 'git_branch', 'last_edited_by', 'beads_project'];
const STATUSES = ['draft', 'published', 'archived'];
const NAIVE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

/** Why memex would refuse this file's frontmatter; empty when it is a valid memex entry. */
export function memexEntryProblems(text: string): string[] {
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n?---(?:\n|$)/.exec(source);
  if (!match) return ['no frontmatter'];
  let data: unknown;
  try {
    data = parse(match[1]!, { version: '1.1' });
  } catch (error) {
    return [`frontmatter is not YAML: ${(error as Error).message}`];
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return ['frontmatter is not a mapping'];
  const fields = data as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof fields.title !== 'string') problems.push(`title must be a string, not ${show(fields.title)}`);
  for (const key of STRING_LISTS) {
    const value = fields[key];
    if (value === undefined && key !== 'tags') continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) problems.push(`${key} must be a list of strings, not ${show(value)}`);
  }
  if (Array.isArray(fields.tags) && fields.tags.length === 0) problems.push('tags must not be empty');
  for (const key of ['created', 'updated']) {
    if (fields[key] === undefined && key === 'updated') continue;
    const problem = timeProblem(fields[key], rawValue(match[1]!, key));
    if (problem) problems.push(`${key} ${problem}`);
  }
  if (fields.status !== undefined && !STATUSES.includes(fields.status as string)) {
    problems.push(`status must be one of ${STATUSES.join(', ')}, not ${show(fields.status)}`);
  }
  for (const key of OPTIONAL_STRINGS) {
    const value = fields[key];
    if (value !== undefined && value !== null && typeof value !== 'string') problems.push(`${key} must be a string, not ${show(value)}`);
  }
  return problems;
}

function timeProblem(value: unknown, raw: string | undefined): string | undefined {
  if (value === undefined) return 'is missing';
  // An unquoted YAML timestamp: PyYAML gives a datetime, aware when the text has a zone.
  if (value instanceof Date) return raw !== undefined && NAIVE_TIME.test(raw) ? undefined : `has a zone (${raw}): memex compares naive times`;
  if (typeof value !== 'string') return `must be a time, not ${show(value)}`;
  return NAIVE_TIME.test(value) ? undefined : `must be a naive UTC time like '2026-12-02T10:51:40', not ${show(value)}`;
}

function rawValue(yaml: string, key: string): string | undefined {
  return new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*$`, 'm').exec(yaml)?.[1];
}

function show(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}
