#!/usr/bin/env node
// @ts-check
// End-to-end test through the real UI: VS Code's web workbench in headless Chromium, driven with the keyboard
// and the mouse as a user would, on a copy of the fixture workspace that is its own knowledge base.
//
//   node scripts/test-ui.js [--update-screenshots] [--verbose] [--help]
//
// 1. Pre-populates the knowledge base: sessions written by the CLI (tags, decisions, follow-ups, a next-session
//    hint) and an agent session with a completed turn and one in progress.
// 2. Session: Log from the command palette; every step of the Log Session form answered with the keyboard;
//    the session must reach the entry file and the Sessions view.
// 3. The Sessions view with the agent session expanded, the entry open beside it.
// 4. Chat: `@sessionlog /log …` typed into the chat input, with the test language model of test/fixtures/test-lm
//    selected; the session must reach the entry file and the Sessions view. The chat runs in Ask mode: without
//    Copilot, Agent mode offers only models that call tools, which the test model does not.
// 5. Session: Show Insights on a fresh copy of the demo knowledge base (scripts/demo.js): every chart drawn, in
//    the dark and the light theme (screenshots insights-dark.png, insights-light.png); a mark focused from the keyboard
//    and followed with Enter opens the session behind it.
//
// Screenshots go to .vscode-test/screenshots/, or with --update-screenshots to media/screenshots/ (used by the
// README). A failure names the step that failed, keeps the workspace and the session's folder (logs, a screenshot)
// and exits 1; code-server is stopped in every case.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { startWorkbench, HarnessError } = require('./run-vscode-tests');
const { paths } = require('./vscode-runtime');
const { makeDemo } = require('./demo');

const ROOT = paths.root;
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'workspace');
const TEST_LM = path.join(ROOT, 'test', 'fixtures', 'test-lm');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const AGENT_CORE = path.join(ROOT, 'out', 'src', 'core', 'agent', 'sessions.js');
const NODE_DEPS = path.join(ROOT, 'out', 'src', 'node', 'nodeDeps.js');
const ENTRY = path.join('projects', 'demo', 'sessions.md');

/** How long a condition on the page may take to come true (a cold extension host on a slow CI machine). */
const WAIT_MS = 45_000;
const TOTAL_STEPS = 7;

const FORM = {
  message: 'Added rate limiting to the login endpoint: a sliding window per user and IP',
  newTag: 'security',
  decision: 'Sliding window instead of fixed buckets :: no burst at the window edge',
  followUp: 'Tune the limits with production traffic',
  next: 'Expose the limiter metrics; start in src/auth/rateLimit.ts',
};
const CHAT = { prompt: '@sessionlog /log Fixed the flaky login test #testing', message: 'Fixed the flaky login test', tag: 'testing' };
const DEFAULT_TAG = 'auth';

/** A failed step: reported as one line that names it; `details` (what was found instead) are printed above it. */
class StepError extends Error {
  constructor(message, details) {
    super(message);
    this.details = details;
  }
}

let currentStep = 'setup';
let verbose = false;

function log(message) {
  console.log(`[ui] ${message}`);
}

