// Entry point that VS Code loads in the extension host (extensionTestsPath): runs every
// out/test/integration/**/*.test.js with mocha in this same host, so tests can use the real `vscode` API.
import { runMochaIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname, 'integration');
}
