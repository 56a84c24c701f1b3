import { MoreNode } from '../../views/nodes/more';
import type { Services } from '../../services';
import type { Command } from '../command';

/** The "Load more…" row: one more page of sessions or agent sessions. */
async function run(services: Services, node: unknown): Promise<void> {
  if (!(node instanceof MoreNode)) return;
  services.model.showMore(node.folder, node.kind);
  await services.model.settled();
}

export const loadMore: Command = { id: 'sessionlog.sessions.loadMore', run };
