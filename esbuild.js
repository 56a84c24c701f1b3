// Bundles the extension and the CLI into dist/, with what only some CLI commands need (the MCP
// protocol stack, git) in bundles of their own.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * gray-matter requires js-yaml at load time even when it is given another engine.
 * We always hand it the `yaml` engine, so js-yaml is replaced by a shim that
 * delegates to `yaml`: the bundle carries a single YAML parser.
 */
const singleYamlParser = {
  name: 'single-yaml-parser',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: path.join(__dirname, 'src/node/jsYamlShim.js') }));
  },
};

/**
 * The extension's entry (dist/extension.js) only wires; everything behind the commands and views
 * is a second bundle (dist/services.js) that it requires on first use, so VS Code loads a few
 * kilobytes while it starts instead of the core, its parsers and git.
 */
const lazyServices = {
  name: 'lazy-services',
  setup(build) {
    build.onResolve({ filter: /^\.\/services$/ }, (args) =>
      (args.importer.endsWith(path.join('src', 'extension', 'extension.ts')) ? { path: './services.js', external: true } : undefined));
  },
};

/** simple-git likewise: dist/git.js, required by the CLI only when a command runs git. */
const gitApart = {
  name: 'git-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/simpleGit$/ }, (args) =>
      (path.dirname(args.importer).endsWith(path.join('src', 'node')) ? { path: './git.js', external: true } : undefined));
  },
};

/**
 * The YAML libraries (yaml, gray-matter) likewise: dist/yaml.js, required on first use by
 * src/core/format/yaml.ts. Most YAML is read by the fast path, so most processes never load it.
 */
const yamlApart = {
  name: 'yaml-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/yamlLibrary$/ }, (args) =>
      (args.importer.endsWith(path.join('src', 'core', 'format', 'yaml.ts')) ? { path: './yaml.js', external: true } : undefined));
  },
};

/**
 * jsonc-parser's main file is a UMD build whose requires esbuild cannot follow; its ES module
 * build bundles as any other.
 */
const jsoncParserEsm = {
  name: 'jsonc-parser-esm',
  setup(build) {
    build.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: require.resolve('jsonc-parser/lib/esm/main.js') }));
  },
};

/**
 * The search libraries (MiniSearch, the stemmer) likewise: dist/search.js, required on the first
 * search by src/core/search/engine.ts, so `sessionlog log` and the editor's start never load them.
 */
const searchApart = {
  name: 'search-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/library$/ }, (args) =>
      (args.importer.endsWith(path.join('src', 'core', 'search', 'engine.ts')) ? { path: './search.js', external: true } : undefined));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [singleYamlParser, yamlApart, jsoncParserEsm, searchApart],
  metafile: true,
  define: { __VERSION__: JSON.stringify(require('./package.json').version) },
};

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [...common.plugins, lazyServices] },
  { ...common, entryPoints: ['src/extension/services.ts'], outfile: 'dist/services.js', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, gitApart] },
  { ...common, entryPoints: ['src/node/simpleGit.ts'], outfile: 'dist/git.js' },
  { ...common, entryPoints: ['src/core/format/yamlLibrary.ts'], outfile: 'dist/yaml.js' },
  // The Insights page: a browser script (Observable Plot bundled in, nothing fetched) and its stylesheet.
  { ...common, entryPoints: ['src/webview/insights.ts'], outfile: 'dist/insights.js', platform: 'browser', format: 'iife', target: 'chrome120', plugins: [], define: {} },
  { ...common, entryPoints: ['src/webview/insights.css'], outfile: 'dist/insights.css', platform: 'browser', plugins: [], define: {} },
  { ...common, entryPoints: ['src/core/search/library.ts'], outfile: 'dist/search.js' },
];

/**
 * Node reads the nearest package.json to know whether a .js file is CommonJS: dist/ gets a
 * one-line one, so starting the CLI does not read and parse the extension's whole manifest.
 */
function writeModuleType() {
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync(path.join('dist', 'package.json'), '{ "type": "commonjs" }\n');
}

async function main() {
  writeModuleType();
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  for (const result of results) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(output.bytes / 1024).toFixed(0)} KiB`);
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
