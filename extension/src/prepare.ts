// From a run request and the module's bytes to what the WASI Core needs: the compiled
// (perhaps adapted) module and its memory, from the cache or from the core's plan. Shared
// by the Web Shell's `rw` and the terminal's `crw`; where they print is theirs to say.
import type { Core } from './core';
import type { HostFailure, RunRequest } from './coreTypes';
import { ModuleCache, type Prepared } from './moduleCache';
import { reasonOf } from './readModule';

/** Where a command prints: whole text to stdout or stderr. */
export interface Printer {
	out(text: string): Promise<void>;
	err(text: string): Promise<void>;
}

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
): Promise<Prepared | number> {
	const listing = request.printImportsExports || request.explain;
	const key = listing ? undefined : await ModuleCache.key(request, bytes);
	const cached = key === undefined ? undefined : cache.get(key);
	if (cached !== undefined) {
		return cached;
	}
	const plan = core.planRun(request, bytes);
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
		return fail(core, print, { kind: 'compileFailed', file: request.file, reason: reasonOf(error) });
	}
	const prepared = { module, memory: plan.memory };
	if (key !== undefined) {
		cache.set(key, prepared);
	}
	return prepared;
}

/** Prints the core's line for a host-side failure; returns its exit code. */
export async function fail(core: Core, print: Printer, failure: HostFailure): Promise<number> {
	const said = core.describe(failure);
	await print.err(`${said.line}\n`);
	return said.code;
}
