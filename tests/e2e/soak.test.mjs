// 200 runs in a row in one Web Shell, in both extension hosts: every run ends, no worker is
// left behind, and the extension host's memory stays flat. Prints what it measured.
//   node (code-server, as desktop VS Code): threads and resident memory of the extension host
//     process, from /proc. The Core runs each program in a worker thread of that process.
//   web (VS Code for the Web): the extension host is a Web Worker of the page, and the Core
//     starts one more worker per program; through the browser's DevTools protocol we count
//     worker targets and read the extension host worker's JS heap after a garbage collection.
import assert from 'node:assert/strict';
import { existsSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hosts } from './lib/hosts.mjs';
import { openWebShell } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const RUNS = 200;
const WARM_UP = 10;

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

/** Node host: threads and resident memory (MB) of the extension host process. */
function nodeProbe(vscode) {
  const pid = extensionHostPid(vscode.dataDir);
  assert.ok(pid, `no extension host process found for ${vscode.dataDir}`);
  return {
    async sample() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
      return { threads: field('Threads'), mb: Math.round(field('VmRSS') / 1024) };
    },
    describe: (start, samples) => `extension host threads ${start.threads} -> ${samples.at(-1).threads}, ` +
      `RSS ${start.mb} MB -> ${samples.map((s) => s.mb).join(' -> ')} MB`,
    check(start, end) {
      assert.ok(end.threads <= start.threads + 2, `threads grew: ${start.threads} -> ${end.threads}`);
      assert.ok(end.mb <= start.mb + 50, `memory grew: ${start.mb} -> ${end.mb} MB`);
    },
    dispose: async () => {},
  };
}

/**
 * Web host: the browser's DevTools session; the extension host is the worker target titled
 * "WorkerExtensionHost", and the Core's program workers are titled "WorkerExtensionHost -> …".
 */
async function webProbe(vscode) {
  const cdp = await vscode.page.context().browser().newBrowserCDPSession();
  const workers = async () => (await cdp.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'worker');
  const host = (await workers()).find((t) => t.title === 'WorkerExtensionHost');
  assert.ok(host, 'no extension host worker among the browser\'s targets');
  // A second client of that worker, spoken to through the browser session.
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: host.targetId, flatten: false });
  let nextId = 0;
  const pending = new Map();
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    if (event.sessionId !== sessionId) return;
    const reply = JSON.parse(event.message);
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const send = (method, params = {}) => new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, (reply) => (reply.error ? reject(new Error(`${method}: ${reply.error.message}`)) : resolve(reply.result)));
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(reject);
  });
  return {
    async sample() {
      // A program's worker is gone a moment after its run ended: wait for that, up to 5 s.
      let count;
      for (let i = 0; i < 50 && (count = (await workers()).length) > 1; i++) await new Promise((r) => setTimeout(r, 100));
      await send('HeapProfiler.collectGarbage');
      const { usedSize } = await send('Runtime.getHeapUsage');
      return { workers: count, mb: Math.round(usedSize / 1e5) / 10 };
    },
    describe: (start, samples) => `workers ${start.workers} -> ${samples.at(-1).workers}, ` +
      `extension host JS heap ${start.mb} MB -> ${samples.map((s) => s.mb).join(' -> ')} MB`,
    check(start, end) {
      assert.equal(end.workers, 1, 'a program\'s worker was left behind (only the extension host\'s should remain)');
      // Measured flat to 0.1 MB (8.6 -> 8.7 MB after a GC): 5 MB is a leak of 25 KB a run.
      assert.ok(end.mb <= start.mb + 5, `memory grew: ${start.mb} -> ${end.mb} MB`);
    },
    dispose: () => cdp.detach(),
  };
}

for (const host of hosts) {
describe(`${RUNS} runs in one Web Shell (${host.name} extension host)`, { skip: host.skip }, () => {
  let workspace, vscode, shell;

  before(async () => {
    if (!existsSync(VSIX)) throw new Error(`${VSIX} is not built; run scripts/build.sh`);
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-soak-'));
    await fs.copyFile(path.join(REPO, 'tests/fixtures/wasm/hello.wasm'), path.join(workspace, 'hello.wasm'));
    vscode = await host.start({ workspace, extension: VSIX });
    shell = await openWebShell(vscode.page);
  });

  after(async () => {
    await vscode?.close();
    if (workspace) await fs.rm(workspace, { recursive: true, force: true });
  });

  test('no workers left behind, memory flat', async () => {
    const probe = host.name === 'web' ? await webProbe(vscode) : nodeProbe(vscode);
    try {
      // Warm up (loads the core and the Core's worker code), then measure from there.
      for (let i = 0; i < WARM_UP; i++) assert.equal(await shell.run(`rw hello.wasm ${i}`), `hello from rw\nargs: ${i}`);
      const start = await probe.sample();
      const samples = [];
      const started = Date.now();
      for (let i = 0; i < RUNS; i++) {
        assert.equal(await shell.run(`rw hello.wasm run${i}`), `hello from rw\nargs: run${i}`);
        assert.equal(shell.exitCode(), 0);
        if (i % 50 === 49) samples.push(await probe.sample());
      }
      console.log(`# soak (${host.name}): ${RUNS} runs in ${Math.round((Date.now() - started) / 1000)} s; ` +
        probe.describe(start, samples));
      probe.check(start, samples.at(-1));
    } finally {
      await probe.dispose();
    }
  });
});
}
