import type { Services } from '../services';
import type { Command } from './command';

/** Session: Refresh — reads every folder's .kbcontext, entry and agent sessions again. */
async function run(services: Services): Promise<void> {
  services.model.reload(undefined, { resolution: true, now: true });
  await services.model.settled();
}

export const refresh: Command = { id: 'sessionlog.refresh', run };
