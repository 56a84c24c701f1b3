#!/usr/bin/env node
// @ts-check
// Runs the integration tests inside a real VS Code extension host: code-server serves VS Code's web
// workbench and node extension host, headless Chromium opens the workbench with the test payload
// (the route VS Code's own browser integration tests take), and the tests' console output and exit
// code come back through two functions exposed to the page.
//
//   node scripts/run-vscode-tests.js [--workspace DIR] [--extension DIR] [--tests FILE]
//                                    [--with-extension DIR]... [--timeout SECONDS] [--screenshot-dir DIR] [--verbose]
//
// --with-extension installs a test-only extension folder beside the one under test (the workbench takes
// one extensionDevelopmentPath: its payload is a map). Without it, those of TEST_EXTENSIONS are installed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const util = require('node:util');
const { spawn, spawnSync } = require('node:child_process');
const { ensureRuntime, paths } = require('./vscode-runtime');

const SERVER_TIMEOUT_MS = 60_000;
const WORKBENCH_TIMEOUT_MS = 90_000;
// Test-only extensions installed beside the project by default (never shipped: .vscodeignore leaves out test/).
// test/fixtures/test-lm provides a deterministic language model through the public chat-provider API.
const TEST_EXTENSIONS = [path.join('test', 'fixtures', 'test-lm')];
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A failure of the harness itself: reported as one message, without a stack. */
class HarnessError extends Error {}

