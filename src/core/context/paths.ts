import * as path from 'node:path';
import { SessionLogError } from '../errors';
import type { FileStat, FileSystem } from '../ports';

const posix = path.posix;

/** `/a/b` style, whatever the platform gave. */
export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}

/**
 * The absolute path of `relative` in the knowledge base, refusing what can be told from the path
 * alone (nothing, an absolute path, `..` that climbs out): a form checks it as the user types.
 * `what` names the flag or field the path came from, for the error message.
 */
export function joinInKb(kbRoot: string, relative: string, what: string): string {
  const given = toPosix(relative.trim());
  if (given === '') throw new SessionLogError('invalid_input', `${what} is empty.`, { field: what }, 'Give a path relative to the knowledge-base root.');
  if (posix.isAbsolute(given) || /^[A-Za-z]:\//.test(given)) {
    throw outside(what, relative, kbRoot, 'is an absolute path');
  }
  const target = posix.join(kbRoot, given);
  if (!isInside(kbRoot, target)) throw outside(what, relative, kbRoot, 'climbs out with ..');
  return target;
}

/** As joinInKb, also refusing symbolic links whose target lies outside the knowledge base. */
export async function resolveInKb(fs: FileSystem, kbRoot: string, relative: string, what: string): Promise<string> {
  const target = joinInKb(kbRoot, relative, what);
  const realTarget = await fs.realpath(target);
  // A real path inside the root as written has no link anywhere in the root's path: the root is then
  // its own real path, not worth asking for. Otherwise (a root reached through a link) it is asked for.
  if (!isInside(kbRoot, realTarget) && !isInside(await fs.realpath(kbRoot), realTarget)) {
    throw outside(what, relative, kbRoot, `leads through a symbolic link to ${realTarget}`);
  }
  return target;
}

/**
 * Refuses `file` when, as the file system stands now, it leads outside the knowledge base
 * through a symbolic link in its folders or itself: checked again right before each write, so a
 * link swapped in since the path was resolved is caught.
 */
export async function confirmInKb(fs: FileSystem, kbRoot: string, file: string, what: string): Promise<string> {
  const real = await fs.realpath(file);
  if (!isInside(kbRoot, real) && !isInside(await fs.realpath(kbRoot), real)) {
    throw outside(what, posix.relative(kbRoot, file), kbRoot, `leads through a symbolic link to ${real}`);
  }
  return real;
}

/**
 * Refuses an open file that is not the one `file` names inside the knowledge base now (a link
 * swapped in between the check and the open), and says whether it may be changed in place:
 * a file with more than one name (a hard link) may not, since its other names may lie outside.
 */
export async function confirmOpened(fs: FileSystem, kbRoot: string, file: string, opened: FileStat, what: string): Promise<{ inPlace: boolean }> {
  const real = await confirmInKb(fs, kbRoot, file, what);
  const named = await fs.stat(real);
  if (opened.id !== undefined && named?.id !== undefined && named.id !== opened.id) {
    throw outside(what, posix.relative(kbRoot, file), kbRoot, 'was replaced while it was being opened (perhaps by a symbolic link)');
  }
  return { inPlace: (opened.links ?? 1) <= 1 };
}

function outside(what: string, given: string, kbRoot: string, why: string): SessionLogError {
  return new SessionLogError(
    'path_outside_kb',
    `${what} '${given}' ${why}, outside the knowledge base ${kbRoot}.`,
    { field: what, path: given, kbRoot },
    'Give a path relative to the knowledge-base root that stays inside it.',
  );
}

export function isInside(root: string, target: string): boolean {
  const relative = posix.relative(root, target);
  return relative === '' || (!relative.startsWith('../') && relative !== '..' && !posix.isAbsolute(relative));
}

/** `target` relative to the knowledge-base root, as written in JSON output and links. */
export function kbRelative(kbRoot: string, target: string): string {
  return posix.relative(kbRoot, target);
}
