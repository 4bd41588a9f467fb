// Loads the Rust core (wasm-bindgen `--target web` glue) once per extension host and
// gives it types. The core's .wasm is inlined into the bundle by esbuild's binary
// loader, so the same bundle loads in the Node host and in the web worker host.
import coreWasm from '../out/core/rw_core_bg.wasm';
import * as glue from '../out/core/rw_core.js';
import { guarded } from './coreGuard';
import type { Command, HostFailure, ModuleView, Plan, ProgramTree, RunRequest, ExitLine, Shell, Terminals } from './coreTypes';

export interface Core {
	parseCommandLine(words: string[], cwd: string): Command;
	/** crw's argv, already split by the user's shell; which of its client's streams are terminals. */
	parseCrwCommandLine(argv: string[], cwd: string, terminals: Terminals): Command;
	/**
	 * What a compiled module depends on besides its bytes (request.rs `module_key`):
	 * runs with the same bytes and key may share one (moduleCache.ts).
	 */
	moduleKey(request: RunRequest): string;
	planRun(request: RunRequest, bytes: Uint8Array): Plan;
	/** The directories the program sees, and where (crate/src/tree.rs). */
	programTree(request: RunRequest, shell: Shell): ProgramTree;
	describe(failure: HostFailure): ExitLine;
	/** What the module view shows of a .wasm (crate/src/view.rs). */
	describeModule(file: string, bytes: Uint8Array): ModuleView;
	/** A small module to plan once when the extension starts (crate/src/warm_up.rs, warmUp.ts). */
	warmUpModule(): Uint8Array<ArrayBuffer>;
	version(): string;
}

let loading: Promise<Core> | undefined;

/**
 * The core, compiled asynchronously the first time (sync compiles are limited on the web):
 * when the extension starts (warmUp.ts), so a run finds it ready. A load that failed is
 * tried again by the next caller.
 */
export function loadCore(): Promise<Core> {
	loading ??= WebAssembly.compile(coreWasm).then((module) => {
		glue.initSync({ module });
		// After a call that throws (a panic is a trap), the next one gets a fresh instance.
		return guarded<Core>({
			parseCommandLine: (words, cwd) => glue.parseCommandLine(words, cwd) as Command,
			parseCrwCommandLine: (argv, cwd, terminals) => glue.parseCrwCommandLine(argv, cwd, terminals) as Command,
			moduleKey: (request) => glue.moduleKey(request),
			planRun: (request, bytes) => glue.planRun(request, bytes) as Plan,
			programTree: (request, shell) => glue.programTree(request, shell) as ProgramTree,
			describe: (failure) => glue.describe(failure) as ExitLine,
			describeModule: (file, bytes) => glue.describeModule(file, bytes) as ModuleView,
			warmUpModule: () => glue.warmUpModule() as Uint8Array<ArrayBuffer>,
			version: () => glue.version(),
		}, () => glue.__wbg_reset_state());
	});
	loading.catch(() => (loading = undefined));
	return loading;
}
