// Entry point for the smoke suite that runs against the extension installed from the VSIX.
import { runMochaIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname, 'smoke');
}
