// Pays a first run's fixed costs before it, when the extension starts: the core compiled
// and instantiated, its run path compiled by V8 (a plan of the core's own small module,
// crate/src/warm_up.rs: the first plan of even a small program otherwise waits some 60 ms
// for it), the digest the module cache keys by, and the WASM WASI Core's API. Nothing
// here may fail activation: a failure is dropped, and the run that needs what failed
// tries it again and says why in its one `rw:` line (runPipeline.ts).
import { ModuleCache } from './moduleCache';
import type { RunHost } from './runPipeline';

/**
 * How often the small module is planned. V8 moves a function of the core to its optimizing
 * tier once it has run hot, compiling it on a background thread. After a single plan, the
 * first run's own plan set that compile off, and it competed with the WASM WASI Core's
 * worker starting up on the same cores: in scripts/bench-output.sh, a first run's plan took
 * 9 to 14 ms and its program's start 36 to 57 ms in the web host, against 4 to 8 and 28 to
 * 36 after 60 plans (20 did it in Node, not on the web). 60 plans take 15 to 25 ms in all,
 * after the first, well under 1 ms each, with a turn of the event loop between them.
 */
export const WARM_UP_PLANS = 60;

/** Resolves when done, whatever happened; never throws. */
export async function warmUp(host: Pick<RunHost, 'core' | 'wasi'>): Promise<void> {
	try {
		const core = await host.core();
		const command = core.parseCommandLine(['warm-up.wasm'], '/');
		if (command.kind === 'run') {
			await ModuleCache.key(new Uint8Array(1), core.moduleKey(command));
			const module = core.warmUpModule();
			for (let i = 0; i < WARM_UP_PLANS; i++) {
				core.planRun(command, module);
				// A turn of the event loop between plans: the extension host stays responsive.
				await new Promise((resolve) => setTimeout(resolve, 0));
			}
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
