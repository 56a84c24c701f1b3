#!/usr/bin/env node
// @ts-check
// `npm start`: opens VS Code with the extension on a copy of the demo workspace and knowledge base.
// VS Code desktop when `code` is on PATH; otherwise the test runtime's VS Code, served on 127.0.0.1.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

/** On Windows `code` is a .cmd script, which only a shell runs (and the shell needs paths quoted). */
const WINDOWS = process.platform === 'win32';
const arg = (value) => (WINDOWS ? `"${value}"` : value);

const root = path.resolve(__dirname, '..');
const demo = path.join(root, '.vscode-test', 'demo');

/** A fresh demo on each start: its times moved to now (see scripts/demo.js), so nothing in it has gone stale. */
function copyDemo() {
  fs.rmSync(demo, { recursive: true, force: true });
  require('./demo').makeDemo(demo);
  console.log(`Demo workspace and knowledge base, made afresh on each start: ${demo}`);
}

function hasDesktopCode() {
  return !process.env.CI && spawnSync('code', ['--version'], { stdio: 'ignore', shell: WINDOWS }).status === 0;
}

async function serve() {
  const { ensureRuntime, runtimeProblem } = require('./vscode-runtime');
  const { makeSessionDirs, startServer, stopServer } = require('./run-vscode-tests');
  const problem = runtimeProblem();
  if (problem) throw new Error(`No \`code\` command on PATH, so the demo would run in the browser, but: ${problem}`);
  await ensureRuntime();
  const dirs = makeSessionDirs();
  const server = startServer(dirs);
  const port = await server.port;
  const remote = (file) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload = [
    ['extensionDevelopmentPath', remote(root)],
    ['skipWelcome', 'true'],
  ];
  const url = `http://127.0.0.1:${port}/?${new URLSearchParams({ folder: demo, payload: JSON.stringify(payload) })}`;
  console.log(`\nVS Code with Session Log is running at:\n\n  ${url}\n\nOpen it in a browser on this machine. Press Ctrl+C to stop.`);
  const stop = () =>
    stopServer(server.child).finally(() => {
      fs.rmSync(dirs.base, { recursive: true, force: true });
      process.exit(0);
    });
  process.once('SIGINT', stop).once('SIGTERM', stop);
  server.child.once('exit', (code) => process.exit(code ?? 1));
}

copyDemo();
if (hasDesktopCode()) {
  console.log('Opening VS Code desktop…');
  spawn('code', ['--extensionDevelopmentPath', arg(root), arg(demo)], { stdio: 'inherit', shell: WINDOWS }).on('exit', (code) => process.exit(code ?? 0));
} else {
  serve().catch((error) => {
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  });
}
