import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { Git } from '../core/ports';

/** The Git port on the real git command line, through simple-git. Any git failure reads as "no answer". */
export class NodeGit implements Git {
  private git(cwd: string): SimpleGit {
    return simpleGit({ baseDir: cwd, maxConcurrentProcesses: 2, trimmed: true });
  }

  async root(cwd: string): Promise<string | undefined> {
    try {
      return (await this.git(cwd).revparse(['--show-toplevel'])) || undefined;
    } catch {
      return undefined;
    }
  }

  async remoteUrl(cwd: string): Promise<string | undefined> {
    try {
      const remotes = await this.git(cwd).getRemotes(true);
      const remote = remotes.find((candidate) => candidate.name === 'origin') ?? remotes[0];
      return remote?.refs.fetch || remote?.refs.push || undefined;
    } catch {
      return undefined;
    }
  }

  async changedFiles(cwd: string, since?: Date): Promise<string[]> {
    const root = await this.root(cwd);
    if (!root) return [];
    const git = this.git(root);
    const files = new Set<string>();
    try {
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
