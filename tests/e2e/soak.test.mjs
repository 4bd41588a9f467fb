// 200 runs in a row in one Web Shell of the Node extension host (code-server, as desktop
// VS Code): every run ends, and the extension host keeps no worker threads and no memory
// from them. Prints what it measured.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { host } from './lib/hosts.mjs';
import { openWebShell } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const RUNS = 200;
const node = host('node');

/** The extension host process of the code-server whose user data is in `dataDir`. */
function extensionHostPid(dataDir) {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (/extensionHost/.test(cmdline + environ) && environ.includes(dataDir)) return Number(pid);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

/** Threads and resident memory (MB) of a process. */
function usage(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
  return { threads: field('Threads'), rssMb: Math.round(field('VmRSS') / 1024) };
}

describe(`${RUNS} runs in one Web Shell (node extension host)`, { skip: node.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is not built; run scripts/build.sh`);
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-soak-'));
    await fs.copyFile(path.join(REPO, 'tests/fixtures/wasm/hello.wasm'), path.join(workspace, 'hello.wasm'));
    vscode = await node.start({ workspace, extension: VSIX });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('no workers left behind, memory flat', async () => {
    const pid = extensionHostPid(vscode.dataDir);
    assert.ok(pid, `no extension host process found for ${vscode.dataDir}`);
    // Warm up (loads the core and the Core's worker code), then measure from there.
    for (let i = 0; i < 10; i++) assert.equal(await shell.run(`rw hello.wasm ${i}`), `hello from rw\nargs: ${i}`);
    const start = usage(pid);
    const samples = [];
    for (let i = 0; i < RUNS; i++) {
      assert.equal(await shell.run(`rw hello.wasm run${i}`), `hello from rw\nargs: run${i}`);
      assert.equal(shell.exitCode(), 0);
      if (i % 50 === 49) samples.push(usage(pid));
    }
    const end = usage(pid);
    console.log(`# soak: ${RUNS} runs; extension host threads ${start.threads} -> ${end.threads}, ` +
      `RSS ${start.rssMb} MB -> ${samples.map((s) => s.rssMb).join(' -> ')} MB`);
    assert.ok(end.threads <= start.threads + 2, `threads grew: ${start.threads} -> ${end.threads}`);
    assert.ok(end.rssMb <= start.rssMb + 50, `memory grew: ${start.rssMb} -> ${end.rssMb} MB`);
  });
});
