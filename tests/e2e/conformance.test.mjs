// Issue "Conformance in CI": the 72 official wasi-testsuite preview1 tests
// (../shared/wasi-testsuite/preview1.tar.xz, lib/wasiTestsuite.mjs), run as the testsuite's
// wasmtime adapter runs them: `rw [--env K=V]... [--dir ROOT::/] NAME.wasm ARGS...` with the
// test's folder as cwd and an empty stdin,
//   rw:  in the Web Shell of VS Code for the Web (web extension host);
//   crw: in a bash integrated terminal of code-server (Node extension host), `< /dev/null`;
// and judged as its runner judges: exit code, then the stdout/stderr prefix a spec names.
// One window and one terminal per host; every test gets TIME_LIMIT, then Ctrl-C and "hang".
// Prints a table (test, rw, crw, the cause of each failure) and `rw N/72, crw M/72`, and
// writes it to $RW_E2E_OUTPUT (default <repo>/.e2e)/conformance.txt (+ .json).
import assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { host } from './lib/hosts.mjs';
import { openTerminal, openWebShell } from './lib/webShell.mjs';
import {
  commandWords, formatTable, judge, quoteForBash, quoteForRw, removeCleanupEntries, testsuiteArchive, totals,
  unpackTestsuite,
} from './lib/wasiTestsuite.mjs';

// The testsuite's preview1 tests: all must have a result.
const COUNT = 72;
// Passes each host must reach: what passed when last measured (2026-12-02: rw 56/72 in the
// web host, crw 56/72; README "Conformance" names the cause of each failure). Raise them as
// rw does better; a drop fails the suite.
const MIN_PASS = { rw: 56, crw: 56 };
// One test's time limit: then Ctrl-C, and it counts as a hang.
const TIME_LIMIT = 20_000;
// All 72 of one host: past this, the rest are not run (and the no-hang check fails).
const HOST_BUDGET = 240_000;

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const CRW = path.join(REPO, 'target/debug/crw');
const OUTPUT = process.env.RW_E2E_OUTPUT || path.join(REPO, '.e2e');
const SETTINGS = { 'terminal.integrated.scrollback': 10_000 };
const testsuite = testsuiteArchive();
// A table left by an earlier run must not pass for this one's (if this one is skipped, or stops).
for (const file of ['conformance.txt', 'conformance.json']) await fs.rm(path.join(OUTPUT, file), { force: true });
const web = host('web');
const node = host('node');

/** Per runner ('rw', 'crw'): test id -> { cause?: string, hang?: boolean, ms: number }. */
const results = { rw: new Map(), crw: new Map() };
const seconds = {};
let ids = [];

/**
 * Runs every test through `runOne(test) -> {exitCode, stdout, stderr}`; a run over TIME_LIMIT
 * is a hang: `recover(test)` must give the prompt back (Ctrl-C) before the next one. Every
 * `*.cleanup` entry under `rootOf(test)` (a path on disk, if the test has a root) is deleted
 * before and after each test, as the runner does.
 */
async function runAll(runner, tests, { rootOf, runOne, recover }) {
  const start = Date.now();
  for (const t of tests) {
    if (Date.now() - start > HOST_BUDGET) {
      results[runner].set(t.id, { hang: true, cause: `not run: the ${HOST_BUDGET / 1000} s for all was over` });
      continue;
    }
    const began = Date.now();
    const root = rootOf(t);
    if (root) await removeCleanupEntries(root);
    let result;
    try {
      result = { cause: judge(t, await runOne(t)) };
    } catch (e) {
      if (e.hang) {
        result = { hang: true, cause: `no end within ${TIME_LIMIT / 1000} s` };
        await recover(t);
      } else if (e.untypeable) {
        result = { cause: `not run: ${e.message}` };
      } else {
        result = { cause: `harness: ${e.message.split('\n')[0]}` };
      }
    }
    if (root) await removeCleanupEntries(root);
    results[runner].set(t.id, { ...result, ms: Date.now() - began });
  }
  seconds[runner] = (Date.now() - start) / 1000;
}

