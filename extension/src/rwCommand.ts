// The `rw` command of the Web Shell: words → core → file → core's plan → Core run.
// Every outcome is an exit code and at most one `rw: …` line; nothing is thrown into
// the shell, whose own error output would be a bare "executing rw failed".
import type { RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Core } from './core';
import type { HostFailure, RunRequest } from './coreTypes';
import type { ModuleCache } from './moduleCache';
import { fail as failWith, prepare, type Printer } from './prepare';
import { readModule, reasonOf, type FileAccess } from './readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory } from './runProcess';
import { mountProgramTree, type Locate, type ServeTree } from './tree/programTree';
import { outputThroughRw, watchCtrlC, write, writeLine, type CommandHandler } from './webShell';

/** What the handler needs from VS Code and the WASI Core (tests pass doubles). */
export interface RwHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
	/** A URI for a path of this machine's disk, where the extension host can reach it. */
	localDirectory: (path: string) => Uri | undefined;
	/** Serves the program's tree through rw's confined file system (tree/confinedFs.ts). */
	serveTree: ServeTree;
	/** Whether the workspace is trusted: in Restricted Mode programs reach only the workspace. */
	trusted: () => boolean;
	/** Compiled modules, shared with crw. */
	modules: ModuleCache;
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
	const cache = host.modules;
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
	const planned = await prepare(call.core, call.cache, command, read.bytes, printer(stdio));
	if (typeof planned === 'number') {
		return planned;
	}
	return start(call, command, planned.module, planned.memory);
}

async function start(
	call: Invocation,
	request: RunRequest,
	module: WebAssembly.Module,
	memory: WebAssembly.MemoryDescriptor | undefined,
): Promise<number> {
	const { stdio, ctrlC } = call;
	const tree = await mountProgramTree(call.core, request, { program: 'rw', cwd: call.cwd }, locate(call), call.host.files, call.host.serveTree);
	if ('refusal' in tree) {
		await writeLine(stdio.err, tree.refusal.line);
		return tree.refusal.code;
	}
	if ('failure' in tree) {
		return fail(call, tree.failure);
	}
	let result: { code: number; elapsedMs: number };
	const output = outputThroughRw(stdio);
	try {
		const wasi = await call.host.wasi();
		result = await runProcess(wasi, { request, module, memory, stdio: output.stdio, fileSystem: tree, ctrlC }, call.host.now);
	} catch (error) {
		return fail(call, { kind: 'startFailed', file: request.file, reason: reasonOf(error) });
	} finally {
		output.dispose();
		tree.release();
	}
	if (request.printElapsedTime) {
		// The prior art's format: the milliseconds of run(), alone on a line.
		await writeLine(stdio.out, String(Math.round(result.elapsedMs)));
	}
	return result.code;
}

/**
 * Where a directory of the program's tree is: in the shell's file system, or (a `--dir`
 * on desktop) on this machine, which Restricted Mode does not lend a program.
 */
function locate(call: Invocation): Locate {
	return async (dir) => {
		const inShell = await call.rootFileSystem.toVSCode(dir.host);
		if (inShell !== undefined || dir.implied) return inShell;
		const local = call.host.localDirectory(dir.host);
		if (local !== undefined && !call.host.trusted()) return { failure: { kind: 'untrustedDir', dir: dir.typed } };
		return local;
	};
}

/** Prints the core's line for a host-side failure; returns its exit code. */
function fail(call: Invocation, failure: HostFailure): Promise<number> {
	return failWith(call.core, printer(call.stdio), failure);
}

/** The shell's terminal as the shared steps print to it. */
function printer(stdio: Stdio): Printer {
	return { out: (text) => write(stdio.out, text), err: (text) => write(stdio.err, text) };
}
