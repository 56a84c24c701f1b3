// Runs every *.test.js below a folder with mocha inside the extension host, where `vscode` is real.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function runMochaIn(dir: string, label: string): Promise<void> {
  // Colors only garble the output when it is forwarded from the host to a log or a terminal.
  // MOCHA_GREP runs only the tests whose titles match (for working on one suite).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, ...(process.env.MOCHA_GREP ? { grep: process.env.MOCHA_GREP } : {}) });
  const files = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} ${label} test(s) failed`)) : resolve()));
  });
}
