import { finishMessage as finish } from '../forms/messageEditor';
import type { Command } from './command';

/** The ✓ Done of a message being written in an editor: the form takes its text and goes on. */
async function run(): Promise<boolean> {
  return finish();
}

export const finishMessage: Command = { id: 'sessionlog.finishMessage', run };
