import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import type { Deps } from '../../core/ports';
import { mergeEntries } from '../../core/format/merge';
import { UsageError } from '../args';
import type { Io } from '../io';

const MERGE_DRIVER_HELP = `Usage: sessionlog merge-driver BASE OURS THEIRS [PATH]

Git merge driver for session entries (set up by sessionlog sync; named in .gitattributes as
merge=sessionlog). Merges section by section and writes the result to OURS; where both sides
changed one section differently, falls back to git's line merge with conflict markers.
`;

/** Exit code is git's contract: 0 merged cleanly, non-zero left conflicts in OURS. */
export async function runMergeDriver(_deps: Deps, io: Io, argv: string[]): Promise<number | void> {
  if (argv.includes('--help') || argv.includes('-h')) return io.out(MERGE_DRIVER_HELP);
  const [base, ours, theirs] = argv;
  if (!base || !ours || !theirs) throw new UsageError('merge-driver takes BASE OURS THEIRS [PATH].');
  const merged = mergeEntries(fs.readFileSync(base, 'utf8'), fs.readFileSync(ours, 'utf8'), fs.readFileSync(theirs, 'utf8'));
  if (merged !== undefined) {
    fs.writeFileSync(ours, merged);
    return;
  }
  const fallback = spawnSync('git', ['merge-file', '-L', 'ours', '-L', 'base', '-L', 'theirs', ours, base, theirs], { stdio: 'inherit' });
  return fallback.status === 0 ? 0 : 1;
}
