// The program of one crw connection: the same core as the Web Shell's `rw` parses,
// plans and adapts; the module and file arguments are paths of this machine, relative
// to the directory the user's shell is in, which the program sees as its `/` (with each
// `--dir HOST::GUEST` at GUEST inside it).
import * as nodePath from 'node:path';
import type { Readable, Stdio, Writable } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Core } from '../core';
import type { RunRequest } from '../coreTypes';
import type { ModuleCache } from '../moduleCache';
import { fail, prepare, type Printer } from '../prepare';
import { readModule, reasonOf, type FileAccess } from '../readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory } from '../runProcess';
import type { CrwHandler, CrwRun } from './connection';
import { mountProgramTree, type ServeTree } from '../tree/programTree';

/** What the handler needs from VS Code and the WASI Core (tests pass doubles). */
export interface CrwHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
	/** This machine's path as a URI the extension host can read (`Uri.file`). */
	fileUri: (path: string) => Uri;
	/** Serves the program's tree through rw's confined file system (tree/confinedFs.ts). */
	serveTree: ServeTree;
	/** The user's home directory, which crw does not hand a program unasked. */
	home: string | undefined;
	/** Compiled modules, shared with rw. */
	modules: ModuleCache;
}

export function createCrwHandler(host: CrwHost): CrwHandler {
	const cache = host.modules;
	return async (run) => {
		const print: Printer = { out: (text) => run.stdout.write(text), err: (text) => run.stderr.write(text) };
		try {
			const core = await host.core();
			// Ctrl-C in the client ends any phase, even one that never settles.
			const interrupted = run.stopped.then(() => EXIT_INTERRUPTED);
			return await Promise.race([crw(host, core, cache, run, print), interrupted]);
		} catch (error) {
			await print.err(`crw: internal error (${reasonOf(error)}); please report it\n`).catch(() => undefined);
			return 1;
		}
	};
}

async function crw(host: CrwHost, core: Core, cache: ModuleCache, run: CrwRun, print: Printer): Promise<number> {
	const { cwd, argv } = run.request;
	const command = core.parseCrwCommandLine(argv, cwd);
	if (command.kind === 'exit') {
		await print.out(command.stdout);
		await print.err(command.stderr && `${command.stderr}\n`);
		return command.code;
	}
	// The core resolves POSIX paths; this machine may be Windows. The client's terminals tell
	// the core what the program's isatty() must say (the Core calls every pipe a terminal).
	const request: RunRequest = { ...command, path: nodePath.resolve(cwd, command.file), terminals: run.request.terminals };
	const read = await readModule(request, cwd, { toVSCode: async (path) => host.fileUri(path) }, host.files);
	if ('failure' in read) {
		return fail(core, print, read.failure);
	}
	const prepared = await prepare(core, cache, request, read.bytes, print);
	if (typeof prepared === 'number') {
		return prepared;
	}
	const stdio: Stdio = {
		// Our own pipe objects (see pipes.ts); the Core's types name the interfaces it
		// implements itself, but it only calls what ours have.
		in: { kind: 'pipeIn', pipe: run.stdin as unknown as Writable },
		out: { kind: 'pipeOut', pipe: run.stdout as unknown as Readable },
		err: { kind: 'pipeOut', pipe: run.stderr as unknown as Readable },
	};
	// HOST as typed, resolved here: the core resolves POSIX paths, this machine may be Windows.
	const locate = async (dir: { typed: string }) => host.fileUri(nodePath.resolve(cwd, dir.typed));
	const tree = await mountProgramTree(core, request, { program: 'crw', cwd, home: host.home }, locate, host.files, host.serveTree);
	if ('refusal' in tree) {
		await print.err(`${tree.refusal.line}\n`);
		return tree.refusal.code;
	}
	if ('failure' in tree) {
		return fail(core, print, tree.failure);
	}
	let result: { code: number; elapsedMs: number };
	try {
		const wasi = await host.wasi();
		result = await runProcess(
			wasi,
			{ request, module: prepared.module, memory: prepared.memory, stdio, fileSystem: tree, ctrlC: run.stopped },
			host.now,
		);
	} catch (error) {
		return fail(core, print, { kind: 'startFailed', file: request.file, reason: reasonOf(error) });
	} finally {
		tree.release();
	}
	if (request.printElapsedTime) {
		await print.out(`${Math.round(result.elapsedMs)}\n`);
	}
	return result.code;
}
