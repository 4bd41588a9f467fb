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
		module = await compile(plan.module ?? bytes);
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

/**
 * Modules up to this size are compiled synchronously. V8 compiles lazily, so compiling
 * is mostly validating: about 1 ms for a 100 KB program and 25 ms for ripgrep's 19 MB in
 * Node. An asynchronous compile right after a plan waits instead behind the core's own
 * tier-up, which that plan set off on V8's background threads: 20 to 70 ms for the same
 * 100 KB (issue 14, the first run's "compile" phase). Beyond this size, blocking the
 * extension host for the validation would cost more than that wait.
 */
const SYNC_COMPILE_BYTES = 8 * 1024 * 1024;

async function compile(bytes: Uint8Array<ArrayBuffer>): Promise<WebAssembly.Module> {
	return bytes.length <= SYNC_COMPILE_BYTES ? new WebAssembly.Module(bytes) : WebAssembly.compile(bytes);
}
