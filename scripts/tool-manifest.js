#!/usr/bin/env node
// @ts-check
// Writes package.json's `contributes.languageModelTools` from the tool catalog and the core's
// operation table (src/extension/tools/catalog.ts, compiled to out/ by `tsc`): run by `npm run build`
// after tsc. The file is checked in; the manifest unit test fails when it is stale.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const manifestPath = path.join(root, 'package.json');
const { toolManifest } = require(path.join(root, 'out', 'src', 'extension', 'tools', 'catalog.js'));

const text = fs.readFileSync(manifestPath, 'utf8');
const manifest = JSON.parse(text);
manifest.contributes.languageModelTools = toolManifest();
const next = `${JSON.stringify(manifest, null, 2)}\n`;
if (next !== text) {
  fs.writeFileSync(manifestPath, next);
  console.log('package.json: languageModelTools regenerated from the tool catalog');
}
