#!/usr/bin/env node
// @ts-check
// Installs sessionlog.vsix into the headless VS Code, as a user would, and runs the smoke suite
// against that installed copy (a bare host extension only carries the tests in).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { runTests, exitWith, HarnessError } = require('./run-vscode-tests');

const root = path.resolve(__dirname, '..');
const vsix = path.join(root, 'sessionlog.vsix');

exitWith(
  (async () => {
    if (!fs.existsSync(vsix)) throw new HarnessError(`${vsix} is missing: run npm run package first`);
    console.log(`[vsix] ${path.basename(vsix)}: ${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB`);
    return runTests({
      workspace: path.join(root, 'test', 'fixtures', 'workspace'),
      extensionDevelopmentPath: path.join(root, 'test', 'fixtures', 'smoke-host'),
      extensionTestsPath: path.join(root, 'out', 'test', 'smoke', 'index.js'),
      installVsix: vsix,
      timeout: 180,
    });
  })(),
);
