// The warm-up at activation (warmUp.ts): it walks the built core's run path and loads the
// WASM WASI Core's API, and whatever fails, it resolves: a failure is for the run to say.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore, type Core } from '../src/core';
import type { RunHost } from '../src/runPipeline';
import { WARM_UP_PLANS, warmUp } from '../src/warmUp';
import { createWasiCoreDouble } from './doubles/wasiCoreDouble';

test('with the built core: the run path is planned until V8 optimized it, the Core API loaded once', async () => {
	const real = await loadCore();
	const calls: string[] = [];
	const core = { ...real, planRun: (...args: Parameters<Core['planRun']>) => (calls.push('planRun'), real.planRun(...args)) };
	const wasi = createWasiCoreDouble();
	await warmUp({ core: async () => core, wasi: async () => (calls.push('wasi'), wasi) });
	assert.ok(WARM_UP_PLANS > 1);
	assert.deepEqual(calls, [...Array<string>(WARM_UP_PLANS).fill('planRun'), 'wasi']);
	const plan = core.planRun(core.parseCommandLine(['w.wasm'], '/') as never, real.warmUpModule());
	assert.equal(plan.kind, 'run', 'the core still plans after it');
});

test('nothing that fails in it fails activation', async () => {
	const failing: Array<Pick<RunHost, 'core' | 'wasi'>> = [
		{ core: () => Promise.reject(new Error('no core')), wasi: () => Promise.reject(new Error('no Core')) },
		{
			core: async () => ({ parseCommandLine: () => { throw new Error('a panic'); } }) as unknown as Core,
			wasi: () => { throw new Error('thrown, not rejected'); },
		},
	];
	for (const host of failing) {
		await warmUp(host);
	}
});
