import { openAt } from '../../editor';
import type { Services } from '../../services';
import { targetOf } from './target';

/** Opens what a Sessions row stands for: the entry at that session, an agent session file, at a turn. */
export async function open(_services: Services, node: unknown): Promise<void> {
  const target = targetOf(node);
  if (!target) return;
  await openAt(target.uri, target.line, target.turnNumber);
}
