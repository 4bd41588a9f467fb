// Starts code-server (npm `code-server` 4.100.3 = VS Code 1.100.3, installed by
// ../install-code-server.sh into ../code-server/) and drives its workbench with Debian chromium.
// Extensions run in code-server's Node extension host, the one desktop VS Code uses, unlike
// startVSCodeWeb() (browser web worker host). Same result shape as startVSCodeWeb().
// One call = one code-server (own HOME, user data and extensions dirs in a temp dir) + one browser.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, DEFAULT_SETTINGS, HOST, chromiumPath, freePort, upstreamExtensions } from './vscodeWeb.mjs';

const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const INSTALL = path.join(E2E, 'code-server/node_modules/code-server');
const START_TIMEOUT = 60_000;
const INSTALL_TIMEOUT = 120_000;

// Settings on top of the web harness's: nothing that opens editors, views or notifications at
// startup or on extension install, or reaches for the network.
const NODE_SETTINGS = {
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * The code-server to run: env RW_E2E_CODE_SERVER (its package folder), else the one
 * install-code-server.sh puts in tests/e2e/code-server/.
 * @returns {{entry: string} | {skip: string}} its CLI entry point, or why the tests must be skipped
 */
export function codeServerInstall() {
  const dir = process.env.RW_E2E_CODE_SERVER || INSTALL;
  const entry = path.join(dir, 'out/node/entry.js');
  const rg = path.join(dir, 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  if (!existsSync(entry) || !existsSync(rg)) {
    return { skip: `code-server is not installed in ${dir}: run tests/e2e/install-code-server.sh` };
  }
  return { entry };
}

/**
 * The upstream extensions as VSIX files (code-server installs VSIXs, not folders): the
 * `wasm-wasi-core-*.vsix` and `webshell-*.vsix` in upstreamExtensions().dir.
 * @returns {{paths: string[]} | {skip: string}} wasm-wasi-core first (webshell depends on it)
 */
export function upstreamVsixes() {
  const upstream = upstreamExtensions();
  if (upstream.skip) return upstream;
  const files = readdirSync(upstream.dir);
  const paths = [];
  for (const name of ['wasm-wasi-core', 'webshell']) {
    const vsix = files.filter((f) => f.startsWith(`${name}-`) && f.endsWith('.vsix')).sort().at(-1);
    if (!vsix) return { skip: `needs ${name}-<version>.vsix, not found in ${upstream.dir} (set RW_E2E_EXTENSIONS)` };
    paths.push(path.join(upstream.dir, vsix));
  }
  return { paths };
}

/** Environment for code-server: ours, minus what would make it talk to another VS Code or server. */
function serverEnv(home) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    // VSCODE_IPC_HOOK_CLI & co (set inside a VS Code terminal) turn code-server into a client of
    // that VS Code; PASSWORD, PORT, ... are code-server's own config variables.
    if (/^(VSCODE_|CODE_SERVER_|ELECTRON_)/.test(k) || ['PASSWORD', 'HASHED_PASSWORD', 'PORT', 'GITHUB_TOKEN'].includes(k)) delete env[k];
  }
  return {
    ...env,
    // No extension gallery (default open-vsx.org, unreachable): VSIX installs do not look up
    // dependencies there, and the workbench queries no marketplace.
    EXTENSIONS_GALLERY: '{}',
    HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
  };
}

// Process groups of the code-servers still running: killed if this process exits without close().
const running = new Set();
process.on('exit', () => {
  for (const pid of running) { try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ } }
});

/**
 * Runs code-server's CLI once (not a server: e.g. --install-extension) and returns its output.
 * Throws with the output on a non-zero exit or after `timeout` ms.
 */
function runCli(entry, args, { env, timeout, what }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child.pid);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => {
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      reject(new Error(`code-server: ${what} timed out after ${timeout} ms\n${out}`));
    }, timeout);
    child.on('error', (e) => { clearTimeout(timer); running.delete(child.pid); reject(e); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child.pid);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* no stragglers */ }
      if (code === 0) resolve(out);
      else reject(new Error(`code-server: ${what} failed (${signal ?? `exit code ${code}`})\n${out}`));
    });
  });
}

/** Stops a process group started with detached: SIGTERM, then SIGKILL after `grace` ms. */
async function stopGroup(child, grace = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* children gone too */ }
    running.delete(child.pid);
    return;
  }
  const exited = new Promise((r) => child.once('exit', r));
  try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
  const timer = new Promise((r) => setTimeout(r, grace, 'timeout'));
  const how = await Promise.race([exited, timer]);
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group gone */ }
  if (how === 'timeout') await exited;
  running.delete(child.pid);
}

