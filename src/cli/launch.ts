/**
 * The `sessionlog` command (dist/cli.js). It starts the CLI (dist/main.js) from V8's code cache when
 * one is there, so a run neither parses the bundle nor compiles the functions it runs once more:
 * several milliseconds of every command's start-up, which a hook or a search pays each time. Node 22
 * keeps such a cache itself (`module.enableCompileCache`); on older Node the cache is made here, once
 * per version of the bundle and of Node, in the user's cache folder. A cache that cannot be read or
 * written costs only that time.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

interface Cli {
  run(): void;
}

const MAIN = path.join(__dirname, 'main.js');

/** The platform's place for caches: XDG's on Linux, Library/Caches on macOS, LOCALAPPDATA on Windows. */
function cacheFolder(): string {
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'sessionlog', 'Cache');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'sessionlog');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'sessionlog');
}

/** The bundle as node loads any module: what the cache falls back to. */
function required(): Cli {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(MAIN) as Cli;
}

function load(): Cli {
  const enableCompileCache = (Module as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (enableCompileCache) {
    enableCompileCache(path.join(cacheFolder(), 'compile-cache'));
    return required();
  }
  let script: vm.Script;
  try {
    script = compiled();
  } catch {
    return required();
  }
  const module = { exports: {}, filename: MAIN, id: MAIN, loaded: false };
  (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, Module.createRequire(MAIN), module, MAIN, __dirname);
  module.loaded = true;
  return module.exports as Cli;
}

/** dist/main.js wrapped as node wraps a module, compiled from the code cache if it has one for this bundle. */
function compiled(): vm.Script {
  const { size, mtimeMs } = fs.statSync(MAIN);
  const folder = path.join(cacheFolder(), 'code-cache');
  const cacheFile = path.join(folder, `main-${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}.bin`);
  const cachedData = readIfThere(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(MAIN, 'utf8')), { filename: MAIN, ...(cachedData ? { cachedData } : {}) });
  // Made after the run, so it holds the functions the run compiled too.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCache(folder, cacheFile, script));
  return script;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written under a temporary name and renamed, so a reader never takes half a cache; the caches of other versions go. */
function saveCache(folder: string, cacheFile: string, script: vm.Script): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
    for (const name of fs.readdirSync(folder)) {
      if (name.startsWith('main-') && path.join(folder, name) !== cacheFile && !name.endsWith('.tmp')) fs.rmSync(path.join(folder, name), { force: true });
    }
  } catch {
    // A read-only or full cache folder: the next run compiles again.
  }
}

load().run();