/** shell.run(), with a timeout thrown as { hang: true }. */
async function runLimited(shell, line) {
  try {
    return await shell.run(line, { timeout: TIME_LIMIT });
  } catch (e) {
    if (/timed out after/.test(e.message)) e.hang = true;
    throw e;
  }
}

function checks(runner) {
  test(`${runner}: no test hangs`, () => {
    const hung = [...results[runner]].filter(([, r]) => r.hang).map(([id, r]) => `${id} (${r.cause})`);
    assert.deepEqual(hung, [], `${runner}: ${hung.length} hung`);
    assert.equal(results[runner].size, COUNT, 'every test has a result');
  });
  test(`${runner}: at least ${MIN_PASS[runner]} of ${COUNT} pass`, () => {
    const passed = [...results[runner].values()].filter((r) => !r.hang && r.cause === undefined).length;
    assert.ok(passed >= MIN_PASS[runner], `${runner} passed ${passed}, fewer than ${MIN_PASS[runner]}`);
  });
}

async function report() {
  if (ids.length === 0) return;
  const table = formatTable(ids, ['rw', 'crw'], results);
  const took = Object.entries(seconds).map(([r, s]) => `${r} ${s.toFixed(0)} s`).join(', ');
  console.log(`\nwasi-testsuite preview1 (${ids.length} tests)${took ? `; the runs took ${took}` : ''}\n\n${table}`);
  await fs.mkdir(OUTPUT, { recursive: true });
  await fs.writeFile(path.join(OUTPUT, 'conformance.txt'), table);
  const json = Object.fromEntries(Object.entries(results).map(([r, m]) => [r, Object.fromEntries(m)]));
  await fs.writeFile(path.join(OUTPUT, 'conformance.json'),
    `${JSON.stringify({ totals: totals(ids, ['rw', 'crw'], results), seconds, results: json }, null, 1)}\n`);
}