async function step(name, action) {
  currentStep = name;
  const started = Date.now();
  try {
    const result = await action();
    log(`ok  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    if (error instanceof StepError) throw error;
    const message = String(/** @type {any} */ (error)?.message ?? error);
    // The harness's own messages are made to be read whole (they say where its logs were kept).
    if (error instanceof HarnessError) throw new StepError(`step "${name}" failed: ${message}`);
    const [reason, ...details] = message.split('\n');
    throw new StepError(`step "${name}" failed: ${reason.trim() || 'failed'}`, details.join('\n').trim());
  }
}

function parseArgs(argv) {
  const options = { update: false, verbose: false };
  for (const arg of argv) {
    if (arg === '--update-screenshots') options.update = true;
    else if (arg === '--verbose') options.verbose = true;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new HarnessError(`unknown option: ${arg}\noptions: --update-screenshots --verbose --help`);
  }
  return options;
}

// ---------------------------------------------------------------------------------------------------------------
// The knowledge base, as a few days of real use leave it.

function cli(workspace, args) {
  execFileSync(process.execPath, [CLI, ...args], { cwd: workspace, env: process.env, stdio: 'pipe', encoding: 'utf8' });
}

/** The CLI stamps the current minute; its headings are moved back so that the log reads like a week of work. */
function backdate(file, daysAgo) {
  const now = Date.now();
  const stamps = daysAgo.map((days, index) => new Date(now - days * 86_400_000 - (index + 1) * 3_700_000));
  const minute = (date) => date.toISOString().slice(0, 16).replace('T', ' ');
  let index = 0;
  let text = fs.readFileSync(file, 'utf8').replace(/^## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/gm, (heading) => {
    const stamp = stamps[index++];
    return stamp ? `## ${minute(stamp)} UTC` : heading;
  });
  const iso = (date) => `'${date.toISOString().slice(0, 19)}Z'`;
  text = text.replace(/^created: .*$/m, `created: ${iso(stamps[0])}`).replace(/^updated: .*$/m, `updated: ${iso(stamps[stamps.length - 1])}`);
  fs.writeFileSync(file, text);
}

function git(workspace, args, date) {
  const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: workspace,
    env,
    stdio: 'pipe',
  });
}

function write(workspace, file, text) {
  fs.mkdirSync(path.dirname(path.join(workspace, file)), { recursive: true });
  fs.writeFileSync(path.join(workspace, file), text);
}

