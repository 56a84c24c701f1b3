import * as path from 'node:path';
import { KBCONTEXT_FILE, parseKbContext, renderKbContext } from '../context/kbcontext';
import { resolveInKb, toPosix } from '../context/paths';
import { detectProject, projectTag } from '../context/project';
import { describeError, SessionLogError } from '../errors';
import { cleanTags } from '../model/validate';
import { GitError, type Deps } from '../ports';
import { ensureIgnored, ensureMergeAttributes } from './sync';

interface InitInput {
  /** The folder to write `.kbcontext` in (the project's folder). */
  cwd?: string;
  project?: string;
  primary?: string;
  sessionEntry?: string;
  defaultTags?: string[];
  kbRoot?: string;
  force?: boolean;
}

export interface InitResult {
  file: string;
  project: string;
  primary?: string;
  session_entry?: string;
  default_tags: string[];
  kbRoot: string;
}

/** The defaults `init` would use, for forms and prompts to offer. */
export async function initDefaults(deps: Deps, cwd: string): Promise<{ project: string; primary: string }> {
  const project = await detectProject(deps, cwd);
  return { project: project.name, primary: `projects/${projectTag(project.name) ?? 'default'}` };
}

/** Writes a `.kbcontext` for the project in `cwd`; refuses to replace one unless `force`. */
export async function initContext(deps: Deps, input: InitInput): Promise<InitResult> {
  const cwd = toPosix(path.resolve(input.cwd ?? deps.env.cwd()));
  const file = path.posix.join(cwd, KBCONTEXT_FILE);
  if (!input.force && (await deps.fs.stat(file))) {
    throw new SessionLogError('already_exists', `${file} already exists.`, { file }, 'Edit it, or pass --force to replace it.');
  }
  const configuredRoot = input.kbRoot || deps.env.get('MEMEX_KB_ROOT');
  const kbRoot = configuredRoot ? toPosix(path.resolve(cwd, configuredRoot)) : cwd;
  const project = input.project?.trim() || (await initDefaults(deps, cwd)).project;
  const primary = input.sessionEntry ? input.primary?.trim() : input.primary?.trim() || `projects/${projectTag(project) ?? 'default'}`;
  if (primary) await resolveInKb(deps.fs, kbRoot, primary, '--primary');
  if (input.sessionEntry) await resolveInKb(deps.fs, kbRoot, input.sessionEntry, '--session-entry');
  const default_tags = cleanTags(input.defaultTags ?? [], '--default-tags');
  const text = renderKbContext({
    project,
    ...(primary ? { primary } : {}),
    ...(input.sessionEntry ? { session_entry: input.sessionEntry } : {}),
    default_tags,
  });
  parseKbContext(text, file);
  await deps.fs.writeAtomic(file, text);
  await ensureMergeAttributes(deps, kbRoot, input.sessionEntry ? [input.sessionEntry] : []);
  await ensureIgnored(deps, kbRoot);
  await registerMergeDriver(deps, kbRoot);
  return { file, project, ...(primary ? { primary } : {}), ...(input.sessionEntry ? { session_entry: input.sessionEntry } : {}), default_tags, kbRoot };
}

/**
 * Sets up, in this clone, the merge driver the `.gitattributes` lines name, so appends merge by
 * themselves from the first pull on and not only once `sync` has run here. Nothing to do where
 * the knowledge base is no git repository, or git cannot run (an untrusted workspace).
 */
async function registerMergeDriver(deps: Deps, kbRoot: string): Promise<void> {
  try {
    await deps.gitSync?.registerMergeDriver(kbRoot);
  } catch (error) {
    if (error instanceof GitError && error.failure === 'no_repository') return;
    deps.logger.warn(`${kbRoot}: could not set up the merge driver for session entries (${describeError(error)}); sessionlog sync sets it up.`);
  }
}
