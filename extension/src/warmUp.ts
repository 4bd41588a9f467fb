// Pays a first run's fixed costs before it, when the extension starts: the core compiled
// and instantiated, its run path compiled by V8 (a plan of the core's own small module,
// crate/src/warm_up.rs: the first plan of even a small program otherwise waits some 60 ms
// for it), the digest the module cache keys by, and the WASM WASI Core's API. Nothing
// here may fail activation: a failure is dropped, and the run that needs what failed
// tries it again and says why in its one `rw:` line (runPipeline.ts).
import { ModuleCache } from './moduleCache';
import type { RunHost } from './runPipeline';

/** Resolves when done, whatever happened; never throws. */
export async function warmUp(host: Pick<RunHost, 'core' | 'wasi'>): Promise<void> {
	try {
		const core = await host.core();
		const command = core.parseCommandLine(['warm-up.wasm'], '/');
		if (command.kind === 'run') {
			await ModuleCache.key(new Uint8Array(1), core.moduleKey(command));
			core.planRun(command, core.warmUpModule());
			core.programTree(command, { program: 'rw', cwd: '/' });
		}
	} catch {
		// The run says it (see above).
	}
	try {
		await host.wasi();
	} catch {
		// Likewise.
	}
}