describe('wasi-testsuite preview1 conformance', { skip: testsuite.skip }, () => {
  after(report);

  describe('rw in the Web Shell (web extension host)', { skip: web.skip }, () => {
    let scratch, vscode, shell, tests;

    before(async () => {
      if (!existsSync(VSIX)) throw new Error(`${VSIX} is not built; run scripts/build.sh`);
      scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-wasi-web-'));
      const workspace = path.join(scratch, 'workspace');
      await fs.mkdir(workspace);
      tests = await unpackTestsuite(testsuite.archive, workspace);
      assert.equal(tests.length, COUNT, 'tests in the archive');
      ids = tests.map((t) => t.id);
      // What a program writes here stays in the page (test-web keeps the workspace's changes in
      // memory), out of reach of a cleanup on disk: each test gets its own copy of its root,
      // made before VS Code starts, which is what the runner's cleanup gives it.
      for (const t of tests.filter((x) => x.spec.root)) {
        await fs.cp(path.join(t.dir, t.spec.root), path.join(t.dir, `${t.name}.root`), { recursive: true, verbatimSymlinks: true });
      }
      vscode = await web.start({ workspace, extension: VSIX, settings: SETTINGS });
      shell = await openWebShell(vscode.page);
    });

    after(async () => {
      await vscode?.close();
      if (scratch) await fs.rm(scratch, { recursive: true, force: true });
    });

    test(`the ${COUNT} tests, each as the testsuite's runner runs it`, async () => {
      let cwd;
      const cd = async (suite) => {
        await shell.run(`cd /workspace/${suite}`);
        assert.equal(shell.exitCode(), 0, `cd /workspace/${suite}`);
        cwd = suite;
      };
      const runOne = async (t) => {
        if (cwd !== t.suite) await cd(t.suite);
        const root = t.spec.root && `${t.name}.root`;
        // The Web Shell gives a program the terminal as stdin, with no end of file: none of the
        // 72 reads it (each ends under node:wasi on a pipe left open); one that did would hang
        // into TIME_LIMIT and its Ctrl-C.
        const output = await runLimited(shell, commandWords('rw', t, { root }).map(quoteForRw).join(' '));
        // One terminal for both streams: each expected prefix is checked against all of it.
        return { exitCode: shell.exitCode(), stdout: output, stderr: output };
      };
      const recover = async (t) => {
        await shell.ctrlC();
        try {
          await shell.waitForPrompt({ timeout: 15_000 });
        } catch {
          console.log(`# ${t.id}: the Web Shell did not come back after Ctrl-C; opening another`);
          shell = await openWebShell(vscode.page);
          cwd = undefined;
        }
      };
      const rootOf = (t) => t.spec.root && path.join(t.dir, `${t.name}.root`);
      await runAll('rw', tests, { rootOf, runOne, recover });
    });

    checks('rw');
  });

  describe('crw in bash (node extension host)', { skip: node.skip }, () => {
    let scratch, out, vscode, terminal, tests;

    const openBash = async () => {
      // rw activates on startup; a terminal opened before that has no RW_CRW_SOCKET yet.
      for (let attempt = 0; ; attempt++) {
        const t = await openTerminal(vscode.page, 'Terminal: Create New Terminal');
        if ((await t.run('test -S "$RW_CRW_SOCKET" && echo ready')) === 'ready') return t;
        if (attempt === 10) throw new Error('no terminal got RW_CRW_SOCKET: did rw activate?');
        await new Promise((r) => setTimeout(r, 1000));
      }
    };

    before(async () => {
      for (const [what, file] of [['the VSIX', VSIX], ['crw', CRW]]) {
        if (!existsSync(file)) throw new Error(`${what} is not built (${file}); run scripts/build.sh and cargo build -p crw`);
      }
      scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-wasi-node-'));
      const workspace = path.join(scratch, 'workspace');
      out = path.join(scratch, 'out');
      await fs.mkdir(workspace);
      await fs.mkdir(out);
      tests = await unpackTestsuite(testsuite.archive, workspace);
      assert.equal(tests.length, COUNT, 'tests in the archive');
      ids = tests.map((t) => t.id);
      vscode = await node.start({ workspace, extension: VSIX, settings: { ...SETTINGS, 'terminal.integrated.defaultProfile.linux': 'bash' } });
      // In code-server's own HOME: crw on the PATH, and a `$` prompt (root's ends in `#`).
      await fs.writeFile(path.join(path.dirname(vscode.dataDir), 'home/.bashrc'),
        `export PATH="${path.dirname(CRW)}:$PATH"\nPS1='$ '\n`);
      terminal = await openBash();
    });

    after(async () => {
      await vscode?.close();
      if (scratch) await fs.rm(scratch, { recursive: true, force: true });
    });

    test(`the ${COUNT} tests, each as the testsuite's runner runs it`, async () => {
      let cwd;
      const runOne = async (t) => {
        if (cwd !== t.dir) {
          await terminal.run(`cd ${quoteForBash(t.dir)}`);
          assert.equal(terminal.exitCode(), 0, `cd ${t.dir}`);
          cwd = t.dir;
        }
        const streams = path.join(out, `${t.suite}.${t.name}`);
        const line = `${commandWords('crw', t).map(quoteForBash).join(' ')} </dev/null ` +
          `>${quoteForBash(`${streams}.stdout`)} 2>${quoteForBash(`${streams}.stderr`)}`;
        await runLimited(terminal, line);
        const read = async (file) => fs.readFile(file, 'utf8').catch(() => '');
        return { exitCode: terminal.exitCode(), stdout: await read(`${streams}.stdout`), stderr: await read(`${streams}.stderr`) };
      };
      const recover = async (t) => {
        await terminal.ctrlC();
        try {
          await terminal.waitForPrompt({ timeout: 15_000 });
        } catch {
          console.log(`# ${t.id}: bash did not come back after Ctrl-C; opening another terminal`);
          terminal = await openBash();
          cwd = undefined;
        }
      };
      // The runner's way: the shared root, cleaned of *.cleanup entries before and after.
      const rootOf = (t) => t.spec.root && path.join(t.dir, t.spec.root);
      await runAll('crw', tests, { rootOf, runOne, recover });
    });

    checks('crw');
  });
});
