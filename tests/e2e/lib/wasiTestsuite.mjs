// The official WASI preview1 conformance tests (the WebAssembly wasi-testsuite's 72 prebuilt
// tests, ../shared/wasi-testsuite/preview1.tar.xz) as data for the e2e: unpack them into a
// scratch folder, read each test's spec, build the command line the testsuite's wasmtime
// adapter would run, and judge a run as the testsuite's own runner does.
//
//   spec (NAME.json beside NAME.wasm, optional): args [], env {}, root (a folder beside the test,
//   preopened as the program's /), exit_code 0, stdout / stderr (when present: the stream must
//   start with it). The runner copies nothing: it deletes every `*.cleanup` entry under root
//   before and after each test. Its wasmtime adapter runs
//     wasmtime [--env K=V]... [--dir ROOT::/] NAME.wasm ARGS...
//   with the test's folder as cwd and an empty stdin.
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The testsuite archive: env RW_E2E_WASI_TESTSUITE (the .tar.xz), else
 * <repo>/../shared/wasi-testsuite/preview1.tar.xz, beside RW_E2E_EXTENSIONS's default.
 * @returns {{archive: string, skip: undefined} | {archive: undefined, skip: string}}
 */
export function testsuiteArchive() {
  const archive = process.env.RW_E2E_WASI_TESTSUITE || path.resolve(REPO, '../shared/wasi-testsuite/preview1.tar.xz');
  if (!existsSync(archive)) return { archive: undefined, skip: `needs the wasi-testsuite at ${archive} (set RW_E2E_WASI_TESTSUITE)` };
  return { archive, skip: undefined };
}

/**
 * @typedef {object} WasiTest
 * @property {string} id `suite/name`, e.g. `rust/fd_readdir`
 * @property {string} suite `assemblyscript`, `c` or `rust`: the folder it is in
 * @property {string} name file name without `.wasm`
 * @property {string} dir absolute path of its folder (the cwd to run it in)
 * @property {{args: string[], env: Record<string, string>, root?: string, exitCode: number,
 *   stdout?: string, stderr?: string}} spec
 */

/**
 * Unpacks `archive` into `dest` (an empty scratch folder) and lists its tests, sorted by id.
 * @returns {Promise<WasiTest[]>}
 */
export async function unpackTestsuite(archive, dest) {
  await promisify(execFile)('tar', ['-xJf', archive, '-C', dest]);
  const tests = [];
  for (const suite of (await fs.readdir(dest)).sort()) {
    const dir = path.join(dest, suite);
    if (!(await fs.stat(dir)).isDirectory()) continue;
    for (const file of (await fs.readdir(dir)).sort()) {
      if (!file.endsWith('.wasm')) continue;
      const name = file.slice(0, -'.wasm'.length);
      const json = path.join(dir, `${name}.json`);
      const raw = existsSync(json) ? JSON.parse(await fs.readFile(json, 'utf8')) : {};
      tests.push({
        id: `${suite}/${name}`,
        suite,
        name,
        dir,
        spec: {
          args: raw.args ?? [],
          env: raw.env ?? {},
          root: raw.root,
          exitCode: raw.exit_code ?? 0,
          stdout: raw.stdout,
          stderr: raw.stderr,
        },
      });
    }
  }
  return tests;
}

/**
 * The words of the adapter's command line, `command` in place of wasmtime:
 * `[--env K=V]... [--dir ROOT::/] NAME.wasm ARGS...`; `root` overrides the spec's root folder
 * (relative to the test's folder).
 */
