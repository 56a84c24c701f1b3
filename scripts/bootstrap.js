#!/usr/bin/env node
// @ts-check
// @ts-check
// First thing `npm test` and `npm start` run, with nothing but Node's own modules: installs the project's
// dependencies when they are missing (a fresh clone), and with --runtime checks, before anything else
// happens, that the headless VS Code test runtime can be set up here, then sets it up (once per machine).
//
//   node scripts/bootstrap.js [--runtime]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');

/** npm ci when node_modules is absent, or older than package-lock.json (a pull changed the dependencies). */
function ensureDependencies() {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  let reason;
  if (!fs.existsSync(installed)) reason = 'node_modules is missing';
  else if (fs.statSync(lock).mtimeMs > fs.statSync(installed).mtimeMs) reason = 'package-lock.json is newer than node_modules';
  if (!reason) return;
  console.log(`[setup] ${reason}: installing the project's dependencies with npm ci (about a minute)`);
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) {
    console.error('[setup] npm ci failed (its output is above); fix that and run the command again.');
    process.exit(npm.status ?? 1);
  }
}

async function main() {
  ensureDependencies();
  if (!process.argv.includes('--runtime')) return;
  const { ensureRuntime, runtimeProblem } = require('./vscode-runtime');
  const problem = runtimeProblem();
  if (problem) {
    console.error(`[setup] ${problem}`);
    process.exit(1);
  }
  await ensureRuntime();
}

main().catch((error) => {
  console.error(`[setup] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
