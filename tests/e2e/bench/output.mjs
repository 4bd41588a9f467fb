// Issue 14's benchmark (run it with scripts/bench-output.sh, which builds what it needs):
// Enter → prompt back, as the page sees them (WebShell.elapsedMs), for the same programs
//   core    the WASM WASI Core's own terminal path: `corerun FILE` of the bench rig
//           (extension/bench/coreRig), a bare createProcess on the Web Shell's terminal;
//   prior   the prior art of issue 14: the same path with the Core's trace on (first runs
//           only, goal 3's bar: `corerun --trace FILE`);
//   before  rw from another revision (RW_OUTPUT_BASELINE_DIR, its crw in a terminal);
//   now     rw of this checkout (and its crw);
// in VS Code for the Web (web worker host) and code-server (Node host). Each build of rw has
// a window of its own (two cannot share one: same id, same commands); the rig loads in both,
// and the Core's path runs in rw now's. All windows start once per host, and every row runs
// its variants in turns, a different one first each round, so load hits each alike.
// In code-server also crw's 2 MB into a bash terminal, and bash's `cat` of the same bytes
// there: how long code-server's own terminal takes to show 2 MB, whatever prints them.
// First runs: each round reloads each variant's window (a fresh extension host) and times
// its first `hello.wasm`; rw's own phase marks (extension/src/timings.ts) say where it went.
// Prints the tables and writes them, with every sample, to .e2e/bench-output.{txt,json}.
//   node tests/e2e/bench/output.mjs [--rounds N] [--first-rounds N] [--hosts web,node] [--cat-mb MB]
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { host as hostNamed } from '../lib/hosts.mjs';
import { openTerminal, openWebShell } from '../lib/webShell.mjs';
import { importedMemory } from './importedMemory.mjs';
import { breakdownTable, hostTable } from './report.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(REPO, 'tests/fixtures/wasm');
const OUTPUT = process.env.RW_E2E_OUTPUT || path.join(REPO, '.e2e');
const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    'first-rounds': { type: 'string' },
    hosts: { type: 'string', default: 'web,node' },
    'cat-mb': { type: 'string', default: '400' },
  },
});
const ROUNDS = Number(opts.rounds);
const FIRST_ROUNDS = Number(opts['first-rounds'] ?? opts.rounds);
const CAT_MB = Number(opts['cat-mb']);
const RUN_TIMEOUT = 180_000;

const NOW = { dir: REPO, name: 'now' };
const BASE = process.env.RW_OUTPUT_BASELINE_DIR
  ? { dir: process.env.RW_OUTPUT_BASELINE_DIR, name: process.env.RW_OUTPUT_BASELINE_NAME ?? 'baseline' }
  : undefined;
const VARIANTS = [
  { key: 'core', label: "Core's own path" },
  // Issue 14's bar for a first run: the Core's terminal path with its trace on, as the prior
  // art ran it, in a window of its own without rw, whose start-up would have loaded the Core
  // for it. Only first runs: for output, the Core's own path is the harder bar.
  { key: 'prior', label: 'prior art (the Core, trace on, no rw)', firstOnly: true },
  ...(BASE ? [{ key: 'before', label: `rw before (${BASE.name})` }] : []),
  { key: 'now', label: 'rw now' },
];

const SHAPES = [
  { key: 'lines100', label: '2 MB as 20 000 lines of 100 B', program: 'lines.wasm 20000 100', count: 20000, size: 100 },
  { key: 'oneWrite', label: '2 MB in one write', program: 'lines.wasm 20000 100 one', count: 20000, size: 100 },
  { key: 'lines10', label: '20 000 lines of 10 B', program: 'lines.wasm 20000 10', count: 20000, size: 10 },
];
const THREADS = { key: 'threads', label: 'threads: 2 × 10 × 100 ms of sleep', program: 'thread_sleeps.wasm 2 10 100', ideal: 1000 };
const HELLO = { key: 'hello', label: 'hello.wasm, warm', program: 'hello.wasm' };
/**
 * Goal 2's progress line: a program that has computed for a while (so rw's output buffer is
 * on), prints `computing`, then computes some 3 s with no WASI call (compute_pure.wasm, its
 * rounds counted by compute_for.wasm once per host). Timed to the line on screen, beside the
 * Core's own path, which writes it through at once.
 */
