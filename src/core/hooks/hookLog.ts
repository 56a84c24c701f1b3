import * as path from 'node:path';
import type { Deps } from '../ports';
import { withLock } from '../storage/lock';

/**
 * What went wrong in a hook, one line each, in the knowledge base's `.sessionlog/hooks.log`:
 * a hook never writes to the agent's output, so this is where a person looks. Rotated at
 * 256 KB (the previous file kept as `hooks.log.1`), so it never grows without bound.
 */
export const HOOK_DIR = '.sessionlog';
export const HOOK_LOG = `${HOOK_DIR}/hooks.log`;
const ROTATE_AT = 256 * 1024;

export async function writeHookLog(deps: Pick<Deps, 'fs' | 'host' | 'clock' | 'logger'>, kbRoot: string, line: string): Promise<void> {
  const file = path.posix.join(kbRoot, HOOK_LOG);
  const text = `${deps.clock.now().toISOString()} ${line.replace(/\s*\n\s*/g, ' ')}\n`;
  await deps.fs.mkdirp(path.posix.dirname(file));
  await withLock(
    deps,
    file,
    async (lock) => {
      const stat = await deps.fs.stat(file);
      const size = stat?.size ?? 0;
      if (!stat || size + text.length > ROTATE_AT) {
        if (stat) await deps.fs.copy(file, `${file}.1`);
        await deps.fs.writeAtomic(file, text);
        return;
      }
      await lock.recordUndo({ size });
      await deps.fs.appendAt(file, size, text);
    },
    { timeoutMs: 2_000 },
  );
}
