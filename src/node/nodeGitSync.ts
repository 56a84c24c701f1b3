import type { SimpleGit } from 'simple-git';
import { simpleGitLibrary } from './simpleGitLibrary';
import { GitError, type GitFailure, type GitSync } from '../core/ports';

/** Files that exist only while a write is under way, or as local backups: never shared. */
const LOCAL_ONLY = [':(exclude,glob)**/*.lock', ':(exclude,glob)**/*.lock.break', ':(exclude,glob)**/.*.tmp', ':(exclude,glob)**/*.bak'];

/** The sync steps on the git command line, through simple-git; never prompts for credentials. */
export class NodeGitSync implements GitSync {
  /** `driverCommand` runs the CLI's merge-driver command (node and the bundled CLI). */
  constructor(private readonly driverCommand = `"${process.execPath}" "${require.main?.filename ?? 'sessionlog'}"`) {}

  /** simple-git (and all it loads) only once a sync runs. */
  private async git(dir: string): Promise<SimpleGit> {
    const { simpleGit } = simpleGitLibrary();
    // The environment is the user's own (their askpass, ssh command, pager): let git use it as a terminal would.
    const unsafe = {
      allowUnsafeAskPass: true,
      allowUnsafeEditor: true,
      allowUnsafePager: true,
      allowUnsafeSshCommand: true,
      allowUnsafeConfigPaths: true,
      allowUnsafeCredentialHelper: true,
      allowUnsafeGitProxy: true,
      allowUnsafeMergeDriver: true,
    };
    return simpleGit({ baseDir: dir, trimmed: true, unsafe }).env({ ...process.env, GIT_TERMINAL_PROMPT: '0' });
  }

  private async run<T>(dir: string, work: (git: SimpleGit) => Promise<T>): Promise<T> {
    const git = await this.git(dir);
    try {
      if (!(await git.checkIsRepo())) throw new GitError('no_repository', `${dir} is not in a git repository.`);
      return await work(git);
    } catch (error) {
      if (error instanceof GitError) throw error;
      const message = (error as Error).message.trim();
      throw new GitError(classify(message), message.split('\n').filter(Boolean).slice(-3).join(' '));
    }
  }

  commitAll(dir: string, message: string): Promise<{ committed: boolean; files: number }> {
    return this.run(dir, async (git) => {
      await git.raw(['add', '-A', '--', '.', ...LOCAL_ONLY]);
      const staged = (await git.raw(['diff', '--cached', '--name-only', '--', '.'])).split('\n').filter(Boolean);
      if (staged.length === 0) return { committed: false, files: 0 };
      const identity = (await git.raw(['config', '--get', 'user.email']).catch(() => '')).trim()
        ? []
        : ['-c', 'user.name=Session Log', '-c', 'user.email=sessionlog@localhost'];
      await git.raw([...identity, 'commit', '--no-verify', '-m', message, '--', '.']);
      return { committed: true, files: staged.length };
    });
  }

  remotes(dir: string): Promise<string[]> {
    return this.run(dir, async (git) => (await git.getRemotes()).map((remote) => remote.name));
  }

  hasUpstream(dir: string): Promise<boolean> {
    return this.run(dir, async (git) => {
      try {
        await git.raw(['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{u}']);
        return true;
      } catch {
        return false;
      }
    });
  }

  pullRebase(dir: string): Promise<void> {
    return this.run(dir, async (git) => {
      try {
        await git.raw(['pull', '--rebase', '--no-edit']);
      } catch (error) {
        const conflicted = (await git.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => '')).split('\n').filter(Boolean);
        if (conflicted.length === 0) throw error;
        await git.raw(['rebase', '--abort']).catch(() => undefined);
        throw new GitError('conflict', 'pulling with rebase met conflicts; the rebase was undone.', conflicted);
      }
    });
  }

  push(dir: string, remote?: string): Promise<void> {
    return this.run(dir, async (git) => {
      await git.raw(remote ? ['push', '--set-upstream', remote, 'HEAD'] : ['push']);
    });
  }

  registerMergeDriver(dir: string): Promise<void> {
    return this.run(dir, async (git) => {
      await git.raw(['config', 'merge.sessionlog.name', 'Session Log entries (append-aware)']);
      await git.raw(['config', 'merge.sessionlog.driver', `${this.driverCommand} merge-driver %O %A %B %P`]);
    });
  }
}

function classify(message: string): GitFailure {
  if (/Authentication failed|Permission denied|could not read Username|terminal prompts disabled|403|401/i.test(message)) return 'auth';
  if (
    /Could not resolve host|Connection refused|unable to access|timed out|Could not read from remote|does not appear to be a git repository|Network is unreachable/i.test(
      message,
    )
  ) {
    return 'network';
  }
  if (/not a git repository/i.test(message)) return 'no_repository';
  if (/CONFLICT/.test(message)) return 'conflict';
  return 'other';
}