function within(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError(message())), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A private folder per session: VS Code, code-server and Chromium write nowhere else. */
function makeSessionDirs() {
  const sessions = path.join(paths.cache, 'sessions');
  fs.mkdirSync(sessions, { recursive: true });
  // Failed sessions are kept for their logs; a day later they are only clutter.
  for (const old of fs.readdirSync(sessions)) {
    const dir = path.join(sessions, old);
    if (Date.now() - fs.statSync(dir).mtimeMs > 86_400_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  const base = fs.mkdtempSync(path.join(sessions, 'run-'));
  const dirs = { base };
  for (const name of ['home', 'config', 'data', 'cache', 'tmp', 'user-data', 'extensions', 'browser']) {
    dirs[name] = path.join(base, name);
    fs.mkdirSync(dirs[name]);
  }
  return dirs;
}

function sessionEnv(dirs) {
  // Variables of a VS Code terminal (VSCODE_IPC_HOOK_CLI above all) would make code-server hand the
  // request to the VS Code that launched us instead of starting a server of its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(VSCODE_|ELECTRON_)/.test(key)));
  return {
    ...env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
  };
}

/** Starts code-server on a port of 127.0.0.1 that the OS picks; `port` resolves once it listens. */
function startServer(dirs) {
  const args = [
    paths.codeServer,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--config',
    path.join(dirs.config, 'config.yaml'),
    '--user-data-dir',
    dirs['user-data'],
    '--extensions-dir',
    dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without the smoke-test driver the workbench ignores the payload that names the tests.
    '--vscode-option',
    'enable-smoke-test-driver',
  ];
  // Its own process group, so that stopping it also stops the extension host and its other children.
  const child = spawn(paths.node, args, { env: sessionEnv(dirs), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  const port = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output.push(chunk.toString());
      const match = /HTTP server listening on https?:\/\/127\.0\.0\.1:(\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new HarnessError(`code-server exited (${signal ?? `exit ${code}`}):\n${output.join('')}`)));
  });
  port.catch(() => {});
  return { child, port, output };
}

/** Installs a VSIX into the session's extensions folder, as a user would, before the server starts. */
function installExtension(dirs, vsix) {
  const result = spawnSync(
    paths.node,
    [paths.codeServer, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs['user-data'], '--install-extension', path.resolve(vsix), '--force'],
    { env: sessionEnv(dirs), encoding: 'utf8', timeout: 120_000 },
  );
  if (result.status !== 0) throw new HarnessError(`installing ${vsix} failed:\n${result.stdout}${result.stderr}`);
}

/** Copies an unpackaged extension folder into the session's extensions folder, where the server finds it installed. */
function installFolder(dirs, folder) {
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`.toLowerCase();
  const relative = `${id}-${manifest.version}`;
  fs.cpSync(folder, path.join(dirs.extensions, relative), { recursive: true });
  const registry = path.join(dirs.extensions, 'extensions.json');
  const entries = fs.existsSync(registry) ? JSON.parse(fs.readFileSync(registry, 'utf8')) : [];
  entries.push({
    identifier: { id },
    version: manifest.version,
    relativeLocation: relative,
    location: { $mid: 1, scheme: 'file', path: path.join(dirs.extensions, relative) },
    metadata: { installedTimestamp: Date.now(), source: 'resource' },
  });
  fs.writeFileSync(registry, JSON.stringify(entries));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const force = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(force);
}

/**
 * Starts code-server and headless Chromium, and opens the workbench on `workspace` with the extension in
 * `extensionDevelopmentPath` loaded and, when given, the tests of `extensionTestsPath` running; the extension folders of
 * `withExtensions` are installed beside it.
 * Resolves once the workbench is on screen, with the playwright `page`, `exited` (resolves with the
 * tests' exit code), `workbenchLog` (the workbench's own console, as { level, line }) and `stop({ keep })`, which
 * must be called in every case (`keep` leaves the session's folder, with its logs, in place).
 * `onLog(line, { level, fromExtensionHost })` receives each console line, formatted; extra `payload` entries
 * (e.g. [['logLevel', 'trace']]) are passed to the workbench.
 * @param {{ workspace: string, extensionDevelopmentPath?: string, extensionTestsPath?: string, payload?: [string, string][],
 *   onLog?: (line: string, source: { level: string, fromExtensionHost: boolean }) => void, timeoutMs?: number,
 *   installVsix?: string, withExtensions?: string[] }} options
 */
async function startWorkbench({
  workspace,
  extensionDevelopmentPath = paths.root,
  extensionTestsPath,
  payload = [],
  onLog,
  timeoutMs = WORKBENCH_TIMEOUT_MS,
  installVsix,
  withExtensions = [],
}) {
  await ensureRuntime();
  const { chromium } = require(paths.playwright);
  const dirs = makeSessionDirs();
  if (installVsix) installExtension(dirs, installVsix);
  for (const folder of withExtensions) installFolder(dirs, folder);
  const server = startServer(dirs);
  const workbenchLog = [];
  let context;
  let stopping;

  // Even an interrupted run must not leave code-server behind.
  const killOnExit = () => killGroup(server.child, 'SIGKILL');
  const onSignal = () => {
    stop().finally(() => process.exit(130));
  };
  process.on('exit', killOnExit).once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const stop = ({ keep = false } = {}) =>
    (stopping ??= (async () => {
      await context?.close().catch(() => {});
      await stopServer(server.child);
      process.off('exit', killOnExit).off('SIGINT', onSignal).off('SIGTERM', onSignal);
      if (!keep) fs.rmSync(dirs.base, { recursive: true, force: true });
    })());

  try {
    const port = await within(
      server.port,
      SERVER_TIMEOUT_MS,
      () => `code-server did not listen within ${SERVER_TIMEOUT_MS / 1000} s:\n${server.output.join('')}`,
    );
    const remote = (file) => `vscode-remote://127.0.0.1:${port}${path.resolve(file)}`;
    const entries = [['extensionDevelopmentPath', remote(extensionDevelopmentPath)]];
    if (extensionTestsPath) entries.push(['extensionTestsPath', remote(extensionTestsPath)]);
    entries.push(['skipWelcome', 'true'], ...payload);
    const query = new URLSearchParams({ folder: path.resolve(workspace), payload: JSON.stringify(entries) });
    const url = `http://127.0.0.1:${port}/?${query}`;

    context = await chromium.launchPersistentContext(dirs.browser, {
      executablePath: paths.chromium,
      headless: true,
      args: BROWSER_ARGS,
      env: sessionEnv(dirs),
      viewport: { width: 1400, height: 900 },
    });
    // The workbench reaches for telemetry, marketplace and update hosts: nothing leaves this machine.
    await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    const page = context.pages()[0] ?? (await context.newPage());

    let reportExit;
    const exited = new Promise((resolve) => {
      reportExit = resolve;
    });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    // The workbench logs its own chatter and the extension host's console through the same call, with
    // printf-style placeholders unformatted. Only the extension host's lines pass through its
    // $logExtensionHostMessage handler, so the call stack tells the two apart.
    await page.exposeFunction('__forwardLog', (level, args, fromExtensionHost) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!fromExtensionHost) workbenchLog.push({ level, line });
      onLog?.(line, { level, fromExtensionHost });
    });
    await page.addInitScript(() => {
      /** @type {any} */ (window).codeAutomationLog = (level, args) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 100;
        const stack = new Error().stack;
        Error.stackTraceLimit = limit;
        /** @type {any} */ (window).__forwardLog(level, args, /\$logExtensionHostMessage/.test(stack ?? ''));
      };
    });
    page.on('pageerror', (error) => workbenchLog.push({ level: 'error', line: error.message }));

    try {
      await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
      await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
    } catch (error) {
      throw new HarnessError(`the workbench did not load: ${String(error instanceof Error ? error.message : error).split('\n')[0]}`);
    }
    return { page, context, url, port, exited, workbenchLog, sessionDir: dirs.base, stop };
  } catch (error) {
    await stop({ keep: true });
    if (error instanceof HarnessError) error.message += `\n(session files kept in ${dirs.base})`;
    throw error;
  }
}

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ workspace: string, extension: string, withExtensions: string[] | undefined, tests: string, timeout: number, screenshotDir: string | undefined, verbose: boolean }} */
  const options = {
    workspace: path.join(paths.root, 'test', 'fixtures', 'workspace'),
    extension: paths.root,
    withExtensions: undefined,
    tests: path.join(paths.root, 'out', 'test', 'integration', 'index.js'),
    timeout: 300,
    screenshotDir: undefined,
    verbose: false,
  };
  const valued = {
    '--workspace': 'workspace',
    '--extension': 'extension',
    '--with-extension': 'withExtensions',
    '--tests': 'tests',
    '--timeout': 'timeout',
    '--screenshot-dir': 'screenshotDir',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--verbose') {
      options.verbose = true;
      continue;
    }
    const key = valued[flag];
    const value = inline ?? argv[++i];
    if (!key || value === undefined) {
      throw new HarnessError(`unknown option or missing value: ${flag}\noptions: ${Object.keys(valued).join(' ')} --verbose`);
    }
    if (key === 'withExtensions') options.withExtensions = [...(options.withExtensions ?? []), path.resolve(value)];
    else options[key] = key === 'timeout' ? Number(value) : path.resolve(value);
  }
  options.withExtensions ??= TEST_EXTENSIONS.map((folder) => path.join(paths.root, folder)).filter((folder) => fs.existsSync(folder));
  if (!(options.timeout > 0)) throw new HarnessError('--timeout takes a number of seconds');
  for (const key of ['workspace', 'extension', 'withExtensions', 'tests']) {
    for (const file of [options[key]].flat()) {
      if (!fs.existsSync(file)) {
        throw new HarnessError(`--${key} ${file} does not exist${key === 'tests' ? ' (build first: npm run build)' : ''}`);
      }
    }
  }
  return options;
}

