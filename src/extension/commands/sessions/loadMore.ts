import { MoreNode } from '../../views/nodes';
import type { Services } from '../../services';

/** The "Load more…" row: one more page of sessions or agent sessions. */
export async function loadMore(services: Services, node: unknown): Promise<void> {
  if (!(node instanceof MoreNode)) return;
  services.model.showMore(node.folder, node.kind);
  await services.model.settled();
}
