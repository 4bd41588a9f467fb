// From a run request and the module's bytes to what the WASM WASI Core needs: the
// compiled (perhaps adapted) module and its memory, from the cache or from the core's
// plan. A step of the run pipeline (runPipeline.ts).
import type { Core } from './core';
import type { RunRequest } from './coreTypes';
import { ModuleCache, type Prepared } from './moduleCache';
import { printFailure, type Printer } from './printer';
import { reasonOf } from './readModule';
import type { RunTimings } from './timings';

/**
 * The compiled module and its memory; or, when the plan is to print or refuse, the exit
 * code after doing so.
 */
export async function prepare(
	core: Core,
	cache: ModuleCache,
	request: RunRequest,
	bytes: Uint8Array<ArrayBuffer>,
	print: Printer,
	timings?: RunTimings,
): Promise<Prepared | number> {
	// A listing or an explanation compiles nothing: nothing to find or to keep.
	const key = request.mode === 'run' ? await ModuleCache.key(bytes, core.moduleKey(request)) : undefined;
	timings?.mark('keyed');
	const cached = key === undefined ? undefined : cache.get(key);
	if (cached !== undefined) {
		return cached;
	}
	const plan = core.planRun(request, bytes);
	timings?.mark('planned');
	switch (plan.kind) {
		case 'refuse':
			await print.err(`${plan.line}\n`);
			return plan.code;
		case 'print':
			await print.out(plan.text);
			return 0;
	}
	let module: WebAssembly.Module;
	try {
		// Nothing may come between the plan and this call: an adapted module is a view of
		// the core's memory until the next call into the core, and compile copies it.
		module = await WebAssembly.compile(plan.module ?? bytes);
	} catch (error) {
		return printFailure(core, print, { kind: 'compileFailed', file: request.target.file, reason: reasonOf(error) });
	}
	timings?.mark('compiled');
	const prepared = { module, memory: plan.memory, watch: plan.watch };
	if (key !== undefined) {
		cache.set(key, prepared);
	}
	return prepared;
}
