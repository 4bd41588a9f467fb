// After a call into the core throws (a panic is a trap), the next call runs in a fresh
// instance, never in the one the trap left behind: with injected cores, and with the real
// one trapping for real.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as glue from '../out/core/rw_core.js';
import { loadCore } from '../src/core';
import { guarded } from '../src/coreGuard';
import type { RunRequest } from '../src/coreTypes';
import { fixture } from './fixtures';

/** A core of one instance at a time: `instance` counts them; `trapNext` makes the next call trap. */
function fakeCore() {
	const state = { instance: 1, trapNext: false, resets: 0, failResets: 0 };
	const core = {
		which: () => {
			if (state.trapNext) {
				state.trapNext = false;
				throw new WebAssembly.RuntimeError('unreachable');
			}
			return state.instance;
		},
		echo: (text: string) => text,
	};
	const reset = () => {
		state.resets++;
		if (state.failResets > 0) {
			state.failResets--;
			throw new Error('cannot instantiate');
		}
		state.instance++;
	};
	return { state, core: guarded(core, reset) };
}

test('calls that return never reset the instance', () => {
	const { state, core } = fakeCore();
	assert.equal(core.which(), 1);
	assert.equal(core.echo('x'), 'x');
	assert.equal(core.which(), 1);
	assert.equal(state.resets, 0);
});

test('a call that traps throws its error, and the next call runs in a fresh instance', () => {
	const { state, core } = fakeCore();
	state.trapNext = true;
	assert.throws(() => core.which(), WebAssembly.RuntimeError);
	assert.equal(state.resets, 1);
	assert.equal(core.which(), 2);
	assert.equal(core.echo('still'), 'still');
	assert.equal(state.resets, 1);
});

test('a reset that fails is tried again before the next call runs', () => {
	const { state, core } = fakeCore();
	state.trapNext = true;
	state.failResets = 2;
	// The caller hears the trap, not the failed reset.
	assert.throws(() => core.which(), WebAssembly.RuntimeError);
	// The instance is still the trapped one: the call does not run in it.
	assert.throws(() => core.which(), /cannot instantiate/);
	assert.equal(core.which(), 2);
	assert.equal(state.resets, 3);
});

test('the real core traps (a malloc it cannot serve), and answers afterwards from a fresh instance', async () => {
	const core = await loadCore();
	assert.equal(typeof glue.__wbg_reset_state, 'function', 'the glue is built with --experimental-reset-state-function');
	const command = core.parseCommandLine(['hello.wasm'], '/workspace');
	assert.ok(command.kind === 'run');
	const request: RunRequest = command;
	// 2 GiB is more than wasm32's Layout takes: the core aborts, i.e. traps. (Never touched,
	// so it takes no memory.)
	const huge = new Uint8Array(2 ** 31);
	let resets = 0;
	const counted = guarded({ planRun: (bytes: Uint8Array) => glue.planRun(request, bytes) }, () => {
		resets++;
		glue.__wbg_reset_state();
	});
	assert.throws(() => counted.planRun(huge), WebAssembly.RuntimeError);
	assert.equal(resets, 1);
	assert.equal(counted.planRun(fixture('hello')).kind, 'run');
	// And through loadCore()'s own guard.
	assert.throws(() => core.planRun(request, huge), WebAssembly.RuntimeError);
	assert.equal(core.planRun(request, fixture('hello')).kind, 'run');
	const again = core.parseCommandLine(['--env', 'A=1', 'x.wasm', 'a'], '/w');
	assert.ok(again.kind === 'run');
	assert.deepEqual([again.target.path, again.target.args, again.host.env], ['/w/x.wasm', ['a'], { A: '1' }]);
	assert.equal(resets, 1);
});
