// The demo workspace and knowledge base, made fresh: a copy of demo/ whose every time is moved so that its
// newest moment is now (the agent's turn in progress was last touched minutes ago, not days), then a saved
// report of last week. Used by `npm start` and by the UI test.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'demo');

const ISO = /\b(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z\b/g;
const HEADING = /^## (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC$/gm;
const COMPACT = /\b(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\b/g;
const DAY = /(date: '|\*\*Date:\*\* )(\d{4}-\d{2}-\d{2})/g;
// Frontmatter times as memex writes them (`created: '2026-11-07T10:00:00'`): naive UTC.
const NAIVE = /^((?:created|updated): ')(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})'$/gm;

function files(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

/** The newest time written anywhere in the demo: the moment that becomes now. */
function newest(texts) {
  let max = 0;
  for (const text of texts) {
    for (const match of [...text.matchAll(ISO), ...text.matchAll(NAIVE)]) max = Math.max(max, Date.parse(`${match.at(-2)}T${match.at(-1)}Z`));
  }
  return max;
}

/** Every time in `text` moved by `delta` ms; each form keeps its length, so agent sessions' padded heads stay valid. */
function shift(text, delta) {
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return text
    .replace(ISO, (_, date, time) => iso(Date.parse(`${date}T${time}Z`) + delta))
    .replace(NAIVE, (_, prefix, date, time) => `${prefix}${iso(Date.parse(`${date}T${time}Z`) + delta).slice(0, -1)}'`)
    .replace(
      HEADING,
      (_, date, time) =>
        `## ${iso(Date.parse(`${date}T${time}:00Z`) + delta)
          .slice(0, 16)
          .replace('T', ' ')} UTC`,
    )
    .replace(COMPACT, (_, y, mo, d, h, mi, s) => iso(Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`) + delta).replace(/[-:]/g, ''))
    .replace(DAY, (_, prefix, date) => `${prefix}${iso(Date.parse(`${date}T12:00:00Z`) + delta).slice(0, 10)}`);
}

/** Writes a fresh demo into `target` (which must not exist yet), as of `now`. */
function makeDemo(target, now = Date.now()) {
  const sources = files(SOURCE);
  const delta = Math.floor((now - newest(sources.map((file) => fs.readFileSync(file, 'utf8')))) / 60_000) * 60_000;
  for (const file of sources) {
    const relative = shift(path.relative(SOURCE, file), delta);
    fs.mkdirSync(path.dirname(path.join(target, relative)), { recursive: true });
    fs.writeFileSync(path.join(target, relative), shift(fs.readFileSync(file, 'utf8'), delta));
  }
  // A report of the last whole week, saved as the knowledge base keeps reports.
  execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'report', '--all', '--week', 'last', '--save'], {
    cwd: target,
    stdio: 'pipe',
    env: { ...process.env, MEMEX_KB_ROOT: '', VL_KB_CONTEXT: '' },
  });
  return target;
}

module.exports = { makeDemo, shift };
