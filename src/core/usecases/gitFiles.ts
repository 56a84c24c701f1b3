import * as path from 'node:path';
import { isInside, toPosix } from '../context/paths';
import type { Deps } from '../ports';

export interface ChangedFiles {
  /** Relative to the repository's top folder. */
  files: string[];
  /** Set when nothing could be asked: the folder is not in a git repository (or git is missing). */
  notInRepository?: true;
}

/** Where the log keeps what it writes for a project, besides the entry: reports at the root, the rest beside the entry. */
const LOG_FOLDERS = ['agent-sessions', 'decisions'];
const ROOT_LOG_FILES = ['.kbcontext', '.gitattributes', '.gitignore', '.sessionlog', 'reports'];

/**
 * The project's files changed in the working tree and in commits since `since`, without the log's
 * own files when the knowledge base lives inside the repository: the whole knowledge base when it
 * is a folder of the repository; the entry, its agent sessions and decisions, reports, the
 * `.kbcontext`, and the `.gitattributes` and `.gitignore` that init writes (and the search index) when the knowledge base is the repository's top folder (the `.kbcontext` folder by default).
 */
export async function changedProjectFiles(deps: Pick<Deps, 'git' | 'fs'>, cwd: string, kbRoot: string, entryPath: string, since?: Date): Promise<ChangedFiles> {
  const root = await deps.git.root(cwd);
  if (!root) return { files: [], notInRepository: true };
  const files = await deps.git.changedFiles(cwd, since);
  const [realRoot, realKb] = await Promise.all([deps.fs.realpath(toPosix(root)), deps.fs.realpath(kbRoot)]);
  if (!isInside(realRoot, realKb)) return { files };
  const entry = path.posix.join(realKb, path.posix.relative(kbRoot, entryPath));
  const entryDir = path.posix.dirname(entry);
  const own =
    realKb !== realRoot
      ? [realKb]
      : [
          entry,
          ...(entryDir === realKb ? LOG_FOLDERS.map((name) => path.posix.join(entryDir, name)) : [entryDir]),
          ...ROOT_LOG_FILES.map((name) => path.posix.join(realKb, name)),
        ];
  return { files: files.filter((file) => !own.some((folder) => isInside(folder, path.posix.join(realRoot, file)))) };
}
