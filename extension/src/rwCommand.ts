// The `rw` command of the Web Shell: words → core → file → core's plan → Core run.
// Every outcome is an exit code and at most one `rw: …` line; nothing is thrown into
// the shell, whose own error output would be a stack-less "executing rw failed".
import type { RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import type { Core } from './core';
import type { HostFailure, RunRequest } from './coreTypes';
import { readModule, reasonOf, type FileAccess } from './readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory } from './runProcess';
import { watchCtrlC, write, writeLine, type CommandHandler } from './webShell';

export interface RwHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
}

export function createRwCommand(host: RwHost): CommandHandler {
	return async (_command, args, cwd, stdio, rootFileSystem) => {
		const ctrlC = watchCtrlC(stdio);
		try {
			// Ctrl-C frees the shell in any phase, even one that never settles.
			const interrupted = ctrlC.pressed.then(() => EXIT_INTERRUPTED);
			return await Promise.race([rw(host, args, cwd, stdio, rootFileSystem, ctrlC.pressed), interrupted]);
		} catch (error) {
			await writeLine(stdio.err, `rw: internal error (${reasonOf(error)}); please report it`).catch(() => undefined);
			return 1;
		} finally {
			ctrlC.dispose();
		}
	};
}

async function rw(
	host: RwHost,
	args: string[],
	cwd: string,
	stdio: Stdio,
	rootFileSystem: RootFileSystem,
	ctrlC: Promise<void>,
): Promise<number> {
	const core = await host.core();
	const command = core.parseCommandLine(args, cwd);
	if (command.kind === 'exit') {
		await write(stdio.out, command.stdout);
		await write(stdio.err, command.stderr && `${command.stderr}\n`);
		return command.code;
	}
	const fail = async (failure: HostFailure): Promise<number> => {
		const said = core.describe(failure);
		await writeLine(stdio.err, said.line);
		return said.code;
	};

	const read = await readModule(command, cwd, rootFileSystem, host.files);
	if ('failure' in read) {
		return fail(read.failure);
	}
	const plan = core.planRun(command, read.bytes);
	switch (plan.kind) {
		case 'refuse':
			await writeLine(stdio.err, plan.line);
			return plan.code;
		case 'list':
			await write(stdio.out, plan.text);
			return 0;
	}

	let module: WebAssembly.Module;
	try {
		module = await WebAssembly.compile(read.bytes);
	} catch (error) {
		return fail({ kind: 'compileFailed', file: command.file, reason: reasonOf(error) });
	}
	return start(host, command, module, plan.memory, stdio, rootFileSystem, ctrlC, fail);
}

async function start(
	host: RwHost,
	request: RunRequest,
	module: WebAssembly.Module,
	memory: WebAssembly.MemoryDescriptor | undefined,
	stdio: Stdio,
	rootFileSystem: RootFileSystem,
	ctrlC: Promise<void>,
	fail: (failure: HostFailure) => Promise<number>,
): Promise<number> {
	let result: { code: number; elapsedMs: number };
	try {
		const wasi = await host.wasi();
		result = await runProcess(wasi, { request, module, memory, stdio, rootFileSystem, ctrlC }, host.now);
	} catch (error) {
		return fail({ kind: 'startFailed', file: request.file, reason: reasonOf(error) });
	}
	if (request.printElapsedTime) {
		// The prior art's format: the milliseconds of run(), alone on a line.
		await writeLine(stdio.out, String(Math.round(result.elapsedMs)));
	}
	return result.code;
}
