import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { simpleGitLibrary } from './simpleGitLibrary';
import type { Git } from '../core/ports';

/** The Git port on the real git command line, through simple-git. Any git failure reads as "no answer". */
export class NodeGit implements Git {
  /** simple-git (and all it loads) only once git is asked something: most commands never ask. */
  private async git(cwd: string): Promise<SimpleGit> {
    const { simpleGit } = simpleGitLibrary();
    return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 2, trimmed: true });
  }

  async root(cwd: string): Promise<string | undefined> {
    try {
      return (await (await this.git(cwd)).revparse(['--show-toplevel'])) || undefined;
    } catch {
      return undefined;
    }
  }

  async remoteUrl(cwd: string): Promise<string | undefined> {
    try {
      const remotes = await (await this.git(cwd)).getRemotes(true);
      const remote = remotes.find((candidate) => candidate.name === 'origin') ?? remotes[0];
      return remote?.refs.fetch || remote?.refs.push || undefined;
    } catch {
      return undefined;
    }
  }

  async changedFiles(cwd: string, since?: Date): Promise<string[]> {
    const root = await this.root(cwd);
    if (!root) return [];
    const files = new Set<string>();
    try {
      const git = await this.git(root);
      const status = await git.status();
      for (const file of status.files) files.add(file.path);
      if (since) {
        const log = await git.raw(['log', `--since=${since.toISOString()}`, '--name-only', '--pretty=format:']);
        for (const line of log.split('\n')) if (line.trim()) files.add(line.trim());
      }
    } catch {
      return [];
    }
    return [...files].map((file) => file.split(path.sep).join('/')).sort();
  }
}
