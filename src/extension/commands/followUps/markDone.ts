import * as vscode from 'vscode';
import { setFollowUpDone } from '../../../core/usecases/followUps';
import { FollowUpNode } from '../../views/followUpsTree';
import type { Services } from '../../services';

/**
 * Ticks (or unticks) follow-ups in their entries: what checking a box in the Follow-ups view
 * does, and its context-menu item. The core finds each box again under the entry's lock.
 */
export async function markDone(services: Services, node: unknown, done = true): Promise<number> {
  const nodes = (Array.isArray(node) ? node : [node]).filter((item): item is FollowUpNode => item instanceof FollowUpNode);
  let changed = 0;
  try {
    for (const item of nodes) {
      await setFollowUpDone(item.folder.deps, { file: item.file, sessionIndex: item.followUp.sessionIndex, text: item.followUp.text, done });
      services.model.invalidate(item.folder, { now: true });
      changed++;
    }
  } finally {
    if (changed > 0) vscode.window.setStatusBarMessage(`$(check) ${changed} follow-up${changed === 1 ? '' : 's'} marked ${done ? 'done' : 'open'}`, 3000);
  }
  return changed;
}