const PROGRESS = { key: 'progress', label: 'a line after 0.1 s of computing, then 3 s more: Enter → the line shown', goal: 'progress', seconds: 3 };
/** The rows of the Web Shell (every variant) and of crw in a terminal (rw's variants). */
const SHELL_ROWS = [
  ...SHAPES.map((s) => ({ ...s, goal: 'output' })),
  { ...THREADS, goal: 'threads' },
  { ...HELLO, goal: 'warm' },
];
const CRW_ROWS = [
  ...SHAPES.map((s) => ({ ...s, key: `crw ${s.key}`, coreRow: s.key, label: `crw ${s.program} | tail -n +2 | wc -c`, goal: 'output' })),
  { ...THREADS, key: 'crw threads', coreRow: THREADS.key, label: `crw ${THREADS.program}`, goal: 'threads' },
  { key: 'crw cat', label: `head -c ${CAT_MB}M /dev/zero | crw cat.wasm | wc -c`, goal: 'mbps', megabytes: CAT_MB },
  // The 2 MB into the bash terminal itself, beside bash's `cat` of them (TERMINAL_FLOOR):
  // there a terminal's speed, not the program's, sets the time.
  { key: 'crw tty', label: `crw ${SHAPES[0].program} (into the terminal)`, program: SHAPES[0].program, coreRow: SHAPES[0].key, goal: 'tty', floorRow: 'terminal' },
];
/** Once per round in the terminal, not per variant: the same bytes as lines.wasm 20000 100. */
const TERMINAL_FLOOR = {
  key: 'terminal', label: `cat of the same ${SHAPES[0].label} (bash, no wasm)`, goal: 'floor', against: SHAPES[0].key, file: 'lines.txt',
};
const FIRST_ROW = { key: 'first', label: 'hello.wasm, first run in a fresh window', goal: 'first' };

/** What a variant types for `program ARGS` in the Web Shell. */
function shellLine(variant, program) {
  if (variant !== 'core' && variant !== 'prior') return `rw ${program}`;
  const [file] = program.split(' ');
  const memory = importedMemory(FIXTURE_BYTES.get(file));
  const options = [...(variant === 'prior' ? ['--trace'] : []), ...(memory ? ['--memory', `${memory.initial}:${memory.maximum}`] : [])];
  return ['corerun', ...options, program].join(' ');
}
/** The variants timed on every row (the others only on first runs). */
const EVERY_ROW = VARIANTS.filter((v) => !v.firstOnly);

const FIXTURE_BYTES = new Map();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** `list` rotated by `round`: each round another goes first. */
const turns = (list, round) => list.map((_, i) => list[(i + round) % list.length]);

