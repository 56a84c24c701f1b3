// Entry point that VS Code loads in the extension host (extensionTestsPath): runs every
// out/test/integration/**/*.test.js with mocha in this same host, so tests can use the real `vscode` API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Colors only garble the output when it is forwarded from the host to a log or a terminal.
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000 });
  const files = fs.readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
