import { writeDecision as run } from '../../chat/writes';
import type { Command } from '../command';

/** The Record Decision button under the chat's `/decision` preview: writes the next ADR-NNN with what was shown. */
export const writeDecision: Command = { id: 'sessionlog.chat.writeDecision', run };
