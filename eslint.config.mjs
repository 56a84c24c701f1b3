import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'esbuild.js', 'src/node/jsYamlShim.js'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'multi-line'],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'vscode', message: 'src/core must stay free of vscode: put it in src/extension.' },
          { name: 'fs', message: 'src/core never touches the file system: use the FileSystem port.' },
          { name: 'node:fs', message: 'src/core never touches the file system: use the FileSystem port.' },
          { name: 'fs/promises', message: 'src/core never touches the file system: use the FileSystem port.' },
          { name: 'node:fs/promises', message: 'src/core never touches the file system: use the FileSystem port.' },
          { name: 'child_process', message: 'src/core runs no processes: use the Git port.' },
          { name: 'node:child_process', message: 'src/core runs no processes: use the Git port.' },
          { name: 'simple-git', message: 'src/core runs no git: use the Git port.' },
        ],
        patterns: [{ group: ['**/node/**', '**/extension/**', '**/cli/**', '**/mcp/**'], message: 'src/core depends on nothing outside it.' }],
      }],
    },
  },
);
