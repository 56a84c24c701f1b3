import type { WorkspaceOptions } from '../context/resolve';
import { SessionLogError } from '../errors';
import { isMarkerLine, normalizeItem } from '../format/escape';
import { parseEntry } from '../format/parse';
import type { Deps } from '../ports';
import { withLock } from '../storage/lock';
import { EntryCache, loadProjectEntry } from './readEntries';

export interface FollowUpItem {
  text: string;
  done: boolean;
  /** The session it belongs to: its heading, position and first line. */
  heading: string;
  sessionIndex: number;
  sessionLine: number;
  /** Relative to the knowledge-base root. */
  path: string;
}

/** Every follow-up of the project's entry, newest session first; open ones only unless `all`. */
export async function listFollowUps(
  deps: Deps,
  options: WorkspaceOptions & { entry?: string; all?: boolean } = {},
  cache = new EntryCache(),
): Promise<FollowUpItem[]> {
  const { resolved, loaded } = await loadProjectEntry(deps, options, cache);
  const items: FollowUpItem[] = [];
  const withFollowUps = loaded?.index.sessionsWithLine((line) => line.startsWith('### ') && isMarkerLine(line) === 'followUps') ?? [];
  for (const session of withFollowUps.reverse()) {
    for (const followUp of session.followUps) {
      if (!followUp.done || options.all) {
        items.push({ ...followUp, heading: session.heading, sessionIndex: session.index, sessionLine: session.startLine, path: resolved.relativePath });
      }
    }
  }
  return items;
}

interface SetFollowUpInput {
  /** Absolute path of the entry. */
  file: string;
  sessionIndex: number;
  text: string;
  done: boolean;
}

/**
 * Ticks or unticks one follow-up's checkbox. Under the entry's lock the entry is read again
 * and the box is found by its session and text, so an entry changed meanwhile by another
 * writer is never clobbered; the file is replaced atomically.
 */
export async function setFollowUpDone(deps: Deps, input: SetFollowUpInput): Promise<void> {
  await withLock(deps, input.file, async () => {
    const text = await deps.fs.readText(input.file);
    if (text === undefined) throw new SessionLogError('entry_not_found', `${input.file} no longer exists.`, { file: input.file }, 'Refresh the view.');
    const session = parseEntry(text, input.file).sessions[input.sessionIndex];
    const lines = text.split('\n');
    const wanted = normalizeItem(input.text);
    const at = session
      ? lines.findIndex(
          (line, index) =>
            index >= session.startLine - 1 &&
            index < session.endLine &&
            /^[ \t]{0,1}[-*+][ \t]+\[[ xX]\]/.test(line) &&
            normalizeItem(line.replace(/^[ \t]{0,1}[-*+][ \t]+\[[ xX]\][ \t]?/, '')) === wanted,
        )
      : -1;
    if (at === -1) {
      throw new SessionLogError(
        'entry_not_found',
        `The follow-up "${wanted}" is no longer in ${input.file}.`,
        { file: input.file, text: wanted },
        'Refresh the view; the entry changed.',
      );
    }
    lines[at] = lines[at]!.replace(/\[[ xX]\]/, input.done ? '[x]' : '[ ]');
    await deps.fs.writeAtomic(input.file, lines.join('\n'));
  });
}

export interface MarkFollowUpInput extends WorkspaceOptions {
  entry?: string;
  /** The follow-up's text, as listed. */
  text: string;
  /** The heading of its session, when the same text is in several. */
  heading?: string;
  done: boolean;
}

/**
 * Ticks (or unticks) the project's follow-up with this text, as the Follow-ups view does: the
 * one named by text alone, or by text and its session's heading when several share the text.
 */
export async function markFollowUp(deps: Deps, input: MarkFollowUpInput): Promise<FollowUpItem> {
  const wanted = normalizeItem(input.text);
  if (!wanted) throw new SessionLogError('invalid_input', "The follow-up's text is empty.", { field: 'text' }, "Give the follow-up's text as listed.");
  const all = await listFollowUps(deps, { ...input, all: true });
  const matching = all.filter((item) => normalizeItem(item.text) === wanted && (input.heading === undefined || item.heading === input.heading.trim()));
  const candidates = matching.filter((item) => item.done !== input.done);
  if (candidates.length === 0) {
    const open = all.filter((item) => !item.done).map((item) => item.text);
    const already = matching.length > 0;
    throw new SessionLogError(
      'invalid_input',
      already
        ? `The follow-up "${wanted}" is already ${input.done ? 'done' : 'open'}.`
        : `No follow-up "${wanted}"${input.heading ? ` in the session ${input.heading}` : ''} in ${all[0]?.path ?? "the project's entry"}.`,
      { field: 'text', text: wanted },
      already
        ? 'Nothing to change.'
        : `Give the text of one of the ${open.length ? `open follow-ups: ${open.map((text) => `"${text}"`).join(', ')}` : 'follow-ups; none are open'}.`,
    );
  }
  if (candidates.length > 1) {
    throw new SessionLogError(
      'invalid_input',
      `${candidates.length} sessions have the follow-up "${wanted}".`,
      { field: 'heading', headings: candidates.map((item) => item.heading) },
      `Give heading too, one of: ${candidates.map((item) => `"${item.heading}"`).join(', ')}.`,
    );
  }
  const item = candidates[0]!;
  const { resolved } = await loadProjectEntry(deps, input);
  await setFollowUpDone(deps, { file: resolved.entryPath, sessionIndex: item.sessionIndex, text: item.text, done: input.done });
  return { ...item, done: input.done };
}
