import * as vscode from 'vscode';
import { setFollowUpDone } from '../../../core/usecases/followUps';
import { FollowUpNode } from '../../views/nodes/followUp';
import type { Services } from '../../services';
import type { Command } from '../command';
import { plural } from '../../../core/format/escape';

/**
 * Ticks (or unticks) follow-ups in their entries: what checking a box in the Follow-ups view
 * does, and its context-menu item. The core finds each box again under the entry's lock.
 */
async function run(_services: Services, node: unknown, done = true): Promise<number> {
  const nodes = (Array.isArray(node) ? node : [node]).filter((item): item is FollowUpNode => item instanceof FollowUpNode);
  let changed = 0;
  try {
    for (const item of nodes) {
      await setFollowUpDone(item.folder.deps, { file: item.file, sessionIndex: item.followUp.sessionIndex, text: item.followUp.text, done });
      changed++;
    }
  } finally {
    if (changed > 0) vscode.window.setStatusBarMessage(`$(check) ${plural(changed, 'follow-up')} marked ${done ? 'done' : 'open'}`, 3000);
  }
  return changed;
}

export const markDone: Command = { id: 'sessionlog.followUps.markDone', run };
