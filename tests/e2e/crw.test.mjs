// crw in a real Node extension host (code-server 4.100.3 = VS Code 1.100.3, the host desktop
// VS Code runs extensions in) with the real WASM WASI Core 1.0.2: rw installed from its VSIX
// starts the crw server, an ordinary integrated terminal (bash) gets RW_CRW_SOCKET, and crw
// (target/debug/crw, put on the terminal's PATH) runs our fixtures through pipes.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertBadInput, badInputMatrix, runBadInput, writeBadInputs } from './lib/badInputs.mjs';
import { host } from './lib/hosts.mjs';
import { openTerminal } from './lib/webShell.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = JSON.parse(await fs.readFile(path.join(REPO, 'extension/package.json'), 'utf8')).version;
const VSIX = path.join(REPO, `rw-${VERSION}.vsix`);
const CRW = path.join(REPO, 'target/debug/crw');
const FIXTURES = path.join(REPO, 'tests/fixtures/wasm');
const REAL_WORLD = path.join(REPO, 'target/real-world');
const PROGRAMS = ['cat', 'output_order', 'threads', 'thread_exits', 'memory_renamed', 'isatty', 'iovecs', 'ls', 'write', 'head_bytes', 'close_stdio'];
const MATRIX = badInputMatrix('crw');
const node = host('node');

/** A small tree for ripgrep: 1000 matching lines among 3000, a match deeper down, none elsewhere. */
async function writeCorpus(dir) {
  await fs.mkdir(path.join(dir, 'sub'), { recursive: true });
  const lines = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? `line ${i} has a needle in it` : `line ${i} is hay`));
  await fs.writeFile(path.join(dir, 'a.txt'), `${lines.join('\n')}\n`);
  await fs.writeFile(path.join(dir, 'sub/b.md'), '# needle\n\nhay, then a needle\n');
  await fs.writeFile(path.join(dir, 'sub/c.txt'), 'only hay here\n');
}

