// The conventional entry point of VS Code extension tests: `node out/test/runIntegration.js`.
// VSCODE_EXECUTABLE_PATH names a VS Code desktop to run the tests in; without it, the tests run in the
// headless VS Code that scripts/test-electron-shim drives (the same route as npm run test:integration).
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  try {
    await runTests({
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || path.join(root, 'scripts', 'test-electron-shim'),
      // The extension under test, and the test-only language model beside it.
      extensionDevelopmentPath: [root, path.join(root, 'test', 'fixtures', 'test-lm')],
      extensionTestsPath: path.join(__dirname, 'integration', 'index.js'),
      launchArgs: [path.join(root, 'test', 'fixtures', 'workspace'), '--disable-extensions'],
    });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

void main();