/**
 * Starts code-server and a browser page showing its workbench on `workspace`, ready for input.
 * @param {object} opts
 * @param {string} opts.workspace folder opened in the workbench (the Web Shell's cwd: /workspace)
 * @param {string[]} [opts.vsixPaths] VSIXs to install first, in order (e.g. upstreamVsixes().paths, rw-x.y.z.vsix)
 * @param {string} [opts.extensionDevelopmentPath] extension folder loaded as under development
 *   (passed to the workbench in its URL payload; the folder must be readable by code-server)
 * @param {object} [opts.settings] extra user settings (User/settings.json)
 * @param {boolean} [opts.headless] default true; env RW_E2E_HEADED=1 shows the browser (needs a display)
 * @param {boolean} [opts.verbose] echo browser console and code-server's log; default env RW_E2E_VERBOSE=1
 * @returns {Promise<{page: import('playwright-core').Page, url: string, close: () => Promise<void>,
 *   dataDir: string, log: () => string}>} log(): code-server's output so far
 */
export async function startCodeServer(opts) {
  opts = { headless: !process.env.RW_E2E_HEADED, verbose: !!process.env.RW_E2E_VERBOSE, vsixPaths: [], ...opts };
  const install = codeServerInstall();
  if (install.skip) throw new Error(install.skip);
  if (!existsSync(chromiumPath())) {
    throw new Error(`no browser at ${chromiumPath()}: install Debian's chromium or set RW_E2E_CHROMIUM`);
  }
  const cleanups = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (e) { console.error('cleanup failed:', e); }
    }
    cleanups.length = 0;
  };
  let log = '';
  try {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-code-server-'));
    cleanups.push(() => fs.rm(tmp, { recursive: true, force: true }));
    const home = path.join(tmp, 'home');
    const dataDir = path.join(tmp, 'data');
    const extensionsDir = path.join(tmp, 'extensions');
    await fs.mkdir(path.join(dataDir, 'User'), { recursive: true });
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'User/settings.json'),
      JSON.stringify({ ...DEFAULT_SETTINGS, ...NODE_SETTINGS, ...opts.settings }, null, 2));
    const env = serverEnv(home);
    const dirs = ['--user-data-dir', dataDir, '--extensions-dir', extensionsDir];

    if (opts.vsixPaths.length) {
      for (const vsix of opts.vsixPaths) if (!existsSync(vsix)) throw new Error(`code-server: no VSIX at ${vsix}`);
      // One CLI run for all: each run starts the server code (~1.5 s). --force: no prompts.
      const out = await runCli(install.entry,
        [...dirs, '--force', ...opts.vsixPaths.flatMap((v) => ['--install-extension', path.resolve(v)])],
        { env, timeout: INSTALL_TIMEOUT, what: `installing ${opts.vsixPaths.map((v) => path.basename(v)).join(', ')}` });
      if (opts.verbose) process.stdout.write(out.replace(/^/gm, '[code-server install] '));
    }

    const port = await freePort();
    const server = spawn(process.execPath, [install.entry, ...dirs,
      '--auth', 'none', '--bind-addr', `${HOST}:${port}`,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
    ], { env, cwd: tmp, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(server.pid);
    cleanups.push(() => stopGroup(server));
    const onData = (d) => {
      log = (log + d).slice(-200_000);
      if (opts.verbose) process.stdout.write(String(d).replace(/^(?=.)/gm, '[code-server] '));
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)));

    const url = `http://${HOST}:${port}/`;
    await waitForServer(url, exited, () => log);

    const browser = await chromium.launch({ executablePath: chromiumPath(), headless: opts.headless, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    if (opts.verbose) page.on('console', (m) => console.log(`[browser] ${m.text()}`));

    const query = new URLSearchParams({ folder: path.resolve(opts.workspace) });
    if (opts.extensionDevelopmentPath) {
      // The web workbench reads extension development options from its URL `payload`; the
      // extension folder is on the remote (code-server's) side.
      const dev = `vscode-remote://${HOST}:${port}${path.resolve(opts.extensionDevelopmentPath)}`;
      query.set('payload', JSON.stringify([['extensionDevelopmentPath', dev]]));
    }
    await page.goto(`${url}?${query}`);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: START_TIMEOUT })
      .catch((e) => { throw new Error(`code-server: the workbench did not show within ${START_TIMEOUT} ms (${e.message})\n${tail(log)}`); });
    return { page, url, close, dataDir, log: () => log };
  } catch (e) {
    await close();
    throw e;
  }
}

async function waitForServer(url, exited, log) {
  const deadline = Date.now() + START_TIMEOUT;
  let gone;
  exited.then((how) => { gone = how; });
  for (;;) {
    if (gone) throw new Error(`code-server exited (${gone}) before serving ${url}\n${tail(log())}`);
    try {
      const res = await fetch(new URL('healthz', url), { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`code-server: no answer on ${url} within ${START_TIMEOUT} ms\n${tail(log())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function tail(text, lines = 40) {
  return `--- code-server log (last ${lines} lines) ---\n${text.split('\n').slice(-lines).join('\n')}`;
}