async function main() {
  for (const [what, file] of [['rw now', path.join(REPO, 'extension/out/node.js')], ['the rig', path.join(REPO, 'extension/out/bench/coreRig/extension.js')],
    ['the fixtures', path.join(FIXTURES, 'lines.wasm')], ['crw', path.join(REPO, 'target/release/crw')]]) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${file}): run scripts/bench-output.sh`);
  }
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-bench-output-'));
  const results = { rounds: ROUNDS, firstRounds: FIRST_ROUNDS, catMegabytes: CAT_MB, baseline: BASE?.name ?? null, hosts: {} };
  let text = '';
  const print = (s = '') => { console.log(s); text += `${s}\n`; };
  try {
    const workspace = path.join(tmp, 'workspace');
    await fs.mkdir(workspace);
    for (const name of ['lines.wasm', 'thread_sleeps.wasm', 'hello.wasm', 'cat.wasm', 'compute_for.wasm', 'compute_pure.wasm']) {
      const bytes = await fs.readFile(path.join(FIXTURES, name));
      FIXTURE_BYTES.set(name, bytes);
      await fs.writeFile(path.join(workspace, name), bytes);
    }
    await fs.writeFile(path.join(workspace, TERMINAL_FLOOR.file), linesText(SHAPES[0].count, SHAPES[0].size));
    const rig = await rigVsix(tmp);
    print(`bench-output: ${ROUNDS} rounds (first runs: ${FIRST_ROUNDS}), variants: ${VARIANTS.map((v) => v.label).join(', ')}; ` +
      `the core: now ${await size(NOW.dir)}${BASE ? `, before ${await size(BASE.dir)}` : ''}`);
    for (const name of opts.hosts.split(',')) {
      const h = hostNamed(name);
      if (h.skip) { print(`${name} host: skipped (${h.skip})`); continue; }
      const started = performance.now();
      const measured = await benchHost(h, workspace, rig);
      results.hosts[name] = measured;
      print();
      print(`${name === 'web' ? 'VS Code for the Web (web worker extension host)' : 'code-server (Node extension host)'}: ` +
        `Enter → prompt, median [min–max] ms of ${ROUNDS} (first runs: ${FIRST_ROUNDS}); ${((performance.now() - started) / 1000).toFixed(0)} s`);
      const rows = [...[...SHELL_ROWS, PROGRESS].map((r) => ({ ...r, label: `Web Shell: ${r.label}` })), FIRST_ROW,
        ...(name === 'node' ? [...CRW_ROWS, TERMINAL_FLOOR] : [])];
      print(hostTable(name, rows, { ...measured.rows, first: measured.first }, VARIANTS));
      print();
      print(`where the time goes, ${name} host: the median of each phase, which need not add up to the median ` +
        `Enter → prompt (rw's marks: extension/src/timings.ts; the rig's own)`);
      print(breakdownTable(measured.phases));
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
    await fs.mkdir(OUTPUT, { recursive: true });
    await fs.writeFile(path.join(OUTPUT, 'bench-output.json'), JSON.stringify(results, null, 1));
    await fs.writeFile(path.join(OUTPUT, 'bench-output.txt'), text);
  }
}

/** The core's size in a build tree. */
async function size(dir) {
  const stat = await fs.stat(path.join(dir, 'extension/out/core/rw_core_bg.wasm')).catch(() => undefined);
  return stat ? `${(stat.size / 1024).toFixed(0)} KiB` : '?';
}

/** The rig as a VSIX (zipped here, no vsce), so both hosts install it beside rw. */
async function rigVsix(tmp) {
  const rig = path.join(REPO, 'extension/bench/coreRig');
  const vsix = path.join(tmp, 'core-rig.vsix');
  await fs.writeFile(vsix, zipSync({
    'extension/package.json': strToU8(await fs.readFile(path.join(rig, 'package.json'), 'utf8')),
    'extension/extension.js': strToU8(await fs.readFile(path.join(REPO, 'extension/out/bench/coreRig/extension.js'), 'utf8')),
  }));
  return vsix;
}

/** Starts a window per build of rw (with the rig), measures every row, closes them. */
async function benchHost(h, workspace, rig) {
  // No terminal restored or made by itself after a reload (code-server opens a bash one when
  // the panel comes back empty): the next terminal openWebShell() sees is the Web Shell.
  const settings = {
    'terminal.integrated.defaultProfile.linux': 'bash',
    'terminal.integrated.enablePersistentSessions': false,
    'terminal.integrated.hideOnStartup': 'always',
  };
  const windows = {};
  const rows = {};
  const first = { core: [], prior: [], before: [], now: [] };
  const phases = { first: { core: [], now: [] }, warm: { core: [], now: [] } };
  try {
    for (const build of [NOW, ...(BASE ? [BASE] : [])]) {
      const vscode = await h.start({ workspace, extension: path.join(build.dir, 'extension'), extraExtensions: [rig], settings });
      windows[build.name] = { vscode, build };
      if (h.name === 'node') {
        // In code-server's own HOME: this build's crw first on PATH, and a `$` prompt (root's ends in `#`).
        await fs.writeFile(path.join(path.dirname(vscode.dataDir), 'home/.bashrc'),
          `export PATH="${path.join(build.dir, 'target/release')}:$PATH"\nPS1='$ '\n`);
      }
    }
    // The prior art's window: the rig alone, for first runs only.
    if (FIRST_ROUNDS > 0) windows.prior = { vscode: await h.start({ workspace, extraExtensions: [rig], settings }) };
    const windowOf = (variant) => (variant === 'before' ? windows[BASE.name] : variant === 'prior' ? windows.prior : windows.now);

    // First runs: a reload is a fresh window (and extension host); one variant's first run in each.
    for (let round = 0; round < FIRST_ROUNDS; round++) {
      for (const { key } of turns(VARIANTS, round)) {
        const win = windowOf(key);
        await win.vscode.page.reload();
        await win.vscode.page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
        // The workbench goes on restoring after the status bar shows, and can close a palette
        // opened meanwhile.
        await sleep(2000);
        const shell = await openWebShell(win.vscode.page);
        win.shell = shell;
        // As a user would, type once the window has settled; `rwtimings` (the rig's) turns
        // rw's marks on, in every window alike.
        await sleep(1500);
        for (let tries = 0; key === 'now' && typeof (await marks(shell)).rw === 'string'; tries++) {
          if (tries === 10) throw new Error('rw now has no rw.timings command: is it built from this checkout?');
          await sleep(500);
        }
        if (key !== 'now') await marks(shell);
        const total = await timed(shell, shellLine(key, HELLO.program), 'hello from rw');
        first[key].push(total);
        if (key === 'now' || key === 'core') phases.first[key].push({ total, marks: (await marks(shell))[key === 'now' ? 'rw' : 'corerun'] });
        console.log(`  ${h.name} first run, ${key}: ${Math.round(total)} ms`);
      }
    }

    // A window whose first runs were skipped (`--first-rounds 0`) opens its Web Shell now.
    for (const { key } of EVERY_ROW) windowOf(key).shell ??= await openWebShell(windowOf(key).vscode.page);
    const progress = ROUNDS > 0 && await progressProgram(windows.now.shell);
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of SHELL_ROWS) {
        for (const { key } of turns(EVERY_ROW, round)) {
          const expect = row.key === HELLO.key ? 'hello from rw' : undefined;
          const ms = await timed(windowOf(key).shell, shellLine(key, row.program), expect);
          ((rows[row.key] ??= {})[key] ??= []).push(ms);
          if (row.key === HELLO.key && key !== 'before') {
            phases.warm[key].push({ total: ms, marks: (await marks(windowOf(key).shell))[key === 'now' ? 'rw' : 'corerun'] });
          }
        }
      }
      for (const { key } of turns(EVERY_ROW, round)) {
        ((rows[PROGRESS.key] ??= {})[key] ??= []).push(await timedProgress(windowOf(key).shell, shellLine(key, progress)));
      }
      console.log(`  ${h.name} Web Shell round ${round + 1}/${ROUNDS} done`);
    }
    if (h.name === 'node') {
      // Once the Web Shells are done: a new terminal takes the panel and the keyboard.
      const terminals = {};
      for (const [name, win] of Object.entries(windows)) if (win.build) terminals[name] = await crwTerminal(win.vscode.page);
      for (let round = 0; round < ROUNDS; round++) {
        for (const row of CRW_ROWS) {
          for (const key of turns(EVERY_ROW.filter((v) => v.key !== 'core').map((v) => v.key), round)) {
            const terminal = terminals[key === 'before' ? BASE.name : 'now'];
            ((rows[row.key] ??= {})[key] ??= []).push(await timedCrw(terminal, row));
          }
        }
        ((rows[TERMINAL_FLOOR.key] ??= {}).floor ??= []).push(await timed(terminals.now, `cat ${TERMINAL_FLOOR.file}`));
        console.log(`  ${h.name} crw round ${round + 1}/${ROUNDS} done`);
      }
    }
    return { rows, first, phases };
  } catch (error) {
    // What the windows showed, to tell a stuck program from a workbench in the way.
    await fs.mkdir(OUTPUT, { recursive: true });
    for (const [name, win] of Object.entries(windows)) {
      await win.vscode.page.screenshot({ path: path.join(OUTPUT, `bench-output-${h.name}-${name}.png`) }).catch(() => undefined);
    }
    throw error;
  } finally {
    for (const win of Object.values(windows)) await win.vscode.close();
  }
}

