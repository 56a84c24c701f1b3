import type { Services } from '../services';

/** Session: Refresh — reads every folder's .kbcontext, entry and agent sessions again. */
export async function refresh(services: Services): Promise<void> {
  services.model.invalidate(undefined, { resolution: true, now: true });
  await services.model.settled();
}
