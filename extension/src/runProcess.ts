// Runs a planned module in the WASM WASI Core and turns every way it can end into
// an exit code: the program's own, 130 on Ctrl-C.
import type { MountPointDescriptor, ProcessOptions, Stdio, Wasm, WasmProcess } from '@vscode/wasm-wasi/v1';
import type { RunRequest, Watch } from './coreTypes';
import { InputRing, isRingFed, type RingFed } from './inputRing';
import { drainedStdio, type OutputDrain } from './outputBuffer';
import { sharedMemoryOf, watchForTrap } from './trapWatch';

/** What shells report for a program stopped by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** How long to wait for the Core to confirm a terminate before giving the prompt back. */
const TERMINATE_GRACE_MS = 2000;

export type ProcessFactory = Pick<Wasm, 'createProcess'>;

export interface RunContext {
	request: RunRequest;
	module: WebAssembly.Module;
	memory: WebAssembly.MemoryDescriptor | undefined;
	/** How to see the program trap where no check could (trapWatch.ts). */
	watch: Watch | undefined;
	stdio: Stdio;
	/** Always rw's own tree, mounted at `/` (tree/programTree.ts). */
	fileSystem: { mountPoints: MountPointDescriptor[] };
	ctrlC: Promise<void>;
}

/** How a run ended: its exit code, how long `run()` took, and the line to print when the watch saw it trap. */
export interface RunResult {
	code: number;
	elapsedMs: number;
	trapped?: string;
}

/** The exit code, and how long `run()` took in milliseconds. */
export async function runProcess(wasi: ProcessFactory, run: RunContext, now: () => number): Promise<RunResult> {
	// Made below; the output buffer is drained from its memory once there is one.
	let process: WasmProcess | undefined;
	const memory = () => sharedMemoryOf(process);
	// stdin sent ahead goes on into the program's input ring, where both have one: topped up
	// whenever the host hears from the program (a read of stdin tops it up itself).
	const stdin = run.stdio.in?.kind === 'pipeIn' ? run.stdio.in.pipe : undefined;
	let ringFed: RingFed | undefined;
	if (run.watch?.input && isRingFed(stdin)) {
		ringFed = stdin;
		ringFed.feed(new InputRing(run.watch.input, memory));
	}
	const output = run.watch?.output && drainedStdio(run.stdio, run.watch.output, memory, () => ringFed?.topUp());
	const options: ProcessOptions = {
		stdio: output ? output.stdio : run.stdio,
		mountPoints: run.fileSystem.mountPoints,
		args: run.request.target.args,
		env: run.request.host.env,
		// Tracing makes every WASI call slow; never on.
		trace: false,
	};
	// Ctrl-C (for crw: also its client gone) before the program started: it never starts.
	// A ctrlC already settled sets the flag in the next microtask, before any await below
	// resumes; one settling while the Core creates the process, before that await resumes.
	let cancelled = false;
	const cancel = run.ctrlC.then(() => {
		cancelled = true;
	});
	await Promise.resolve();
	if (cancelled) {
		return { code: EXIT_INTERRUPTED, elapsedMs: 0 };
	}
	const name = run.request.target.programName;
	process = run.memory === undefined
		? await wasi.createProcess(name, run.module, options)
		: await wasi.createProcess(name, run.module, run.memory, options);
	if (cancelled) {
		await terminate(process);
		return { code: EXIT_INTERRUPTED, elapsedMs: 0 };
	}
	output?.drain.start();
	const started = now();
	const interrupted = Symbol('interrupted');
	const watching = run.watch && watchForTrap(process, run.watch, now);
	const never = new Promise<never>(() => undefined);
	let result: number | string | symbol;
	try {
		result = await Promise.race([process.run(), cancel.then(() => interrupted), watching ? watching.trapped : never]);
	} catch (error) {
		output?.drain.stop();
		throw error;
	} finally {
		watching?.stop();
	}
	const elapsedMs = now() - started;
	if (typeof result === 'number') {
		await lastOf(output?.drain);
		return { code: result, elapsedMs };
	}
	// Ctrl-C (for crw: also its client gone): from now on nothing more of its output,
	// also while the Core takes its time to stop it.
	if (result === interrupted) output?.drain.stop();
	await terminate(process);
	if (typeof result === 'string' && run.watch) {
		// What it wrote before it trapped, then the line that says so.
		await lastOf(output?.drain);
		return { code: run.watch.code, elapsedMs, trapped: result };
	}
	// terminate() answers 1 in the Node host and 0 on the web: the exit code is ours.
	return { code: EXIT_INTERRUPTED, elapsedMs };
}

/** What the program's buffer still holds, written on; then no more draining. */
async function lastOf(drain: OutputDrain | undefined): Promise<void> {
	if (drain === undefined) return;
	try {
		await drain.drain();
	} catch {
		// The reader is gone (crw's client): nothing more to show.
	} finally {
		drain.stop();
	}
}

async function terminate(process: WasmProcess): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, TERMINATE_GRACE_MS)));
	try {
		await Promise.race([process.terminate().catch(() => undefined), grace]);
	} finally {
		clearTimeout(timer);
	}
}
