// The program of one crw connection: the same core as the Web Shell's `rw` parses,
// plans and adapts; the module and file arguments are paths of this machine, relative
// to the directory the user's shell is in, which the program sees as its `/` (with each
// `--dir HOST::GUEST` at GUEST inside it).
import * as nodePath from 'node:path';
import type { MountPointDescriptor, Readable, Stdio, Writable } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Core } from '../core';
import type { HostFailure, RunRequest } from '../coreTypes';
import type { ModuleCache } from '../moduleCache';
import { fail, prepare, type Printer } from '../prepare';
import { readModule, reasonOf, type FileAccess } from '../readModule';
import { EXIT_INTERRUPTED, runProcess, type ProcessFactory } from '../runProcess';
import type { CrwHandler, CrwRun } from './connection';
import { guestPath, type Layout } from './layout';

/** What the handler needs from VS Code and the WASI Core (tests pass doubles). */
export interface CrwHost {
	core: () => Promise<Core>;
	files: FileAccess;
	wasi: () => Promise<ProcessFactory>;
	now: () => number;
	/** This machine's path as a URI the extension host can read (`Uri.file`). */
	fileUri: (path: string) => Uri;
	/** A file system serving `layout` (overlay.ts), for runs with `--dir`. */
	overlay: (layout: Layout) => { uri: Uri; release(): void };
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
	const root = await rootOf(host, request, cwd);
	if ('failure' in root) {
		return fail(core, print, root.failure);
	}
	const mountPoints: MountPointDescriptor[] = [{ kind: 'vscodeFileSystem', uri: root.uri, mountPoint: '/' }];
	let result: { code: number; elapsedMs: number };
	try {
		const wasi = await host.wasi();
		result = await runProcess(
			wasi,
			{ request, module: prepared.module, memory: prepared.memory, stdio, fileSystem: { mountPoints }, ctrlC: run.stopped },
			host.now,
		);
	} catch (error) {
		return fail(core, print, { kind: 'startFailed', file: request.file, reason: reasonOf(error) });
	} finally {
		root.release();
	}
	if (request.printElapsedTime) {
		await print.out(`${Math.round(result.elapsedMs)}\n`);
	}
	return result.code;
}

/**
 * What the Core mounts at `/`: the cwd itself, or with `--dir` an overlay of it. GUEST
 * defaults to HOST as typed, seen from the program's `/`: `--dir data` is `/data`.
 */
async function rootOf(host: CrwHost, request: RunRequest, cwd: string): Promise<{ uri: Uri; release(): void } | { failure: HostFailure }> {
	if (request.dirs.length === 0) {
		return { uri: host.fileUri(cwd), release: () => undefined };
	}
	const layout: Layout = { root: cwd, mounts: new Map() };
	for (const dir of request.dirs) {
		const hostDir = nodePath.resolve(cwd, dir.typed);
		const kind = await host.files.kindOf(host.fileUri(hostDir)).catch(() => 'missing' as const);
		if (kind !== 'directory') {
			return { failure: { kind: 'dirNotFound', dir: dir.typed } };
		}
		// The core defaults GUEST to HOST made absolute; ours is relative to the program's `/`.
		const guest = dir.guest === dir.host ? guestPath(dir.typed) : dir.guest;
		layout.mounts.set(guest, hostDir);
	}
	return host.overlay(layout);
}
