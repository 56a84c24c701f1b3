// @ts-check
// Bundles the extension and the CLI into dist/, with what only some paths need in lazy bundles of
// their own (the table LAZY_BUNDLES).
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
 * The lazy bundles, in one table. Each row takes a module that only some paths need out of the
 * bundles named in `splitFrom`: where `importer` (a file, or every file of a folder ending in `/`)
 * imports `specifier`, the bundle requires dist/<outfile> instead, which is built from `entry` on
 * its own. Start-up time is why: VS Code loads the extension's few kilobytes while it starts, and
 * each CLI command reads and compiles only what it runs (see "Lazy bundles" in docs/ARCHITECTURE.md).
 * @type {{ specifier: string, importer: string, entry: string, outfile: string, splitFrom: string[], external?: string[], why: string }[]}
 */
const LAZY_BUNDLES = [
  {
    specifier: './services',
    importer: 'src/extension/extension.ts',
    entry: 'src/extension/services.ts',
    outfile: 'services.js',
    splitFrom: ['extension.js'],
    external: ['vscode'],
    why: 'everything behind the commands and views (the core, its parsers, git) loads on first use, not while VS Code starts',
  },
  {
    specifier: './simpleGit',
    importer: 'src/node/',
    entry: 'src/node/simpleGit.ts',
    outfile: 'git.js',
    splitFrom: ['main.js'],
    why: 'simple-git is read only by the commands that run git',
  },
  {
    specifier: './library',
    importer: 'src/core/search/analysis.ts',
    entry: 'src/core/search/library.ts',
    outfile: 'search.js',
    splitFrom: ['extension.js', 'services.js', 'main.js', 'git.js', 'yaml.js', 'search.js'],
    why: "the stemmer loads on the first search: `sessionlog log` and the editor's start never read it",
  },
  {
    specifier: './yamlLibrary',
    importer: 'src/core/format/yaml.ts',
    entry: 'src/core/format/yamlLibrary.ts',
    outfile: 'yaml.js',
    splitFrom: ['extension.js', 'services.js', 'main.js', 'git.js', 'yaml.js', 'search.js'],
    why: 'the YAML libraries (yaml, gray-matter): most YAML is read by the fast path, so most processes never load them',
  },
];

/**
 * The esbuild plugin that makes the rows of LAZY_BUNDLES that split from `outfile` external.
 * @param {string} outfile
 * @returns {import('esbuild').Plugin}
 */
function lazyBundles(outfile) {
  const rows = LAZY_BUNDLES.filter((row) => row.splitFrom.includes(outfile));
  return {
    name: 'lazy-bundles',
    setup(build) {
      build.onResolve({ filter: /^\.\// }, (args) => {
        const importer = path.relative(__dirname, args.importer).split(path.sep).join('/');
        const row = rows.find(
          (candidate) =>
            candidate.specifier === args.path &&
            (candidate.importer.endsWith('/') ? `${path.posix.dirname(importer)}/` === candidate.importer : importer === candidate.importer),
        );
        return row ? { path: `./${row.outfile}`, external: true } : undefined;
      });
    },
  };
}

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

/** @type {import('esbuild').BuildOptions & { metafile: true }} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  metafile: true,
  define: { __VERSION__: JSON.stringify(require('./package.json').version) },
};

/** The entry bundles: the extension's and the CLI's (which serves MCP too). */
const ENTRIES = [
  { entry: 'src/extension/extension.ts', outfile: 'extension.js', external: ['vscode'] },
  // The sessionlog command: a launcher that starts the CLI's bundle (main.js) from V8's code cache.
  { entry: 'src/cli/launch.ts', outfile: 'cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entry: 'src/cli/main.ts', outfile: 'main.js' },
];

const builds = [...ENTRIES, ...LAZY_BUNDLES].map(({ entry, outfile, external, ...rest }) => ({
  ...common,
  entryPoints: [entry],
  outfile: `dist/${outfile}`,
  ...(external ? { external } : {}),
  ...('banner' in rest ? { banner: rest.banner } : {}),
  plugins: [singleYamlParser, jsoncParserEsm, lazyBundles(outfile)],
}));

// The Insights page: a browser script (Observable Plot bundled in, nothing fetched) and its stylesheet.
builds.push(
  {
    ...common,
    entryPoints: ['src/webview/insights.ts'],
    outfile: 'dist/insights.js',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    plugins: [],
    define: {},
  },
  { ...common, entryPoints: ['src/webview/insights.css'], outfile: 'dist/insights.css', platform: 'browser', plugins: [], define: {} },
);

/**
 * Node reads the nearest package.json to know whether a .js file is CommonJS: dist/ gets a
 * one-line one, so starting the CLI does not read and parse the extension's whole manifest.
 */
function writeModuleType() {
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync(path.join('dist', 'package.json'), '{ "type": "commonjs" }\n');
}

/**
 * esbuild only ever adds to dist/: a bundle no build writes any more (an old dist/mcp.js, a source
 * map after a production build) would linger, be run by mistake or ship. Everything in `dir` this
 * build did not write goes, but the module-type file.
 * @param {string} dir
 * @param {string[]} written the build's outputs, as esbuild's metafile names them (`dist/cli.js`)
 */
function removeStaleOutputs(dir, written) {
  const kept = new Set(['package.json', ...written.map((file) => path.basename(file))]);
  for (const name of fs.readdirSync(dir)) {
    if (kept.has(name)) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    console.log(`${path.join(dir, name)}  removed (no build writes it)`);
  }
}

async function main() {
  writeModuleType();
  if (watch) {
    for (const options of builds) await (await esbuild.context(options)).watch();
    return;
  }
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  removeStaleOutputs(
    'dist',
    results.flatMap((result) => Object.keys(result.metafile.outputs)),
  );
  for (const result of results) {
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}  ${(output.bytes / 1024).toFixed(0)} KiB`);
    }
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { removeStaleOutputs };
