import { openAt } from '../../editor';
import type { Services } from '../../services';
import { targetOf } from '../../views/target';
import type { Command } from '../command';

/** Opens what a Sessions row stands for: the entry at that session, an agent session file, at a turn. */
async function run(_services: Services, node: unknown): Promise<void> {
  const target = targetOf(node);
  if (!target) return;
  await openAt(target.uri, target.line, target.turnNumber);
}

export const open: Command = { id: 'sessionlog.sessions.open', run };
