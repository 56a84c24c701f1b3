#!/usr/bin/env node
// @ts-check
// `npm test` after set-up: runs each stage's npm script in turn (build, lint, unit, CLI, integration, UI, VSIX), stops at
// the first that fails, and ends with one line for the whole run: how many tests passed and failed, per stage.
// Known noise that says nothing about the project (git's note on cloning an empty repository) is left out.
//
//   node scripts/test.js [stage...]     (default: every stage, in order)
'use strict';

const { spawn } = require('node:child_process');

const STAGES = ['build', 'lint', 'test:unit', 'test:cli', 'test:integration', 'test:ui', 'test:vsix'];
const NOISE = [/You appear to have cloned an empty repository/];

/** The tests a stage's output reports, from node:test's TAP summary, mocha's reporter, or the UI test's last line. */
function countTests(output) {
  const count = (pattern) => [...output.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
  const tap = { passed: count(/^# pass (\d+)$/gm), failed: count(/^# fail (\d+)$/gm) };
  const mocha = { passed: count(/^\s*(\d+) passing\b/gm), failed: count(/^\s*(\d+) failing\b/gm) };
  const ui = { passed: /^\[ui\] passed in /m.test(output) ? 1 : 0, failed: /^\[ui\] FAILED/m.test(output) ? 1 : 0 };
  return [tap, mocha, ui].reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed }));
}

/** Runs `npm run <stage>`, passing its output through line by line without the noise; resolves with what it printed. */
function runStage(stage) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', stage], { stdio: ['inherit', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let output = '';
    const forward = (stream, sink) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) emit(line, sink);
      });
      stream.on('end', () => partial && emit(partial, sink));
    };
    const emit = (line, sink) => {
      output += `${line}\n`;
      if (!NOISE.some((pattern) => pattern.test(line))) sink.write(`${line}\n`);
    };
    forward(child.stdout, process.stdout);
    forward(child.stderr, process.stderr);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

function duration(ms) {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
}

async function main() {
  const stages = process.argv.length > 2 ? process.argv.slice(2) : STAGES;
  const started = Date.now();
  const parts = [];
  let total = { passed: 0, failed: 0 };
  let failedStage;
  for (const stage of stages) {
    const { code, output } = await runStage(stage);
    const counts = countTests(output);
    total = { passed: total.passed + counts.passed, failed: total.failed + counts.failed };
    if (counts.passed + counts.failed > 0) parts.push(`${stage.replace(/^test:/, '')} ${counts.passed}/${counts.passed + counts.failed}`);
    if (code !== 0) {
      failedStage = stage;
      break;
    }
  }
  const where = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  const outcome = failedStage ? `; stopped: ${failedStage} failed` : '';
  console.log(`\nnpm test: ${total.passed} passed, ${total.failed} failed${where} in ${duration(Date.now() - started)}${outcome}`);
  process.exit(failedStage ? 1 : 0);
}

main();
