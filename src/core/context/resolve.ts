import * as path from 'node:path';
import { SessionLogError } from '../errors';
import type { Deps } from '../ports';
import { type KbContext, loadKbContext } from './kbcontext';
import { kbRelative, resolveInKb, toPosix } from './paths';

/** memex's `context_source` strings; null when nothing resolved. */
export type ContextSource = 'explicit' | '.kbcontext (session_entry)' | '.kbcontext (primary)';

export interface Workspace {
  cwd: string;
  kbRoot: string;
  context?: KbContext;
}

export interface ResolvedEntry extends Workspace {
  /** Absolute path of the session entry. */
  entryPath: string;
  /** The entry relative to the knowledge-base root, as memex prints it. */
  relativePath: string;
  contextSource: ContextSource;
}

export interface WorkspaceOptions {
  cwd?: string;
  /** Overrides MEMEX_KB_ROOT (a CLI flag or an editor setting). */
  kbRoot?: string;
}

/**
 * Where the knowledge base is: the given root, else `MEMEX_KB_ROOT`, else the folder
 * holding the `.kbcontext`.
 */
export async function loadWorkspace(deps: Pick<Deps, 'fs' | 'env'>, options: WorkspaceOptions = {}): Promise<Workspace> {
  const cwd = toPosix(path.resolve(options.cwd ?? deps.env.cwd()));
  const context = await loadKbContext(deps.fs, deps.env, cwd);
  const configured = options.kbRoot || deps.env.get('MEMEX_KB_ROOT');
  const kbRoot = configured ? toPosix(path.resolve(cwd, configured)) : context ? path.posix.dirname(context.file) : undefined;
  if (!kbRoot) {
    throw new SessionLogError(
      'no_kb_root',
      `No knowledge base found from ${cwd}: MEMEX_KB_ROOT is not set and there is no .kbcontext here or above.`,
      { cwd },
      'Run `sessionlog init` to create a .kbcontext, or set MEMEX_KB_ROOT to your knowledge base.',
    );
  }
  // A configured root must be checked; the folder the .kbcontext was just read from is one.
  if (configured && !(await deps.fs.stat(kbRoot))?.isDirectory) {
    throw new SessionLogError(
      'no_kb_root',
      `The knowledge-base root ${kbRoot} is not a folder.`,
      { kbRoot },
      'Create the folder, or point MEMEX_KB_ROOT at an existing knowledge base.',
    );
  }
  return { cwd, kbRoot, ...(context ? { context } : {}) };
}

/**
 * The session entry, in memex's order: explicit path, `.kbcontext` `session_entry`,
 * `{primary}/sessions.md`, else an error naming both ways out.
 */
export async function resolveEntry(deps: Pick<Deps, 'fs' | 'env'>, workspace: Workspace, explicit?: string, explicitField = '--entry'): Promise<ResolvedEntry> {
  const { kbRoot, context } = workspace;
  let relative: string;
  let contextSource: ContextSource;
  let field: string;
  if (explicit !== undefined) {
    [relative, contextSource, field] = [explicit, 'explicit', explicitField];
  } else if (context?.session_entry) {
    [relative, contextSource, field] = [context.session_entry, '.kbcontext (session_entry)', `session_entry in ${context.file}`];
  } else if (context?.primary) {
    [relative, contextSource, field] = [`${context.primary.replace(/\/+$/, '')}/sessions.md`, '.kbcontext (primary)', `primary in ${context.file}`];
  } else {
    throw new SessionLogError(
      'no_context',
      context
        ? `${context.file} has neither session_entry nor primary, so there is no session entry to write to.`
        : 'No session entry: there is no .kbcontext here or above, and no entry path was given.',
      { ...(context ? { file: context.file } : {}) },
      'Either create a .kbcontext with session_entry or primary (`sessionlog init`), or pass an entry path with --entry.',
    );
  }
  const entryPath = await resolveInKb(deps.fs, kbRoot, relative, field);
  // Only Markdown entries are read back (history, search, the views): anything else would be written and never found.
  if (explicit !== undefined && !/\.md$/i.test(explicit.trim())) {
    throw new SessionLogError(
      'invalid_input',
      `${field} '${explicit}' is not a Markdown file (.md); sessions are logged to Markdown entries only.`,
      { field, path: explicit },
      `Give an entry path ending in .md, e.g. ${field === '--entry' ? '--entry ' : ''}projects/app/sessions.md.`,
    );
  }
  return { ...workspace, entryPath, relativePath: kbRelative(kbRoot, entryPath), contextSource };
}
