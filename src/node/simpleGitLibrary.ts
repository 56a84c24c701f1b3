import type * as Library from './simpleGit';

let library: typeof Library | undefined;

/**
 * simple-git (and all it loads), loaded when git is first asked something: most commands never ask.
 * Required rather than imported, as the YAML and search libraries are: the CLI's bundle runs from a
 * code cache (src/cli/launch.ts), where import() is not available on Node 20.
 */
export function simpleGitLibrary(): typeof Library {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require('./simpleGit') as typeof Library);
}
