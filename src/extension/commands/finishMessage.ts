import { finishMessage as finish } from '../forms/messageEditor';

/** The ✓ Done of a message being written in an editor: the form takes its text and goes on. */
export async function finishMessage(): Promise<boolean> {
  return finish();
}