export function commandWords(command, test, { root = test.spec.root } = {}) {
  return [
    command,
    ...Object.entries(test.spec.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...(root === undefined ? [] : ['--dir', `${root}::/`]),
    `${test.name}.wasm`,
    ...test.spec.args,
  ];
}

const PLAIN = /^[A-Za-z0-9_\-.,:/=@%+]+$/;

/**
 * One word for rw in the Web Shell: the shell splits the line on single spaces and rw splits it
 * again with POSIX shell quoting, so single quotes keep spaces and quotes. Some words cannot be
 * typed at all (the error has `untypeable` set): a run of spaces (the shell collapses it, even
 * inside quotes), a newline or carriage return (Enter ends the line; a newline typed inside a
 * quote never reaches rw: measured, `rw args.wasm 'a<LF>b'` gets `ab`), and POSIX quoting has no
 * escape that makes one.
 */
export function quoteForRw(word) {
  const refuse = (why) => Object.assign(new Error(`${JSON.stringify(word)} cannot be typed in the Web Shell: ${why}`), { untypeable: true });
  if (/ {2}/.test(word)) throw refuse('it collapses runs of spaces');
  if (/[\r\n]/.test(word)) throw refuse('a line break ends the command line or is dropped');
  return PLAIN.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One word for bash: ANSI-C quoting ($'...'), so a newline is `\n`, never a typed Enter. */
export function quoteForBash(word) {
  if (PLAIN.test(word)) return word;
  const escaped = [...word].map((ch) => {
    if (ch === '\\' || ch === "'") return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    const code = ch.codePointAt(0);
    return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }).join('');
  return `$'${escaped}'`;
}

/**
 * Deletes every `*.cleanup` entry under `root` (files, symlinks, whole folders), as the
 * testsuite's runner does before and after each test. Symlinks are removed, never followed.
 */
export async function removeCleanupEntries(root) {
  let entries;
  try {
    entries = await fs.readdir(root, { withFileTypes: true });
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return;
    throw e;
  }
  for (const entry of entries) {
    const p = path.join(root, entry.name);
    if (entry.name.endsWith('.cleanup')) {
      await fs.rm(p, { recursive: true, force: true });
    } else if (entry.isDirectory()) {
      await removeCleanupEntries(p);
    }
  }
}

/**
 * Judges one run as the runner does: the exit code, then each expected stream's prefix.
 * Where stdout and stderr arrive as one (a terminal), pass the same text as both.
 * @param {{exitCode: number|undefined, stdout: string, stderr: string}} run
 * @returns {string|undefined} undefined when it passed, else the cause in a few words
 */
export function judge(test, { exitCode, stdout, stderr }) {
  const { spec } = test;
  if (exitCode !== spec.exitCode) {
    const said = reason(stderr) || reason(stdout);
    return `code ${exitCode ?? '?'}, want ${spec.exitCode}${said ? `: ${said}` : ''}`;
  }
  if (spec.stdout !== undefined && !stdout.startsWith(spec.stdout)) {
    return `stdout mismatch: ${JSON.stringify(stdout.slice(0, 40))}, want ${JSON.stringify(spec.stdout)}...`;
  }
  if (spec.stderr !== undefined && !stderr.startsWith(spec.stderr)) {
    return `stderr mismatch: ${JSON.stringify(stderr.slice(0, 40))}, want ${JSON.stringify(spec.stderr)}...`;
  }
  return undefined;
}

/** What a failed run said, in one line: a Rust panic's message, else the first line. */
function reason(text) {
  const lines = (text ?? '').split('\n').filter((l) => l.trim());
  const panic = lines.findIndex((l) => /^thread '.*' (\(\d+\) )?panicked at /.test(l));
  const line = panic >= 0 && lines[panic + 1] ? `panic: ${lines[panic + 1]}` : lines[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/**
 * The table of results: one row per test id, one column per runner (`columns`: names, e.g.
 * ['rw', 'crw']), `results[column]` a Map id -> {cause?: string, hang?: boolean} (absent:
 * not run), then the totals `rw N/72, crw M/72`.
 */
export function formatTable(ids, columns, results) {
  const CELL = 72; // a longer cause is cut here (the JSON beside the table has it whole)
  const cell = (column, id) => {
    const r = results[column]?.get(id);
    const text = !r ? 'not run' : r.hang ? `HANG ${r.cause ?? ''}`.trim() : r.cause === undefined ? 'pass' : `FAIL ${r.cause}`;
    return text.length > CELL ? `${text.slice(0, CELL - 3)}...` : text;
  };
  const rows = ids.map((id) => [id, ...columns.map((c) => cell(c, id))]);
  const widths = [Math.max(4, ...ids.map((id) => id.length)), ...columns.map((c, i) =>
    Math.max(c.length, ...rows.map((r) => r[i + 1].length)))];
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [
    line(['test', ...columns]),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    totals(ids, columns, results),
  ].join('\n') + '\n';
}

/** `rw N/72 (H hangs), crw M/72 (...)`: passes of each column out of all ids. */
export function totals(ids, columns, results) {
  return columns.map((c) => {
    const r = results[c];
    if (!r || r.size === 0) return `${c} not run`;
    const passed = ids.filter((id) => r.get(id) && !r.get(id).hang && r.get(id).cause === undefined).length;
    const hangs = ids.filter((id) => r.get(id)?.hang).length;
    return `${c} ${passed}/${ids.length}${hangs ? ` (${hangs} hang${hangs === 1 ? '' : 's'})` : ''}`;
  }).join(', ');
}
