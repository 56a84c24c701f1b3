import * as path from 'node:path';
import type { Deps } from '../ports';
import type { KbContext } from './kbcontext';
import { toPosix } from './paths';

type ProjectSource = '.kbcontext' | 'git remote' | 'package.json' | 'git root' | 'directory' | 'unknown';

export interface Project {
  name: string;
  source: ProjectSource;
}

const UNKNOWN_PROJECT = 'Unknown';

/**
 * The project's name, in one documented order: `.kbcontext` `project`, the git remote's
 * repository name, the nearest `package.json` name (up to the git root), the git root's
 * folder name, the working directory's name, else "Unknown".
 */
export async function detectProject(deps: Pick<Deps, 'fs' | 'git'>, cwd: string, context?: KbContext): Promise<Project> {
  if (context?.project) return { name: context.project, source: '.kbcontext' };
  const gitRoot = await deps.git.root(cwd);
  if (gitRoot) {
    const url = await deps.git.remoteUrl(cwd);
    const fromRemote = url ? repositoryName(url) : undefined;
    if (fromRemote) return { name: fromRemote, source: 'git remote' };
  }
  const fromPackage = await packageName(deps, toPosix(cwd), gitRoot);
  if (fromPackage) return { name: fromPackage, source: 'package.json' };
  if (gitRoot) return { name: path.posix.basename(toPosix(gitRoot)), source: 'git root' };
  const dirName = path.posix.basename(toPosix(cwd));
  return dirName ? { name: dirName, source: 'directory' } : { name: UNKNOWN_PROJECT, source: 'unknown' };
}

/** `repo` from `https://host/org/repo.git`, `git@host:org/repo.git`, `ssh://git@host:22/org/repo`, a local path. */
export function repositoryName(url: string): string | undefined {
  const trimmed = url
    .trim()
    .replace(/[/\\]+$/, '')
    .replace(/\.git$/, '');
  const name = trimmed.split(/[/:\\]/).pop();
  return name ? name : undefined;
}

async function packageName(deps: Pick<Deps, 'fs'>, cwd: string, gitRoot: string | undefined): Promise<string | undefined> {
  const stop = gitRoot ? toPosix(gitRoot) : cwd;
  for (let dir = cwd; ; dir = path.posix.dirname(dir)) {
    const text = await deps.fs.readText(path.posix.join(dir, 'package.json'));
    if (text !== undefined) {
      try {
        const name: unknown = (JSON.parse(text) as { name?: unknown }).name;
        if (typeof name === 'string' && name.trim()) return name.trim().replace(/^@[^/]+\//, '');
      } catch {
        // A broken package.json says nothing about the project's name; keep looking.
      }
    }
    if (dir === stop || path.posix.dirname(dir) === dir) return undefined;
  }
}

/** The tag memex derives from a project name: lower case, runs of other characters as `-`. */
export function projectTag(project: string): string | undefined {
  if (project === UNKNOWN_PROJECT) return undefined;
  const tag = project
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return tag || undefined;
}