/**
 * Runs the tests once and resolves with their exit code; rejects when the harness itself fails.
 * @param {{ workspace: string, extensionDevelopmentPath: string, extensionTestsPath: string, timeout?: number,
 *   screenshotDir?: string, verbose?: boolean, installVsix?: string, withExtensions?: string[] }} options
 */
async function runTests({
  workspace,
  extensionDevelopmentPath,
  extensionTestsPath,
  timeout = 300,
  screenshotDir,
  verbose = false,
  installVsix,
  withExtensions,
}) {
  const started = Date.now();
  let extensionHostLines = 0;
  const workbench = await startWorkbench({
    workspace,
    extensionDevelopmentPath,
    extensionTestsPath,
    installVsix,
    withExtensions,
    onLog: (line, { level, fromExtensionHost }) => {
      if (fromExtensionHost) extensionHostLines++;
      if (fromExtensionHost || verbose) console.log(fromExtensionHost ? line : `[workbench ${level}] ${line}`);
    },
  });
  let code;
  try {
    code = await within(workbench.exited, timeout * 1000, () => {
      const errors = workbench.workbenchLog.filter(({ level }) => level === 'error' || level === 'warn').slice(-10);
      return (
        `the tests reported no exit within ${timeout} s (session logs kept in ${workbench.sessionDir}); ` +
        `the workbench's last warnings and errors:\n${errors.map(({ line }) => line).join('\n')}`
      );
    });
  } finally {
    if (screenshotDir) {
      fs.mkdirSync(screenshotDir, { recursive: true });
      await workbench.page.screenshot({ path: path.join(screenshotDir, 'workbench.png') }).catch(() => {});
    }
    await workbench.stop({ keep: code !== 0 });
  }
  const kept = code === 0 ? '' : `; session logs kept in ${path.relative(process.cwd(), workbench.sessionDir)}`;
  if (extensionHostLines === 0 && !verbose) console.log('[vscode-tests] the extension host printed nothing; --verbose shows the workbench console too');
  console.log(`[vscode-tests] exit code ${code} after ${((Date.now() - started) / 1000).toFixed(1)} s${kept}`);
  return code;
}

/** The command line: resolves with the exit code to use. */
async function main(argv = process.argv.slice(2)) {
  const options = parseArgs(argv);
  return runTests({ ...options, extensionDevelopmentPath: options.extension, extensionTestsPath: options.tests });
}

/** Exits with the code `promise` resolves with; a harness failure is printed as one message, exit 1. */
function exitWith(promise) {
  promise.then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[vscode-tests] ${error instanceof HarnessError ? error.message : error.stack}`);
      process.exit(1);
    },
  );
}

module.exports = { main, runTests, startWorkbench, exitWith, HarnessError, makeSessionDirs, startServer, stopServer };

if (require.main === module) exitWith(main());
