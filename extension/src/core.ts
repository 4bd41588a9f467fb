// Loads the Rust core (wasm-bindgen `--target web` glue) once per extension host and
// gives it types. The core's .wasm is inlined into the bundle by esbuild's binary
// loader, so the same bundle loads in the Node host and in the web worker host.
import coreWasm from '../out/core/rw_core_bg.wasm';
import * as glue from '../out/core/rw_core.js';
import type { Command, HostFailure, Plan, RunRequest, Said } from './coreTypes';

export interface Core {
	parseCommandLine(words: string[], cwd: string): Command;
	/** crw's argv, already split by the user's shell. */
	parseCrwCommandLine(argv: string[], cwd: string): Command;
	planRun(request: RunRequest, bytes: Uint8Array): Plan;
	describe(failure: HostFailure): Said;
	version(): string;
}

let loading: Promise<Core> | undefined;

/** The core, compiled asynchronously the first time (sync compiles are limited on the web). */
export function loadCore(): Promise<Core> {
	loading ??= WebAssembly.compile(coreWasm).then((module) => {
		glue.initSync({ module });
		return {
			parseCommandLine: (words, cwd) => glue.parseCommandLine(words, cwd) as Command,
			parseCrwCommandLine: (argv, cwd) => glue.parseCrwCommandLine(argv, cwd) as Command,
			planRun: (request, bytes) => glue.planRun(request, bytes) as Plan,
			describe: (failure) => glue.describe(failure) as Said,
			version: () => glue.version(),
		};
	});
	return loading;
}