/** Runs `line` in a Web Shell or a bash terminal: its Enter → prompt in ms; it must exit 0 (and print `expect`). */
async function timed(shell, line, expect) {
  const output = await shell.run(line, { timeout: RUN_TIMEOUT, output: expect !== undefined });
  if (shell.exitCode() !== 0 || (expect !== undefined && !output.includes(expect))) {
    throw new Error(`"${line}" exited ${shell.exitCode()}${expect !== undefined ? `, printing:\n${output}` : ''}`);
  }
  return shell.elapsedMs();
}

/**
 * compute_pure.wasm with the rounds that take PROGRESS.seconds here (compute_for.wasm counts
 * them), after a thirtieth of that before its line.
 */
async function progressProgram(shell) {
  const line = `rw compute_for.wasm ${PROGRESS.seconds}`;
  const output = await shell.run(line, { timeout: RUN_TIMEOUT });
  const rounds = new RegExp(`^computing\\n(\\d+) rounds in ${PROGRESS.seconds} s: [0-9a-f]{16}$`).exec(output)?.[1];
  if (rounds === undefined) throw new Error(`"${line}" printed ${JSON.stringify(output)}`);
  return `compute_pure.wasm ${rounds} ${Math.ceil(rounds / 30)}`;
}

/**
 * Enter → `computing` shown, for a program that then computes for seconds: it must go on at
 * least a second after the line showed, or its exit, not the timer, may have shown it.
 */