async function populate(workspace) {
  fs.cpSync(FIXTURE, workspace, { recursive: true });
  // A default tag for the form to show pre-selected.
  write(workspace, path.join('.vscode', 'settings.json'), `${JSON.stringify({ 'sessionlog.defaultTags': [DEFAULT_TAG] }, null, 2)}\n`);
  write(
    workspace,
    'src/auth/login.ts',
    'export async function login(user: string, password: string): Promise<string> {\n  return issueToken(user, password);\n}\n\ndeclare function issueToken(user: string, password: string): Promise<string>;\n',
  );
  write(workspace, 'src/auth/tokens.ts', 'export const ACCESS_TOKEN_MINUTES = 15;\n');
  write(workspace, 'test/login.test.ts', "import { login } from '../src/auth/login';\n\nvoid login;\n");

  cli(workspace, [
    'log',
    '-m',
    'Set up the auth module and the CI workflow',
    '--tags',
    'setup,ci',
    '--files',
    'src/auth/login.ts,.github/workflows/ci.yml',
    '--decision',
    'GitHub Actions for CI :: the other services use it already',
    '--follow-up',
    'Add a lint step to CI',
  ]);
  cli(workspace, [
    'log',
    '-m',
    'Implemented JWT login with jose; access tokens expire after 15 minutes',
    '--tags',
    'auth,progress',
    '--files',
    'src/auth/login.ts,src/auth/tokens.ts',
    '--decision',
    'Used jose for JWT :: type-safe, no native dependencies',
    '--decision',
    '15-minute access tokens :: refresh tokens cover longer sessions',
    '--follow-up',
    'Add refresh token rotation',
    '--follow-up',
    'Implement the logout endpoint',
    '--next',
    'Refresh tokens next: start in src/auth/refresh.ts',
  ]);
  cli(workspace, [
    'log',
    '-m',
    'Investigated the flaky login test: the token clock races the fake timers',
    '--tags',
    'testing,auth',
    '--files',
    'test/login.test.ts',
    '--follow-up',
    'Make the token clock injectable',
  ]);
  backdate(path.join(workspace, ENTRY), [6, 3, 1]);

  // An agent session, as an agent writes it over MCP: one turn done, one still running.
  const { AgentSessions } = require(AGENT_CORE);
  const { createNodeDeps } = require(NODE_DEPS);
  const agents = new AgentSessions(createNodeDeps({ env: { get: () => undefined, cwd: () => workspace } }), { cwd: workspace, kbRoot: workspace });
  await agents.openSession({ agent: 'Copilot', title: 'Add refresh token rotation', model: 'gpt-5' });
  await agents.beginTurn({ queryTitle: 'Rotate refresh tokens on use', queryText: 'Rotate the refresh token each time it is used and revoke the old one.' });
  await agents.appendActions({
    actions: [
      { description: 'Created RefreshTokenStore', type: 'create', filePath: 'src/auth/refresh.ts' },
      { description: 'Rotated the token in the refresh handler', type: 'edit', filePath: 'src/auth/login.ts' },
    ],
  });
  await agents.completeTurn({ response: 'Refresh tokens are rotated on every use; the old token is revoked.' });
  await agents.beginTurn({ queryTitle: 'Detect refresh token reuse', queryText: 'Revoke the whole token family when a rotated token is used again.' });

  // A repository, so that the form offers the files changed since the last session.
  if (spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0) {
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    git(workspace, ['init', '-q'], weekAgo);
    git(workspace, ['add', '-A'], weekAgo);
    git(workspace, ['commit', '-q', '-m', 'Login with JWT'], weekAgo);
    write(workspace, 'src/auth/rateLimit.ts', 'export const WINDOW_SECONDS = 60;\n');
    fs.appendFileSync(path.join(workspace, 'src/auth/login.ts'), '\n// Rate limited: see rateLimit.ts.\n');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The workbench, through its DOM.

/**
 * Waits until `predicate(helpers, arg)`, run in the page, returns something truthy, and returns it. The predicate
 * and the helpers travel as source text: the page has none of this file's functions.
 */
async function until(page, what, predicate, arg, timeout = WAIT_MS) {
  const helpers = `({ quickInput: ${quickInput}, sessionRows: ${sessionRows} })`;
  try {
    const handle = await page.waitForFunction(`(${predicate})(${helpers}, ${JSON.stringify(arg ?? null)})`, undefined, { timeout, polling: 100 });
    return await handle.jsonValue();
  } catch (error) {
    if (error instanceof Error && /Timeout/i.test(error.message)) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    throw error;
  }
}

/** Polls a condition of this process (a file's content) until it holds. */
async function eventually(what, condition, timeout = WAIT_MS) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await condition();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const [reason, ...details] = last instanceof Error ? last.message.split('\n') : [];
      throw new Error([`timed out after ${timeout / 1000} s waiting for ${what}${reason ? `: ${reason}` : ''}`, ...details].join('\n'));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The quick input (palette, input box or pick) as shown, or null while hidden. */
function quickInput() {
  const widget = /** @type {HTMLElement | null} */ (document.querySelector('.quick-input-widget'));
  if (!widget || widget.style.display === 'none' || widget.offsetParent === null) return null;
  const input = /** @type {HTMLInputElement | null} */ (widget.querySelector('.quick-input-box input'));
  const rows = [...widget.querySelectorAll('.quick-input-list .monaco-list-row')].map((row) => ({
    label: row.getAttribute('aria-label') ?? '',
    focused: row.classList.contains('focused'),
    checked: row.getAttribute('aria-checked') === 'true',
  }));
  return {
    title: widget.querySelector('.quick-input-title')?.textContent ?? '',
    message: widget.querySelector('.quick-input-message')?.textContent ?? '',
    value: input?.value ?? '',
    focused: document.activeElement === input,
    rows,
  };
}

/** F1, the command's name typed, Enter once it is the focused row (a click on it otherwise). */
async function runCommand(page, label) {
  await page.keyboard.press('F1');
  await until(page, 'the command palette', (ui) => {
    const state = ui.quickInput();
    return state && state.focused && state.value.startsWith('>');
  });
  await page.keyboard.type(label, { delay: 5 });
  const found = await until(
    page,
    `"${label}" in the command palette`,
    (ui, label) => {
      const state = ui.quickInput();
      const row = state?.rows.find((candidate) => candidate.label === label || candidate.label.startsWith(`${label},`));
      return row ? (row.focused ? 'focused' : 'listed') : false;
    },
    label,
  );
  if (found === 'focused') {
    await page.keyboard.press('Enter');
  } else {
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').filter({ hasText: label }).first().click();
  }
}

/** Waits for step `n` of the Log Session form, empty and focused (and its prompt to mention `mentions`). */
async function formStep(page, n, mentions) {
  return until(
    page,
    `step ${n}/${TOTAL_STEPS} of the Log Session form${mentions ? ` mentioning "${mentions}"` : ''}`,
    (ui, { n, total, mentions }) => {
      const state = ui.quickInput();
      if (!state || !state.title.startsWith('Log Session') || !state.title.includes(`(${n}/${total})`)) return false;
      if (!state.focused || state.value !== '') return false;
      if (mentions && !state.message.includes(mentions) && !state.rows.some((row) => row.label.includes(mentions))) return false;
      return state;
    },
    { n, total: TOTAL_STEPS, mentions },
  );
}

async function typeAndWait(page, text) {
  await page.keyboard.type(text, { delay: 5 });
  await until(page, `"${text}" to be typed`, (ui, text) => ui.quickInput()?.value === text, text);
}

async function quickInputHidden(page, what) {
  await until(page, what, (ui) => ui.quickInput() === null);
}

/** A clip around the quick input, with some of the workbench around it. */
async function quickInputClip(page) {
  const box = await page.locator('.quick-input-widget').boundingBox();
  const x = Math.max(0, Math.round(box.x - 60));
  return { x, y: 0, width: Math.min(1400 - x, Math.round(box.width + 120)), height: Math.min(900, Math.round(box.y + box.height + 40)) };
}

/** The rows of the Sessions view: label, depth and whether expanded. */
function sessionRows() {
  const pane = [...document.querySelectorAll('.part.sidebar .pane')].find((candidate) =>
    /Sessions/.test(candidate.querySelector('.pane-header')?.textContent ?? ''),
  );
  if (!pane) return null;
  return [...pane.querySelectorAll('.monaco-list-row')].map((row) => ({
    label: row.getAttribute('aria-label') ?? '',
    text: row.textContent ?? '',
    level: Number(row.getAttribute('aria-level')),
    expanded: row.getAttribute('aria-expanded'),
  }));
}

async function sessionRow(page, what, text) {
  return until(
    page,
    what,
    (ui, text) => {
      const rows = ui.sessionRows();
      return rows?.find((row) => row.label.includes(text) || row.text.includes(text)) ?? false;
    },
    text,
  );
}

function rowLocator(page, text) {
  return page.locator('.part.sidebar .pane .monaco-list-row').filter({ hasText: text }).first();
}

async function showSessionLog(page) {
  const item = page.locator('.activitybar .action-item:has(a[aria-label="Session Log"])');
  await item.waitFor({ state: 'visible', timeout: WAIT_MS });
  if (!/\bchecked\b/.test((await item.getAttribute('class')) ?? '')) await item.click();
  await until(page, 'the Sessions view', (ui) => ui.sessionRows() !== null);
}

/**
 * Lets the workbench finish what only changes its looks (extensions still activating, Markdown not yet coloured)
 * before a screenshot. Cosmetic: a timeout here is no failure.
 */
async function settled(page) {
  await until(
    page,
    'extensions to finish activating',
    () => !/Activating Extensions/.test(document.querySelector('.part.statusbar')?.textContent ?? ''),
    null,
    20_000,
  ).catch(() => log('note: extensions were still activating at the screenshot'));
  await until(
    page,
    'the Markdown to be coloured',
    () =>
      [...document.querySelectorAll('.editor-instance .view-line')].some(
        (line) => /^##\s/.test(line.textContent ?? '') && [...line.querySelectorAll('span[class^="mtk"]')].some((span) => span.className !== 'mtk1'),
      ),
    null,
    20_000,
  ).catch(() => log('note: the entry was not coloured yet at the screenshot'));
}

function entryText(workspace) {
  const file = path.join(workspace, ENTRY);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** The last section of the entry (the newest session). */
function newestSession(workspace) {
  const sections = entryText(workspace).split(/^(?=## \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$)/m);
  return sections.length > 1 ? sections[sections.length - 1] : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The Insights view, on the demo knowledge base as `npm start` opens it.

/** The Insights page: the webview's own document, two frames down. */
function insightsFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function insights(temp, shot, started) {
  const demo = await step('make a fresh demo knowledge base', () => makeDemo(path.join(temp, 'demo-app')));
  const workbench = await step('start the workbench on the demo', () => startWorkbench({ workspace: demo }));
  started(workbench);
  const { page } = workbench;
  await step('wait for Session Log to load', async () => {
    await page.locator('.activitybar a[aria-label="Session Log"]').waitFor({ state: 'visible', timeout: WAIT_MS });
    if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand(page, 'View: Hide Secondary Side Bar');
    if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Close Primary Side Bar');
  });
  const frame = insightsFrame(page);
  const charts = ['calendar', 'projects', 'tags', 'agents', 'followUps', 'decisions'];
  await step('run "Session: Show Insights": every chart is drawn', async () => {
    await runCommand(page, 'Session: Show Insights');
    for (const id of charts) await frame.locator(`figure#${id} svg`).first().waitFor({ state: 'visible', timeout: WAIT_MS });
    // The page's totals are the core's: the CLI's report of the same days says the same.
    const report = JSON.parse(execFileSync(process.execPath, [CLI, 'report', '--all', '--since', '365d', '--json'], { cwd: demo, encoding: 'utf8' }));
    const expected = `${report.totals.sessions} sessions · ${report.totals.turns} agent turns · ${report.totals.decisions} decisions`;
    const totals = await frame.locator('.totals').textContent();
    if (!(totals ?? '').includes(expected)) throw new Error(`the totals read "${totals}", not "${expected}"`);
    const links = await frame.locator('figure svg a').count();
    if (links < 20) throw new Error(`only ${links} marks are links`);
    const unlabelled = await frame.locator('figure svg a > :not(title):not([aria-label])').count();
    if (unlabelled > 0) throw new Error(`${unlabelled} marks have no text alternative (aria-label)`);
  });
  /** Picks a color theme from the palette; the page draws again in its colors (its body's theme class changes). */
  const colorTheme = async (name, kind) => {
    const themed = () => frame.locator(`body.vscode-${kind}`).count();
    if ((await themed()) > 0) return;
    const before = await frame.locator('figure#calendar svg').innerHTML();
    await runCommand(page, 'Preferences: Color Theme');
    await page.keyboard.type(name, { delay: 5 });
    await until(
      page,
      `${name} in the theme picker`,
      (ui, name) => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')].some((row) => (row.textContent ?? '').includes(name)),
      name,
    );
    await page.keyboard.press('Enter');
    await eventually(`the page in the ${kind} theme`, async () => (await themed()) > 0);
    await eventually('the calendar drawn again in its colors', async () => (await frame.locator('figure#calendar svg').innerHTML()) !== before);
    await page.mouse.move(5, 5);
  };
  await step('the dark theme: screenshot', async () => {
    await colorTheme('Dark Modern', 'dark');
    await shot('insights-dark.png');
  });
  await step('the light theme: the charts are drawn again in its colors; screenshot', async () => {
    await colorTheme('Light Modern', 'light');
    await shot('insights-light.png');
  });
  await step('a decision mark, focused from the keyboard, opens the session behind it on Enter', async () => {
    const mark = frame.locator('figure#decisions svg a').first();
    const label = await mark.locator('[aria-label]').first().getAttribute('aria-label');
    await mark.focus();
    await page.keyboard.press('Enter');
    const decision = /: (.*)$/.exec(label ?? '')?.[1] ?? '';
    await page.locator('.editor-group-container .tab.active', { hasText: /sessions\.md|ADR-/ }).waitFor({ timeout: WAIT_MS });
    if (decision && !decision.startsWith('ADR-')) {
      await page
        .locator('.editor-instance .view-lines', { hasText: decision.slice(0, 20) })
        .first()
        .waitFor({ timeout: WAIT_MS });
    }
  });
}

async function run(options) {
  verbose = options.verbose;
  for (const file of [CLI, AGENT_CORE, NODE_DEPS]) {
    if (!fs.existsSync(file)) throw new HarnessError(`${path.relative(ROOT, file)} is missing: build first (npm run build)`);
  }
  // The knowledge base is the workspace's own: nothing from this environment may point elsewhere.
  delete process.env.MEMEX_KB_ROOT;
  delete process.env.VL_KB_CONTEXT;

  const shots = options.update ? path.join(ROOT, 'media', 'screenshots') : path.join(paths.cache, 'screenshots');
  fs.mkdirSync(shots, { recursive: true });
  const started = Date.now();
  // Named as the project it holds: the name shows in the window's title and the Explorer.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'sessionlog-ui-'));
  const workspace = path.join(temp, 'demo');
  /** @type {string[]} */
  const consoleLines = [];
  let workbench;
  let passed = false;
  try {
    await step('populate the knowledge base (CLI, agent session)', () => populate(workspace));

    workbench = await step('start the workbench', () =>
      startWorkbench({
        workspace,
        withExtensions: [TEST_LM],
        onLog: (line, { level, fromExtensionHost }) => {
          consoleLines.push(`[${fromExtensionHost ? 'extension host' : `workbench ${level}`}] ${line}`);
          if (consoleLines.length > 400) consoleLines.shift();
          if (verbose) console.log(consoleLines[consoleLines.length - 1]);
        },
      }),
    );
    const shot = async (name, clip) => {
      await workbench.page.screenshot({ path: path.join(shots, name), ...(clip ? { clip } : {}) });
      log(`screenshot ${path.relative(process.cwd(), path.join(shots, name))}`);
    };
    const { page } = workbench;

    await step('wait for Session Log to load', async () => {
      await page.locator('.activitybar a[aria-label="Session Log"]').waitFor({ state: 'visible', timeout: WAIT_MS });
      // The chat view opens on the right by default; it comes back for the chat part.
      if (await page.locator('.part.auxiliarybar').isVisible()) {
        await runCommand(page, 'View: Hide Secondary Side Bar');
        await page.locator('.part.auxiliarybar').waitFor({ state: 'hidden', timeout: WAIT_MS });
      }
    });

    // The Log Session form, answered with the keyboard.
    await step('run "Session: Log" from the command palette', async () => {
      await runCommand(page, 'Session: Log');
      await formStep(page, 1);
    });
    await step('form step 1: the message', async () => {
      await typeAndWait(page, FORM.message);
      await shot('log-form.png', await quickInputClip(page));
      await page.keyboard.press('Enter');
    });
    await step('form step 2: tags (the default checked, a new one typed)', async () => {
      const state = await formStep(page, 2, `#${DEFAULT_TAG}`);
      if (!state.rows.some((row) => row.label.includes(`#${DEFAULT_TAG}`) && row.checked)) {
        throw new Error(`#${DEFAULT_TAG} is not pre-selected: ${JSON.stringify(state.rows)}`);
      }
      await shot('log-form-tags.png', await quickInputClip(page));
      await page.keyboard.type(FORM.newTag, { delay: 5 });
      await until(
        page,
        `the new tag #${FORM.newTag} to be offered`,
        (ui, tag) => ui.quickInput()?.rows.some((row) => row.label.includes(`#${tag}`)),
        FORM.newTag,
      );
      await page.keyboard.press('Enter');
    });
    await step('form step 3: links (none)', async () => {
      await formStep(page, 3);
      await page.keyboard.press('Enter');
    });
    await step('form step 4: files modified (as offered)', async () => {
      await formStep(page, 4);
      await page.keyboard.press('Enter');
    });
    await step('form step 5: a decision', async () => {
      await formStep(page, 5);
      await typeAndWait(page, FORM.decision);
      await page.keyboard.press('Enter');
      await formStep(page, 5, `Added: ${FORM.decision.split(' :: ')[0]}`);
      await page.keyboard.press('Enter');
    });
    await step('form step 6: a follow-up', async () => {
      await formStep(page, 6);
      await typeAndWait(page, FORM.followUp);
      await page.keyboard.press('Enter');
      await formStep(page, 6, `Added: ${FORM.followUp}`);
      await page.keyboard.press('Enter');
    });
    await step('form step 7: context for the next session, Enter writes', async () => {
      await formStep(page, 7);
      await typeAndWait(page, FORM.next);
      await page.keyboard.press('Enter');
      await quickInputHidden(page, 'the form to close');
    });
    await step("the form's session is in the entry file", () =>
      eventually(`"${FORM.message}" in ${ENTRY}`, () => {
        const section = newestSession(workspace);
        if (!section.includes(FORM.message)) return false;
        const [decision, rationale] = FORM.decision.split(' :: ');
        const expected = [
          `#${DEFAULT_TAG}`,
          `#${FORM.newTag}`,
          `- ${decision}`,
          `Rationale: ${rationale}`,
          `- [ ] ${FORM.followUp}`,
          '### Next session',
          FORM.next,
        ];
        const missing = expected.filter((part) => !section.includes(part));
        if (missing.length > 0) throw new Error(`the newest session lacks ${missing.map((part) => JSON.stringify(part)).join(', ')}\n${section}`);
        return true;
      }),
    );

    // The Sessions view.
    await step('open the Session Log view container (activity bar)', () => showSessionLog(page));
    await step("the form's session is a row of the Sessions view", () => sessionRow(page, `a row "${FORM.message}"`, FORM.message));
    await step('expand the agent session (its turns)', async () => {
      await sessionRow(page, 'the agent session row', 'Add refresh token rotation');
      const row = rowLocator(page, 'Add refresh token rotation');
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
      await sessionRow(page, 'the completed turn', '1. Rotate refresh tokens on use');
      await sessionRow(page, 'the turn in progress', '2. Detect refresh token reuse');
    });
    await step('screenshot the Sessions view beside the entry', async () => {
      // A wider side bar, so that the rows' dates and tags show.
      const sash = page.locator('.monaco-sash.vertical.primary-sidebar-sash');
      const box = await sash.boundingBox().catch(() => null);
      if (box) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + 260, box.y + box.height / 2, { steps: 5 });
        await page.mouse.up();
      }
      // The entry itself: a click on the new session's row opens it at that session.
      await rowLocator(page, FORM.message).click();
      await page.locator('.editor-group-container .tab.active', { hasText: 'sessions.md' }).waitFor({ timeout: WAIT_MS });
      await page
        .locator('.editor-instance .view-lines', { hasText: FORM.message.slice(0, 30) })
        .first()
        .waitFor({ timeout: WAIT_MS });
      await settled(page);
      await page.mouse.move(700, 880);
      await shot('sessions-view.png');
    });

    // Chat: @sessionlog /log, answered through the test language model.
    // Agent mode lists only tool-calling models: the test model answers in Ask mode.
    await step('open the chat in Ask mode', async () => {
      await runCommand(page, 'Chat: Open Chat (Ask)');
      await page.locator('.interactive-input-part').first().waitFor({ state: 'visible', timeout: WAIT_MS });
    });
    await step('make the test language model known (Chat: Manage Language Models)', async () => {
      // Without Copilot nothing asks the providers for their models until this editor (or an extension) does.
      await runCommand(page, 'Chat: Manage Language Models');
      await page.getByText('Session Log Test Model').first().waitFor({ state: 'visible', timeout: WAIT_MS });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Install Model Providers' }).waitFor({ state: 'hidden', timeout: WAIT_MS });
      // With the model known, the chat's model picker takes it (the only one there is).
      await page.locator('.interactive-input-part').getByText('Session Log Test Model').first().waitFor({ state: 'visible', timeout: WAIT_MS });
    });
    await step('send "@sessionlog /log …" from the chat input', async () => {
      const input = page.locator('.interactive-input-part .monaco-editor').first();
      await input.click();
      await page.keyboard.type(CHAT.prompt, { delay: 10 });
      const typed = () =>
        input
          .locator('.view-lines')
          .textContent()
          .then((text) => text.replace(/\s+/g, ' ').trim());
      await eventually('the prompt in the chat input', async () => (await typed()) === CHAT.prompt);
      // "#" offers completions (tools, files): Enter must send the message, not take one. The list comes a moment
      // after the typing, if at all; Escape closes it.
      const suggestions = page.locator('.suggest-widget.visible');
      if (
        await suggestions.waitFor({ state: 'visible', timeout: 3_000 }).then(
          () => true,
          () => false,
        )
      ) {
        await page.keyboard.press('Escape');
        await suggestions.waitFor({ state: 'hidden', timeout: WAIT_MS });
      }
      const before = await typed();
      if (before !== CHAT.prompt) throw new Error(`the chat input holds "${before}", not "${CHAT.prompt}"`);
      await page.keyboard.press('Enter');
      const request = page.locator('.interactive-request').filter({ hasText: CHAT.message }).first();
      await request.waitFor({ state: 'visible', timeout: WAIT_MS });
      const sent = ((await request.textContent()) ?? '').replace(/\s+/g, ' ');
      if (!sent.includes(`#${CHAT.tag}`)) throw new Error(`the request sent was "${sent.trim()}"`);
      await page.locator('.interactive-response').filter({ hasText: 'Session logged to' }).first().waitFor({ state: 'visible', timeout: WAIT_MS });
    });
    await step("the chat's session is in the entry file", () =>
      eventually(`"${CHAT.message}" in ${ENTRY}`, () => {
        const section = newestSession(workspace);
        if (!section.includes(CHAT.message)) return false;
        if (!section.includes(`#${CHAT.tag}`)) throw new Error(`the newest session lacks #${CHAT.tag}\n${section}`);
        return true;
      }),
    );
    await step("the chat's session is a row of the Sessions view", () => sessionRow(page, `a row "${CHAT.message}"`, CHAT.message));
    await step('screenshot the chat', async () => {
      // VS Code's own notice about utility models (there is no Copilot here) says nothing about Session Log.
      const dismiss = page.locator('.chat-input-notification-widget a[aria-label="Dismiss notification"]');
      if (await dismiss.isVisible()) {
        await dismiss.click();
        await dismiss.waitFor({ state: 'hidden', timeout: WAIT_MS });
      }
      await settled(page);
      await page.mouse.move(700, 880);
      await shot('chat-log.png');
    });

    await workbench.stop({ keep: false });
    workbench = undefined;
    await insights(temp, shot, (started) => {
      workbench = started;
    });

    passed = true;
  } catch (error) {
    if (workbench) {
      const file = path.join(workbench.sessionDir, 'failure.png');
      await workbench.page.screenshot({ path: file }).catch(() => {});
    }
    throw error;
  } finally {
    await workbench?.stop({ keep: !passed });
    if (passed) {
      fs.rmSync(temp, { recursive: true, force: true });
    } else {
      const tail = consoleLines.filter((line) => /error|warn|fail/i.test(line)).slice(-15);
      if (tail.length > 0) console.error(`[ui] the last warnings and errors of the workbench:\n${tail.join('\n')}`);
      console.error(`[ui] workspace kept in ${workspace}`);
      if (workbench) console.error(`[ui] session kept in ${workbench.sessionDir} (logs in user-data/logs, failure.png)`);
    }
  }
  log(`passed in ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(process.cwd(), shots) || '.'}`);
  return 0;
}

if (require.main === module) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
    if (options.help) {
      const lines = fs.readFileSync(__filename, 'utf8').split('\n').slice(1);
      const header = lines.slice(
        0,
        lines.findIndex((line) => !line.startsWith('//')),
      );
      console.log(header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    }
  } catch (error) {
    console.error(`[ui] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  run(options).then(
    (code) => process.exit(code),
    (error) => {
      if (error instanceof StepError && error.details) console.error(error.details);
      const known = error instanceof StepError || error instanceof HarnessError;
      console.error(`[ui] FAILED: ${known ? error.message : `step "${currentStep}" failed: ${error.stack}`}`);
      process.exit(1);
    },
  );
}

module.exports = { run };
