// The `rw` command of the Web Shell: words → core → file → core's plan → Core run.
// Every outcome is an exit code and at most one `rw: …` line; nothing is thrown into
// the shell, whose own error output would be a bare "executing rw failed".
import type { RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Core } from './core';
import type { HostFailure, RunRequest } from './coreTypes';
import { ModuleCache, type Prepared } from './moduleCache';
import { programFileSystem } from './mounts';
import { readModule, reasonOf, type FileAccess } from './readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory } from './runProcess';
import { outputThroughRw, watchCtrlC, write, writeLine, type CommandHandler } from './webShell';

/** What the handler needs from VS Code and the WASI Core (tests pass doubles). */
export interface RwHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
	/** A URI for a path of this machine's disk, where the extension host can reach it. */
	localDirectory: (path: string) => Uri | undefined;
}

/** One `rw …` typed in one shell. */
interface Invocation {
	host: RwHost;
	cache: ModuleCache;
	core: Core;
	cwd: string;
	stdio: Stdio;
	rootFileSystem: RootFileSystem;
	ctrlC: Promise<void>;
}

export function createRwCommand(host: RwHost): CommandHandler {
	const cache = new ModuleCache();
	return async (_command, args, cwd, stdio, rootFileSystem) => {
		const ctrlC = watchCtrlC(stdio);
		try {
			// Ctrl-C frees the shell in any phase, even one that never settles.
			const interrupted = ctrlC.pressed.then(() => EXIT_INTERRUPTED);
			const core = await host.core();
			const run = rw({ host, cache, core, cwd, stdio, rootFileSystem, ctrlC: ctrlC.pressed }, args);
			return await Promise.race([run, interrupted]);
		} catch (error) {
			await writeLine(stdio.err, `rw: internal error (${reasonOf(error)}); please report it`).catch(() => undefined);
			return 1;
		} finally {
			ctrlC.dispose();
		}
	};
}

async function rw(call: Invocation, args: string[]): Promise<number> {
	const { core, stdio } = call;
	const command = core.parseCommandLine(args, call.cwd);
	if (command.kind === 'exit') {
		await write(stdio.out, command.stdout);
		await write(stdio.err, command.stderr && `${command.stderr}\n`);
		return command.code;
	}
	const read = await readModule(command, call.cwd, call.rootFileSystem, call.host.files);
	if ('failure' in read) {
		return fail(call, read.failure);
	}
	const planned = await prepare(call, command, read.bytes);
	if (typeof planned === 'number') {
		return planned;
	}
	return start(call, command, planned.module, planned.memory);
}

/**
 * The compiled module and its memory, from the cache or from the core's plan; or, when
 * the plan is to print or refuse, the exit code after doing so.
 */
async function prepare(call: Invocation, command: RunRequest, bytes: Uint8Array<ArrayBuffer>): Promise<Prepared | number> {
	const listing = command.printImportsExports || command.explain;
	const key = listing ? undefined : await ModuleCache.key(command, bytes);
	const cached = key === undefined ? undefined : call.cache.get(key);
	if (cached !== undefined) {
		return cached;
	}
	const plan = call.core.planRun(command, bytes);
	switch (plan.kind) {
		case 'refuse':
			await writeLine(call.stdio.err, plan.line);
			return plan.code;
		case 'print':
			await write(call.stdio.out, plan.text);
			return 0;
	}
	let module: WebAssembly.Module;
	try {
		module = await WebAssembly.compile(plan.module ?? bytes);
	} catch (error) {
		return fail(call, { kind: 'compileFailed', file: command.file, reason: reasonOf(error) });
	}
	const prepared = { module, memory: plan.memory };
	if (key !== undefined) {
		call.cache.set(key, prepared);
	}
	return prepared;
}

async function start(
	call: Invocation,
	request: RunRequest,
	module: WebAssembly.Module,
	memory: WebAssembly.MemoryDescriptor | undefined,
): Promise<number> {
	const { stdio, ctrlC } = call;
	const fileSystem = await programFileSystem(request, call.rootFileSystem, call.host.files, call.host.localDirectory);
	if ('failure' in fileSystem) {
		return fail(call, fileSystem.failure);
	}
	let result: { code: number; elapsedMs: number };
	const output = outputThroughRw(stdio);
	try {
		const wasi = await call.host.wasi();
		result = await runProcess(wasi, { request, module, memory, stdio: output.stdio, fileSystem, ctrlC }, call.host.now);
	} catch (error) {
		return fail(call, { kind: 'startFailed', file: request.file, reason: reasonOf(error) });
	} finally {
		output.dispose();
	}
	if (request.printElapsedTime) {
		// The prior art's format: the milliseconds of run(), alone on a line.
		await writeLine(stdio.out, String(Math.round(result.elapsedMs)));
	}
	return result.code;
}

/** Prints the core's line for a host-side failure; returns its exit code. */
async function fail(call: Invocation, failure: HostFailure): Promise<number> {
	const said = call.core.describe(failure);
	await writeLine(call.stdio.err, said.line);
	return said.code;
}
