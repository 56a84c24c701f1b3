// @ts-check
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The layer rules (docs/ARCHITECTURE.md), one fence each: the core depends on nothing outside it;
 * the node adapters, the CLI and the MCP server never see VS Code; the front ends never import
 * each other, except the CLI starting the MCP server (a dynamic import, which these rules allow).
 */
const VSCODE = { name: 'vscode', message: 'vscode is for src/extension only.' };
const fence = (layer, forbidden) => ({
  group: forbidden.flatMap((folder) => [`**/${folder}/**`, `**/${folder}`]),
  message: `${layer} must not import ${forbidden.join(', ')} (the layer rules in docs/ARCHITECTURE.md).`,
});
const NO_FS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  message: 'src/core never touches the file system: use the FileSystem port.',
}));
const NO_PROCESSES = [
  { name: 'child_process', message: 'src/core runs no processes: use the Git port.' },
  { name: 'node:child_process', message: 'src/core runs no processes: use the Git port.' },
  { name: 'simple-git', message: 'src/core runs no git: use the Git port.' },
];

const layer = (files, paths, forbidden = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: forbidden.length ? [fence(files[0].split('/**')[0], forbidden)] : [] }] },
});

/** The extension's layer fence, and no import of a sibling command file (`regex` matches the import path). */
const commandFence = (files, regex) => ({
  files,
  ignores: ['src/extension/commands/index.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          fence('src/extension', ['cli', 'mcp']),
          { regex, message: "A command must not import another command's file: move what they share beside them." },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'src/node/jsYamlShim.js', 'demo/**', 'media/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  layer(['src/core/**/*.ts'], [VSCODE, ...NO_FS, ...NO_PROCESSES], ['node', 'extension', 'cli', 'mcp']),
  layer(['src/node/**/*.ts'], [VSCODE], ['extension', 'cli', 'mcp']),
  layer(['src/cli/**/*.ts'], [VSCODE], ['extension']),
  layer(['src/mcp/**/*.ts'], [VSCODE], ['extension', 'cli']),
  layer(['src/extension/**/*.ts'], [], ['cli', 'mcp']),
  // A command never imports another command's file (docs/ARCHITECTURE.md, "A command"): what two share goes beside them.
  commandFence(['src/extension/commands/*.ts'], '^\\./(?!command$)'),
  commandFence(['src/extension/commands/*/*.ts'], '^\\.(\\.)?/(?!command$|\\.\\./)'),
  // Unit and CLI tests run in plain node: they may test the extension's vscode-free modules, never vscode.
  layer(['test/unit/**/*.ts', 'test/cli/**/*.ts', 'test/support/**/*.ts'], [VSCODE]),
  {
    // The build and test scripts: plain CommonJS for node (type-checked by tsconfig.scripts.json).
    files: ['scripts/**/*.js', 'scripts/test-electron-shim', 'esbuild.js', 'test/fixtures/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    // What the scripts hand to the browser runs there.
    files: ['scripts/test-ui.js', 'scripts/run-vscode-tests.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