describe('crw from an integrated terminal (node extension host)', { skip: node.skip }, () => {
  let workspace, other, vscode, terminal;
  const big = randomBytes(10 * 1024 * 1024);

  before(async () => {
    for (const [what, file] of [['the VSIX', VSIX], ['crw', CRW], ['the fixtures', path.join(FIXTURES, 'hello.wasm')], ['ripgrep', path.join(REAL_WORLD, 'rg.wasm')]]) {
      if (!existsSync(file)) throw new Error(`${what} is not built (${file}); run scripts/build.sh, cargo build -p crw, scripts/build-fixtures.sh and scripts/build-real-world.sh`);
    }
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-crw-'));
    for (const name of PROGRAMS) await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
    await fs.writeFile(path.join(workspace, 'big.bin'), big);
    await fs.writeFile(path.join(workspace, 'notes.txt'), 'notes in the cwd\n');
    // A real program from the registry (scripts/build-real-world.sh) and a tree for it.
    await fs.copyFile(path.join(REAL_WORLD, 'rg.wasm'), path.join(workspace, 'rg.wasm'));
    await writeCorpus(path.join(workspace, 'corpus'));
    await writeBadInputs(workspace, 'crw');
    other = await fs.mkdtemp(path.join(os.tmpdir(), 'rw-e2e-crw-other-'));
    await fs.writeFile(path.join(other, 'x.txt'), 'x from --dir\n');
    vscode = await node.start({ workspace, extension: VSIX, settings: { 'terminal.integrated.defaultProfile.linux': 'bash' } });
    // In code-server's own HOME: crw on the PATH, and a `$` prompt (we run as root, whose
    // default prompt ends in `#`).
    await fs.writeFile(path.join(path.dirname(vscode.dataDir), 'home/.bashrc'),
      `export PATH="${path.dirname(CRW)}:$PATH"\nPS1='$ '\n`);
    // rw activates on startup; a terminal opened before that has no RW_CRW_SOCKET yet.
    for (let attempt = 0; ; attempt++) {
      terminal = await openTerminal(vscode.page, 'Terminal: Create New Terminal');
      if ((await terminal.run('test -S "$RW_CRW_SOCKET" && test -n "$RW_CRW_TOKEN" && echo ready')) === 'ready') break;
      if (attempt === 10) throw new Error('no terminal got RW_CRW_SOCKET: did rw activate?');
      await new Promise((r) => setTimeout(r, 1000));
    }
  });

  after(async () => {
    await vscode?.close();
    for (const dir of [workspace, other]) if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  test('echo hi | crw cat.wasm | wc -c: stdin ends, output flows on', async () => {
    assert.equal(await terminal.run('echo hi | crw cat.wasm | wc -c'), '3');
    assert.equal(terminal.exitCode(), 0);
  });

  test('crw cat.wasm < 10 MB file | sha256sum matches, and the program sees EOF', async () => {
    const sha = createHash('sha256').update(big).digest('hex');
    assert.equal(await terminal.run('crw cat.wasm < big.bin | sha256sum', { timeout: 120_000 }), `${sha}  -`);
    assert.equal(await terminal.run('echo ${PIPESTATUS[@]}'), '0 0');
  });

  test('throughput through the real Core (printed, not asserted; scripts/bench-crw.sh has the rest)', async () => {
    const megabytes = Number(process.env.RW_E2E_CAT_MB ?? 100);
    const timed = async (line) => {
      const start = performance.now();
      assert.equal(await terminal.run(line, { timeout: 300_000 }), String(megabytes * 1e6));
      return (performance.now() - start) / 1000;
    };
    const cat = await timed(`head -c ${megabytes}000000 /dev/zero | cat | wc -c`);
    const crw = await timed(`head -c ${megabytes}000000 /dev/zero | crw cat.wasm | wc -c`);
    console.log(`crw cat.wasm in the real Core: ${(megabytes / crw).toFixed(0)} MB/s; ` +
      `cat: ${(megabytes / cat).toFixed(0)} MB/s (${megabytes} MB, each timed with the terminal's round trip)`);
  });

  test('stdin in chunks on both sides of 64 KB arrives whole', async () => {
    for (const size of [1, 4096, 16384, 65536, 65537, 1048576]) {
      assert.equal(await terminal.run(`head -c ${size} big.bin | crw cat.wasm | wc -c`), String(size), `${size} bytes`);
    }
  });

  test('relative paths are the shell\'s: crw cat.wasm notes.txt reads ./notes.txt', async () => {
    assert.equal(await terminal.run('crw cat.wasm notes.txt'), 'notes in the cwd');
    assert.equal(terminal.exitCode(), 0);
  });

  test('--dir adds directories beside the cwd: read, list, write through them', async () => {
    assert.equal(await terminal.run(`crw --dir ${other}::/other cat.wasm /other/x.txt notes.txt`),
      'x from --dir\nnotes in the cwd');
    assert.equal(terminal.exitCode(), 0);
    assert.equal(await terminal.run(`crw --dir ${other}::/srv/other ls.wasm /srv/other`), 'x.txt');
    assert.equal(await terminal.run(`crw --dir ${other}::/srv/other ls.wasm /srv`), 'other');
    await terminal.run(`crw --dir ${other}::/o write.wasm /o/out.txt written through the overlay`);
    assert.equal(terminal.exitCode(), 0);
    assert.equal(await fs.readFile(path.join(other, 'out.txt'), 'utf8'), 'written through the overlay\n');
    assert.match(await terminal.run('crw --dir /no/such/dir cat.wasm'), /^rw: --dir \/no\/such\/dir: no such directory; [^\n]+$/);
    assert.equal(terminal.exitCode(), 2);
  });

  test('an fd_write of many iovecs arrives whole through a pipe', async () => {
    assert.equal(await terminal.run('crw iovecs.wasm | cat'),
      'one\nnwritten right\ntwo\nnwritten right\nAAAABBBBCCCC\nnwritten right\n0123456789abcde\nnwritten right');
  });

  test('isatty() in the program is true exactly where crw\'s own stream is a terminal', async () => {
    assert.equal(await terminal.run('crw isatty.wasm'), 'stdin=tty stdout=tty stderr=tty');
    assert.equal(await terminal.run('crw isatty.wasm < notes.txt | cat'), 'stdin=pipe stdout=pipe stderr=tty');
  });

  test('a threads program runs', async () => {
    assert.equal(await terminal.run('crw threads.wasm'), 'worker 1: 500500\nworker 2: 1001000\nthreads: 2 workers done');
    assert.equal(terminal.exitCode(), 0);
  });

  test('an exit() in any thread ends the whole program with its code, busy and blocked threads too', async () => {
    // Each case runs for ever but for the exit: ending at all is the proof.
    const cases = [
      ['join', 'spinner: spinning\nmain: joining\nworker: exiting with 7'],
      ['sleep', 'main: sleeping\nworker: exiting with 7'],
      ['main', 'spinner: spinning\nsleeper: sleeping\nmain: exiting with 7'],
      // stdin is the terminal: main waits for a line nobody types.
      ['stdin', 'main: reading stdin\nworker: exiting with 7'],
    ];
    for (const [mode, output] of cases) {
      assert.equal(await terminal.run(`crw thread_exits.wasm ${mode} 7`), output, mode);
      assert.equal(terminal.exitCode(), 7, mode);
    }
    assert.equal(await terminal.run('echo still here'), 'still here');
  });

  test('a threads module that imports its memory as foo.bar runs', async () => {
    assert.equal(await terminal.run('crw memory_renamed.wasm | cat'), 'hello from a thread\nmain: the thread said hello');
    assert.match(await terminal.run('crw --print-imports-exports memory_renamed.wasm'), /^import: foo bar memory\n/);
  });

  test('exit codes pass through; a refused module is one line', async () => {
    await terminal.run('crw exit.wasm 42');
    assert.equal(terminal.exitCode(), 42);
    assert.match(await terminal.run('crw component.wasm'), /^rw: component\.wasm: [^\n]+$/);
    assert.equal(terminal.exitCode(), 126);
  });

  test('the terminal\'s token lets crw in; another is refused in one line and nothing runs', async () => {
    assert.match(await terminal.run('test ${#RW_CRW_TOKEN} = 64 && echo 64'), /^64$/);
    const refused = await terminal.run('RW_CRW_TOKEN=0000 crw hello.wasm');
    assert.match(refused, /^crw: the rw extension refused the connection: this terminal's RW_CRW_TOKEN is missing or not the VS Code window's; open a new integrated terminal$/);
    assert.equal(terminal.exitCode(), 1);
  });

  test('interactive stdin ends with Ctrl-D: the program sees EOF and ends', async () => {
    const running = terminal.run('crw cat.wasm');
    await new Promise((r) => setTimeout(r, 1000));
    await terminal.type('typed line\r');
    await terminal.waitForText(/typed line\ntyped line/);
    await vscode.page.keyboard.press('Control+D');
    // The terminal echoes the line, then cat writes it back.
    assert.equal(await running, 'typed line\ntyped line');
    assert.equal(terminal.exitCode(), 0);
  });

  test('stdin belongs to the program: a read loop runs crw once per line', async () => {
    // hello.wasm never reads stdin, so crw must not take the loop's next lines.
    assert.equal(await terminal.run(`printf 'a\\nb\\nc\\n' | while read f; do crw hello.wasm "$f"; done`),
      'hello from rw\nargs: a\nhello from rw\nargs: b\nhello from rw\nargs: c');
  });

  test('(crw hello.wasm noread; cat) leaves every byte for cat', async () => {
    const sha = createHash('sha256').update(big).digest('hex');
    assert.equal(await terminal.run('(crw hello.wasm noread >/dev/null; cat) < big.bin | sha256sum'), `${sha}  -`);
    assert.equal(await terminal.run('printf \'one\\ntwo\\n\' | (crw hello.wasm noread; cat)'),
      'hello from rw\nargs: noread\none\ntwo');
  });

  test('stdout and stderr into one pipe arrive exactly as written (through rw\'s output buffer)', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => (i % 7 === 0 ? [`out ${i}`, `err ${i}`] : [`out ${i}`])).flat();
    const expected = `${lines.join('\n')}\nthen stderr, no newline, ${'x'.repeat(40_000)}\nabc\ndone\n`;
    const sha = createHash('sha256').update(expected).digest('hex');
    assert.equal(await terminal.run('crw output_order.wasm 2>&1 | sha256sum'), `${sha}  -`);
    assert.equal(await terminal.run('crw output_order.wasm 2>/dev/null | tail -n 2'), 'abc\ndone');
  });

  test('ripgrep 14 from the registry searches a tree and its stdin as the native rg does (through rw\'s buffer and ring)', async () => {
    const search = '--no-heading --line-number --sort path --color never needle corpus';
    const wasm = await terminal.run(`crw rg.wasm ${search} | sha256sum`, { timeout: 120_000 });
    assert.equal(wasm, await terminal.run(`rg ${search} | sha256sum`));
    assert.equal(await terminal.run(`crw rg.wasm --count-matches ${search} | paste -sd ' '`),
      'corpus/a.txt:1000 corpus/sub/b.md:2');
    assert.equal(await terminal.run('crw rg.wasm nothing-matches corpus; echo $?'), '1');
    // Its stdin through rw's input ring (named `-`: ripgrep built for WASI never takes a
    // piped stdin for the place to search, as in wasmtime): the same lines as the native rg.
    const piped = (rg) => `(for i in $(seq 20); do cat corpus/a.txt; done) | ${rg} --line-number --color never needle - | sha256sum`;
    assert.equal(await terminal.run(piped('crw rg.wasm'), { timeout: 120_000 }), await terminal.run(piped('rg')));
  });

  test('a program that reads part of stdin leaves exactly the rest, from a file and a pipe, also when it traps', async () => {
    const sha = createHash('sha256').update(big).digest('hex');
    // head_bytes prints the first N bytes, cat all that is left: together, the whole file.
    for (const line of [
      '(crw head_bytes.wasm 5; cat) < big.bin | sha256sum',
      '(crw head_bytes.wasm 300000; cat) < big.bin | sha256sum',
      'cat big.bin | (crw head_bytes.wasm 70000; cat) | sha256sum',
      '(crw head_bytes.wasm 5 abort 2>/dev/null; cat) < big.bin | sha256sum',
      'cat big.bin | (crw head_bytes.wasm 5 abort 2>/dev/null; cat) | sha256sum',
    ]) {
      assert.equal(await terminal.run(line, { timeout: 120_000 }), `${sha}  -`, line);
    }
  });

  // rw's output buffer and input ring stand for the stdio crw gave: once the program closed
  // those fds, a write or read of them is EBADF (8) as in wasmtime, not an answer of theirs.
  test('a program that closes stdout and stdin gets EBADF from them after', async () => {
    // More stdin than the first read takes, so that the rest waits in the input ring.
    assert.equal(await terminal.run("(echo hello; head -c 100000 /dev/zero | tr '\\0' x) | crw close_stdio.wasm; echo $?"),
      'to stdout\nread "hello\\n"; close 1: 0, write: 8; close 0: 0, read: 8\n0');
  });

  test('Ctrl-C stops a spinning program: crw exits 130 and the prompt is back', async () => {
    const running = terminal.run('crw spin.wasm');
    await terminal.waitForText(/spinning/);
    await terminal.ctrlC();
    await running;
    assert.equal(terminal.exitCode(), 130);
    assert.equal(await terminal.run('crw hello.wasm still here'), 'hello from rw\nargs: still here');
  });

  test('Ctrl-C in a while loop: the loop stops, $? is 130, the prompt on its own line', async () => {
    const running = terminal.run('while true; do crw spin.wasm; done');
    await terminal.waitForText(/spinning$/);
    await terminal.ctrlC();
    // Had crw just exited 130, bash would run spin again, for ever.
    await running;
    // bash prints a newline after the terminal's ^C only for a command killed by SIGINT.
    assert.match(await terminal.screen(), /spinning\n\^C\n\$$/);
    assert.equal(terminal.exitCode(), 130);
    assert.equal(await terminal.run('echo $?'), '130');
  });

  for (const row of MATRIX) {
    test(`bad input: ${row[0]}`, async () => {
      assertBadInput(await runBadInput(terminal, row), terminal.exitCode(), row);
    });
  }

  test('bad input: wasi_unstable runs, adapted', async () => {
    await terminal.run('crw wasi_unstable.wasm');
    assert.equal(terminal.exitCode(), 0);
  });

  test('bad input: a flood of output (100 GB, never done first), Ctrl-C mid-way: 130, and the output stops', async () => {
    const running = terminal.run('crw flood.wasm 100000', { timeout: 60_000, output: false });
    await terminal.waitForText(/flood line +\d+/);
    await terminal.ctrlC();
    await running;
    // The screen's end, where crw's own line (if any) says why it did not exit with 130.
    assert.equal(terminal.exitCode(), 130, (await terminal.screen()).slice(-600));
  });

  test('bad input: a 1 MB argument list', async () => {
    // Made by the shell, not typed: 21 000 words of about 50 bytes (140 000 short ones would
    // pass Linux's limit for one exec's argument pointers, whatever runs them).
    const words = "$(seq 21000 | sed 's/$/-abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq/')";
    assert.ok(Number(await terminal.run(`echo ${words} | wc -c`)) > 1_000_000);
    const output = await terminal.run(`crw exit.wasm 7 ${words}`, { timeout: 120_000 });
    assert.equal(output, 'exiting with 7');
    assert.equal(terminal.exitCode(), 7);
  });

  test('bad input: an argument or a cwd that is not UTF-8 is refused in one line, never replaced', async () => {
    const argument = await terminal.run("crw hello.wasm $'caf\\xe9'");
    assert.equal(terminal.exitCode(), 2);
    assert.match(argument, /^crw: argument 2 \(caf.\) is not UTF-8, which WASI programs take; /);
    assert.equal(argument.split('\n').length, 1, argument);
    const cwd = await terminal.run("mkdir -p $'/tmp/rw-caf\\xe9' && (cd $'/tmp/rw-caf\\xe9' && crw hello.wasm)");
    assert.equal(terminal.exitCode(), 2);
    assert.match(cwd, /^crw: the current directory \(\/tmp\/rw-caf.\) is not UTF-8, which WASI programs take; /);
  });

  test('after all that, the same terminal still runs programs', async () => {
    assert.equal(await terminal.run('crw hello.wasm ok'), 'hello from rw\nargs: ok');
    assert.equal(terminal.exitCode(), 0);
  });
});
