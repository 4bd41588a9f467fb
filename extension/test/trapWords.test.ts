// What the watch word says when a program traps, against the engine's own word for the
// trap: each fixture is planned by the built core as a run would be, run in this V8
// (node:wasi, not the Core: the word is the module's, the engine the same), and the
// error V8 throws compared with the line the watch would print from the word it left.
// The code writes the word only where it would change what it says (the core's
// adapt/instrument/flow.rs), so these catch a mark left out where paths meet or after
// a call.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WASI } from 'node:wasi';
import { loadCore } from '../src/core';
import { QUIET_MS, WordWatcher } from '../src/trapWatch';
import { fixture } from './fixtures';

/**
 * The line the watch prints once `name` (run with `args`) traps, what V8 threw, and, for
 * a run that ended by itself, its exit code and stderr.
 */
async function trapOf(
	name: string,
	args: string[] = [],
): Promise<{ line: string | undefined; thrown: unknown; code?: number; stderr: string }> {
	const core = await loadCore();
	const request = core.parseCommandLine([`${name}.wasm`, ...args], '/workspace');
	assert.equal(request.kind, 'run');
	const plan = core.planRun(request as never, fixture(name));
	assert.ok(plan.kind === 'run' && plan.module && plan.memory && plan.watch, `${name} is watched`);
	const memory = new WebAssembly.Memory(plan.memory);
	const dir = mkdtempSync(join(tmpdir(), 'rw-trap-words-'));
	const devNull = openSync('/dev/null', 'w');
	const stderrFile = openSync(join(dir, 'stderr'), 'w');
	const wasi = new WASI({ version: 'preview1', args: [name, ...args], stdout: devNull, stderr: stderrFile, returnOnExit: true });
	let thrown: unknown;
	let code: number | undefined;
	try {
		const instance = new WebAssembly.Instance(new WebAssembly.Module(plan.module), {
			...wasi.getImportObject(),
			env: { memory },
		});
		code = wasi.start({ exports: { ...instance.exports, memory } });
	} catch (error) {
		thrown = error;
	} finally {
		closeSync(devNull);
		closeSync(stderrFile);
	}
	const stderr = readFileSync(join(dir, 'stderr'), 'utf8');
	rmSync(dir, { recursive: true });
	const watcher = new WordWatcher(plan.watch);
	const word = new Int32Array(memory.buffer, plan.watch.word, 2);
	watcher.look(word, 0);
	return { line: watcher.look(word, QUIET_MS), thrown, code, stderr };
}

const isStackOverflow = (e: unknown) => e instanceof RangeError && /call stack/i.test(e.message);
const isOutOfBounds = (e: unknown) => e instanceof WebAssembly.RuntimeError && /memory access out of bounds/.test(e.message);

const OUT_OF_BOUNDS: Array<[string, string[]]> = [
	['trap_oob_memory', []],
	['trap_oob_after_call', []],
	['trap_oob_after_call', ['branch']],
];
for (const [name, args] of OUT_OF_BOUNDS) {
	test(`${[name, ...args].join(' ')}: V8's out-of-bounds access reads as one from the word`, async () => {
		const { line, thrown } = await trapOf(name, args);
		assert.ok(isOutOfBounds(thrown), `V8 threw ${String(thrown)}`);
		assert.match(line ?? '', /trapped: out of bounds memory access$/);
	});
}

for (const name of ['trap_stack', 'trap_stack_mixed']) {
	test(`${name}: V8's stack overflow reads as one from the word`, async () => {
		const { line, thrown } = await trapOf(name);
		assert.ok(isStackOverflow(thrown), `V8 threw ${String(thrown)}`);
		assert.match(line ?? '', /trapped: call stack exhausted$/);
	});
}

// A wait's traps happen where the word says WAITING, which the watch never takes for
// gone: a check before the wait ends the run itself.
for (const [args, reason] of [[[], 'out of bounds memory access'], [['misaligned'], 'misaligned memory access']] as const) {
	test(`${['trap_wait', ...args].join(' ')}: a wait that would trap ends with its line and 134, by its check`, async () => {
		const { thrown, code, stderr } = await trapOf('trap_wait', [...args]);
		assert.equal(thrown, undefined);
		assert.equal(code, 134);
		assert.equal(stderr, `rw: trap_wait.wasm trapped: ${reason}\n`);
	});
}
