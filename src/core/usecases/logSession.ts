import * as path from 'node:path';
import { detectProject, projectTag } from '../context/project';
import { loadWorkspace, resolveEntry, type ContextSource, type WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import { normalizeText } from '../format/escape';
import { parseEntry } from '../format/parse';
import { renderNewEntry, renderSection } from '../format/render';
import type { Decision, FollowUp, SessionRecord } from '../model/session';
import { redactDeep } from '../model/redact';
import { headingTime, isoSeconds, memexTime } from '../model/time';
import { checkText, cleanItems, cleanLinks, cleanTags, linkTarget } from '../model/validate';
import type { Deps } from '../ports';
import { appendSection, readCommitted } from '../storage/entryFile';
import { changedProjectFiles } from './gitFiles';

export interface LogSessionInput extends WorkspaceOptions {
  message: string;
  tags?: string[];
  /** Tags the writer adds to every session (a front end's setting): after `tags`, before the .kbcontext's default_tags, without repeats. */
  defaultTags?: string[];
  links?: string[];
  files?: string[];
  /** Add the files changed in the working tree and since the entry's last session. */
  filesFromGit?: boolean;
  decisions?: Decision[];
  followUps?: (string | FollowUp)[];
  next?: string;
  /** An explicit entry path, relative to the knowledge-base root. */
  entry?: string;
  noTimestamp?: boolean;
  backup?: boolean;
  /** Replace secrets (tokens, keys, passwords) with [REDACTED:kind]; on unless false. */
  redact?: boolean;
  /** How the front end names the entry, tags and links, for errors (the CLI's flags by default: `--entry`, `--tags`, `--links`). */
  fieldNames?: { entry?: string; tags?: string; links?: string };
}

/** memex's JSON result, plus what we add. */
export interface LogSessionResult {
  path: string;
  action: 'created' | 'appended';
  project: string;
  context_source: ContextSource | null;
  /** Absolute path of the entry. */
  absolutePath: string;
  heading?: string;
  record: SessionRecord;
  /** How many secrets were redacted. */
  redactions: number;
  warnings: string[];
}

/** Logs one session to the project's entry (memex's `session-log`, with seed 002's structured record). */
export async function logSession(deps: Deps, input: LogSessionInput): Promise<LogSessionResult> {
  checkInputText(input);
  const message = normalizeText(input.message ?? '');
  if (!message) {
    throw new SessionLogError('invalid_input', 'The message is empty.', { field: 'message' }, 'Give the session summary with -m TEXT, -f FILE or --stdin.');
  }
  const workspace = await loadWorkspace(deps, input);
  const resolved = await resolveEntry(deps, workspace, input.entry, input.fieldNames?.entry);
  const project = await detectProject(deps, workspace.cwd, workspace.context);
  const now = deps.clock.now();
  const warnings: string[] = [];

  const record: SessionRecord = {
    message,
    // A bad default tag is the .kbcontext's fault, and said so.
    tags: cleanTags([
      ...cleanTags(input.tags ?? [], input.fieldNames?.tags),
      ...cleanTags(input.defaultTags ?? [], 'the sessionlog.defaultTags setting'),
      ...(workspace.context ? cleanTags(workspace.context.default_tags, `default_tags in ${workspace.context.file}`) : []),
    ]),
    links: cleanLinks(input.links ?? [], input.fieldNames?.links),
    files: cleanItems([
      ...(input.files ?? []),
      ...(input.filesFromGit ? await filesFromGit(deps, workspace.cwd, workspace.kbRoot, resolved.entryPath, warnings) : []),
    ]),
    decisions: cleanDecisions(input.decisions ?? []),
    followUps: (input.followUps ?? [])
      .map((item) => (typeof item === 'string' ? { text: item, done: false } : item))
      .map((item) => ({ text: cleanItems([item.text])[0] ?? '', done: item.done }))
      .filter((item) => item.text),
    ...(input.next && normalizeText(input.next) ? { next: normalizeText(input.next) } : {}),
  };
  let redactions = 0;
  if (input.redact !== false) {
    const redacted = redactDeep(record, new Set(['tags', 'links']));
    Object.assign(record, redacted.value);
    redactions = redacted.count;
    if (redactions > 0) warnings.push(`${redactions} secret${redactions === 1 ? '' : 's'} redacted before writing.`);
  }
  const heading = input.noTimestamp ? undefined : headingTime(now);
  const section = renderSection(heading, record);
  // The links are looked up while the append waits on its lock and disk: they only warn.
  const [unmatched, { action }] = await Promise.all([
    unmatchedLinks(deps, workspace.kbRoot, record.links),
    appendSection(deps, {
      file: resolved.entryPath,
      kbRoot: workspace.kbRoot,
      section,
      newEntry: () => renderNewEntry({ project: project.name, projectTag: projectTag(project.name), created: memexTime(now) }, section),
      updated: isoSeconds(now),
      backup: !!input.backup,
    }),
  ]);
  warnings.push(...unmatched.map((link) => `link [[${link}]] does not match any file in the knowledge base (yet).`));
  for (const warning of warnings) deps.logger.warn(warning);
  return {
    path: resolved.relativePath,
    action,
    project: project.name,
    context_source: resolved.contextSource,
    absolutePath: resolved.entryPath,
    ...(heading ? { heading } : {}),
    record,
    redactions,
    warnings,
  };
}

/**
 * The links that name no file in the knowledge base, as written or with `.md` added (tried
 * only when needed). It runs beside the append, so it never fails: a file it cannot stat counts as missing.
 */
async function unmatchedLinks(deps: Deps, kbRoot: string, links: string[]): Promise<string[]> {
  const exists = async (file: string): Promise<boolean> => !!(await deps.fs.stat(file).catch(() => undefined));
  const unmatched: string[] = [];
  for (const link of links) {
    const target = path.posix.join(kbRoot, linkTarget(link));
    if (!(await exists(target)) && !(await exists(`${target}.md`))) unmatched.push(link);
  }
  return unmatched;
}

/** Every text field given, refused before anything is read or written if it holds binary content. */
function checkInputText(input: LogSessionInput): void {
  checkText(input.message, 'message');
  checkText(input.next, 'next');
  for (const [field, items] of [
    ['tags', input.tags],
    ['links', input.links],
    ['files', input.files],
  ] as const) {
    (items ?? []).forEach((item, index) => checkText(item, `${field}[${index}]`));
  }
  (input.decisions ?? []).forEach((item, index) => {
    checkText(item.decision, `decisions[${index}].decision`);
    checkText(item.rationale, `decisions[${index}].rationale`);
  });
  (input.followUps ?? []).forEach((item, index) => checkText(typeof item === 'string' ? item : item.text, `followUps[${index}]`));
}

function cleanDecisions(decisions: Decision[]): Decision[] {
  return decisions.map((item, index) => {
    const [decision] = cleanItems([item.decision]);
    if (!decision) {
      throw new SessionLogError(
        'invalid_input',
        `Decision ${index + 1} is empty.`,
        { field: 'decision', index },
        'Write a decision as "decision :: rationale", e.g. --decision "Used jose for JWT :: type-safe, no native deps".',
      );
    }
    const [rationale] = cleanItems([item.rationale ?? '']);
    return rationale ? { decision, rationale } : { decision };
  });
}

/** Files changed in the working tree and in commits since the entry's last timestamped session. */
async function filesFromGit(deps: Deps, cwd: string, kbRoot: string, entryPath: string, warnings: string[]): Promise<string[]> {
  const text = await readCommitted(deps, entryPath);
  const sessions = text === undefined ? [] : parseEntry(text, entryPath).sessions;
  const last = [...sessions].reverse().find((session) => session.timestamp);
  const changed = await changedProjectFiles(deps, cwd, kbRoot, entryPath, last?.timestamp ? new Date(last.timestamp) : undefined);
  if (changed.notInRepository) warnings.push(`files modified from git: ${cwd} is not in a git repository, so none were recorded.`);
  return changed.files;
}