async function timedProgress(shell, line) {
  const output = await shell.runTimingText(line, /^computing$/, { timeout: RUN_TIMEOUT });
  if (shell.exitCode() !== 0 || !/^computing\n\d+ rounds: [0-9a-f]{16}$/.test(output)) {
    throw new Error(`"${line}" exited ${shell.exitCode()}, printing:\n${output}`);
  }
  const shown = shell.shownMs();
  if (shell.elapsedMs() - shown < 1000) {
    throw new Error(`"${line}": its line showed ${Math.round(shown)} ms after Enter, its prompt ${Math.round(shell.elapsedMs())}: too close to tell`);
  }
  return shown;
}

/** The last run's phase marks, of rw and of the rig's corerun (the rig's `rwtimings`). */
async function marks(shell) {
  const output = await shell.run('rwtimings');
  try {
    return JSON.parse(output.replace(/\n/g, ''));
  } catch {
    throw new Error(`rwtimings printed no JSON: ${output}`);
  }
}

/** A bash terminal where this window's crw answers (rw puts RW_CRW_SOCKET there once it runs). */
async function crwTerminal(page) {
  for (let attempt = 0; ; attempt++) {
    const terminal = await openTerminal(page, 'Terminal: Create New Terminal');
    if ((await terminal.run('test -S "$RW_CRW_SOCKET" && echo ready')) === 'ready') return terminal;
    if (attempt === 10) throw new Error('no terminal got RW_CRW_SOCKET: did rw activate?');
    await sleep(1000);
  }
}

/** A crw row in a bash terminal: ms Enter → prompt, the byte count checked. */
async function timedCrw(terminal, row) {
  let line, expect;
  if (row.goal === 'mbps') {
    line = `head -c ${row.megabytes * 1000000} /dev/zero | crw cat.wasm | wc -c`;
    expect = String(row.megabytes * 1000000);
  } else if (row.goal === 'threads') {
    line = `crw ${row.program}`;
    expect = 'thread_sleeps: 2 threads × 10 × 100 ms done';
  } else if (row.goal === 'tty') {
    // Its lines go to the screen: only the exit code is checked (scrollback keeps 1000 rows).
    return timed(terminal, `crw ${row.program}`);
  } else {
    line = `crw ${row.program} | tail -n +2 | wc -c`;
    expect = String((row.count - 1) * row.size);
  }
  const output = await terminal.run(line, { timeout: RUN_TIMEOUT });
  if (output !== expect) throw new Error(`"${line}" printed ${JSON.stringify(output)}, not ${expect}`);
  return terminal.elapsedMs();
}

/** What `lines COUNT SIZE` prints (tests/fixtures/programs/src/bin/lines.rs). */
function linesText(count, size) {
  const line = Array.from({ length: size - 1 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  return `${line}\n`.repeat(count);
}

await main();
