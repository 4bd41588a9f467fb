// The bad-input matrix of issue "never hang", shared by rw in the Web Shell
// (badInput.test.mjs) and crw in a terminal (crw.test.mjs): both must answer each row with
// the same one line and exit code.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/wasm');

/** Fixture programs the rows (and the Ctrl-C and flood cases beside them) run. */
export const BAD_INPUT_PROGRAMS = ['hello', 'exit', 'spin', 'flood', 'panic', 'abort_thread', 'component', 'no_start',
  'wasi_unstable', 'unknown_imports', 'unknown_called', 'unknown_uncalled', 'deep_nesting', 'deep_unclosed', 'oob'];

/**
 * Rows for `command` ('rw' or 'crw'): command line, exit code, what the last line says.
 * (An unclosed quote is rw's own to catch; for crw the user's shell does.)
 */
export function badInputMatrix(command) {
  return [
    [`${command} nothing-here.wasm`, 127, /^rw: nothing-here\.wasm: no such file/],
    [`${command} adir`, 126, /^rw: adir: is a directory/],
    [`${command} empty.wasm`, 126, /^rw: empty\.wasm: is empty, not a WebAssembly module/],
    [`${command} notes.wasm`, 126, /^rw: notes\.wasm: is not a WebAssembly module/],
    [`${command} truncated.wasm`, 126, /^rw: truncated\.wasm: is not a valid WebAssembly module \(.* at byte \d+\); /],
    [`${command} component.wasm`, 126, /^rw: component\.wasm: is a WebAssembly component/],
    [`${command} no_start.wasm`, 126, /^rw: no_start\.wasm: exports no _start/],
    [`${command} unknown_imports.wasm`, 126, /^rw: unknown_imports\.wasm: imports what no WASI host provides/],
    [`${command} --stub-unknown-imports unknown_called.wasm`, 134, /^rw: unknown_called\.wasm called unsupported import env\.now$/],
    [`${command} panic.wasm`, 134, /^rw: panic\.wasm trapped: wasm `unreachable` instruction executed$/],
    [`${command} abort_thread.wasm`, 134, /^rw: abort_thread\.wasm trapped: wasm `unreachable` instruction executed$/],
    // Code nested 100 000 deep: the trap innermost is caught; never closed, the engine says so.
    [`${command} deep_nesting.wasm`, 134, /^rw: deep_nesting\.wasm trapped: wasm `unreachable` instruction executed$/],
    // A trap no rewrite could catch before issue 13, item 3 (the Core never settled run()
    // after it): now its reason, in wasmtime's words (traps.test.mjs has every trap kind).
    [`${command} oob.wasm`, 134, /^rw: oob\.wasm trapped: out of bounds memory access$/],
    [`${command} deep_unclosed.wasm`, 126, /^rw: deep_unclosed\.wasm: the WebAssembly engine rejected it \(.+\); rebuild it/],
    [`${command} --memory-initial=lots hello.wasm`, 2,
      new RegExp(`^rw: invalid value 'lots' for '--memory-initial <PAGES>'.*see '${command} --help'$`)],
    ...(command === 'rw' ? [['rw hello.wasm "unclosed', 2, /^rw: unclosed quote/]] : []),
    // Never read: a FIFO would block, /dev/zero never ends (both once filled the extension
    // host's memory). For crw only: on the web, rw cannot see what the file is.
    ...(command === 'crw' ? [
      ['crw afifo.wasm', 126, /^rw: afifo\.wasm: is a named pipe \(FIFO\), not a regular file; /],
      ['crw /dev/zero', 126, /^rw: \/dev\/zero: is a device, not a regular file; /],
    ] : []),
  ];
}

/**
 * Runs a row's command in `shell` (a WebShell of lib/webShell.mjs), waiting at most `timeout`
 * ms for the prompt; a row that hangs gets Ctrl-C, so the rows after it still have the shell,
 * and fails saying so. Returns what the command printed.
 */
export async function runBadInput(shell, [line], { timeout = 30_000 } = {}) {
  try {
    return await shell.run(line, { timeout });
  } catch (e) {
    if (!/timed out after/.test(e.message)) throw e;
    await shell.ctrlC();
    await shell.waitForPrompt({ timeout: 30_000 }).catch(() => {});
    throw new Error(`"${line}" hung (Ctrl-C pressed after ${timeout} ms): ${e.message}`);
  }
}

/**
 * Checks what a row's command printed and returned. Where rw refused before the program
 * started (any code but 134), its one line is all there is; a program that trapped or
 * called a stub may have printed before rw's last line.
 */
export function assertBadInput(output, exitCode, [, code, message]) {
  const lines = output.split('\n');
  assert.match(lines.at(-1), message, output);
  if (code !== 134) assert.equal(lines.length, 1, `one line, not:\n${output}`);
  assert.equal(exitCode, code, output);
}

/** Puts the programs and the bad files the rows of `command` name into `workspace`. */
export async function writeBadInputs(workspace, command = 'rw') {
  for (const name of BAD_INPUT_PROGRAMS) {
    await fs.copyFile(path.join(FIXTURES, `${name}.wasm`), path.join(workspace, `${name}.wasm`));
  }
  await fs.mkdir(path.join(workspace, 'adir'));
  await fs.writeFile(path.join(workspace, 'empty.wasm'), '');
  await fs.writeFile(path.join(workspace, 'notes.wasm'), 'not a module\n');
  const hello = await fs.readFile(path.join(FIXTURES, 'hello.wasm'));
  await fs.writeFile(path.join(workspace, 'truncated.wasm'), hello.subarray(0, 1000));
  if (command === 'crw') execFileSync('mkfifo', [path.join(workspace, 'afifo.wasm')]);
}
