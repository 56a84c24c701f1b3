import { writeSession as run } from '../../chat/writes';
import type { Command } from '../command';

/** The Write button under the chat's `/log` preview: writes exactly the record shown. */
export const writeSession: Command = { id: 'sessionlog.chat.writeSession', run };
