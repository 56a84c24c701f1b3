import { logWithForm } from '../forms/logWithForm';
import type { Command } from './command';

/** Session: Log — the multi-step "Log Session" form, then the core's logSession. */
export const log: Command = { id: 'sessionlog.log', run: logWithForm };
