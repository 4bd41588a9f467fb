// TEST DOUBLE of the WASM WASI Core's process API (`Wasm.createProcess`), for the unit
// tests of rw and crw: node:wasi in a worker thread, whose fd_read(0) and fd_write(1|2)
// call back to this thread and wait, as the Core's worker does, so the pipes rw and crw
// hand the Core (`read('max', n)`, awaited `write()`) are exercised for real. Like Core
// 1.0.2 it reports fds 0–2 as character devices without seek rights (so a program's
// isatty() is true unless rw adapts that), never settles run() on a trap or a link
// error, and answers terminate() with 1.
import { Worker } from 'node:worker_threads';
import type { ProcessOptions, WasmProcess } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import { loadCore } from '../../src/core';
import type { Serving } from '../../src/crw/connection';
import type { CrwHost } from '../../src/crw/crwRun';
import { ModuleCache } from '../../src/moduleCache';
import type { ProcessFactory } from '../../src/runProcess';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskFilesDouble, serveTreeDouble, treeOf } from './webShellDoubles';

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const { module, args, env, preopens, channel, shared } = workerData;
const wasi = new WASI({ version: 'preview1', args, env, preopens, returnOnExit: true });
const imports = wasi.getImportObject();
if (shared !== undefined) imports.env = { memory: shared };
const p1 = imports.wasi_snapshot_preview1;
const control = new Int32Array(channel, 0, 2); // [answered, length]
const data = new Uint8Array(channel, 8);
let memory;
function ask(message) {
	Atomics.store(control, 0, 0);
	parentPort.postMessage(message);
	// The flag, not the wake-up: the notify of an answer this thread saw before it came to
	// wait lands in the next ask's wait, and would answer that ask with a stale length.
	while (Atomics.load(control, 0) === 0) Atomics.wait(control, 0, 0);
	return Atomics.load(control, 1);
}
function iovecs(ptr, len) {
	const view = new DataView(memory.buffer);
	return Array.from({ length: len }, (_, i) =>
		new Uint8Array(memory.buffer, view.getUint32(ptr + 8 * i, true), view.getUint32(ptr + 8 * i + 4, true)));
}
const { fd_write, fd_read, fd_fdstat_get, path_rename, path_unlink_file, path_remove_directory } = p1;
// As rw's file system does (tree/confinedFs.ts): a rename to a delete marker deletes.
p1.path_rename = (fd, old, oldLen, newFd, path, len) => {
	const name = new TextDecoder().decode(new Uint8Array(memory.buffer, path, len));
	if (name.startsWith('\\0rw-unlink')) return path_unlink_file(fd, old, oldLen);
	if (name.startsWith('\\0rw-rmdir--')) return path_remove_directory(fd, old, oldLen);
	return path_rename(fd, old, oldLen, newFd, path, len);
};
p1.fd_write = (fd, ptr, len, nwritten) => {
	if (fd !== 1 && fd !== 2) return fd_write(fd, ptr, len, nwritten);
	const parts = iovecs(ptr, len);
	const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) { bytes.set(p, at); at += p.length; }
	ask({ kind: 'write', fd, bytes });
	new DataView(memory.buffer).setUint32(nwritten, bytes.length, true);
	return 0;
};
p1.fd_read = (fd, ptr, len, nread) => {
	if (fd !== 0) return fd_read(fd, ptr, len, nread);
	const buffers = iovecs(ptr, len);
	const max = Math.min(data.length, buffers.reduce((n, b) => n + b.length, 0));
	const got = ask({ kind: 'read', max });
	let at = 0;
	for (const b of buffers) {
		const n = Math.min(b.length, got - at);
		b.set(data.subarray(at, at + n));
		at += n;
	}
	new DataView(memory.buffer).setUint32(nread, got, true);
	return 0;
};
p1.fd_fdstat_get = (fd, ptr) => {
	if (fd > 2) return fd_fdstat_get(fd, ptr);
	const view = new DataView(memory.buffer);
	view.setUint8(ptr, 2); // character_device
	view.setUint16(ptr + 2, 0, true);
	view.setBigUint64(ptr + 8, 0x820004an, true);
	view.setBigUint64(ptr + 16, 0n, true);
	return 0;
};
let exit;
try {
	const instance = new WebAssembly.Instance(module, imports);
	memory = instance.exports.memory;
	exit = wasi.start(instance);
} catch (error) {
	exit = undefined; // the real Core logs a trap and never reports back
}
if (exit !== undefined) parentPort.postMessage({ kind: 'exit', code: exit });
`;

interface PipeIn {
	read(mode: 'max', size: number): Promise<Uint8Array>;
}
interface PipeOut {
	write(chunk: Uint8Array): Promise<void>;
}

export interface CreatedProcess {
	name: string;
	memory: WebAssembly.MemoryDescriptor | WebAssembly.Memory | undefined;
	options: ProcessOptions;
}

export interface WasiCoreDouble extends ProcessFactory {
	/** Every createProcess call, in order. */
	created: CreatedProcess[];
	/** Programs started and not yet ended (by exit or terminate). */
	running(): number;
}

/**
 * The program's files: rw's tree (serveTreeDouble) as node:wasi preopens. `stdinText`:
 * what fd 0 reads when stdin is the terminal rather than a pipe (rw's case).
 */
export function createWasiCoreDouble({ stdinText = '' }: { stdinText?: string } = {}): WasiCoreDouble {
	const created: CreatedProcess[] = [];
	let running = 0;
	const createProcess = async (
		name: string,
		module: WebAssembly.Module | Promise<WebAssembly.Module>,
		memoryOrOptions?: WebAssembly.MemoryDescriptor | WebAssembly.Memory | ProcessOptions,
		maybeOptions?: ProcessOptions,
	): Promise<WasmProcess> => {
		const withMemory = maybeOptions !== undefined;
		const options = (withMemory ? maybeOptions : memoryOrOptions ?? {}) as ProcessOptions;
		created.push({ name, memory: withMemory ? (memoryOrOptions as WebAssembly.MemoryDescriptor) : undefined, options });
		const stdio = options.stdio ?? {};
		const stdin = stdio.in?.kind === 'pipeIn' ? (stdio.in.pipe as unknown as PipeIn) : terminalInput(stdinText);
		const output = (d: typeof stdio.out): PipeOut => {
			if (d === undefined) return { write: async () => {} };
			if (d.kind !== 'pipeOut') throw new Error(`the double writes to pipes only, not to a ${d.kind}`);
			return d.pipe as unknown as PipeOut;
		};
		const outputs = { 1: output(stdio.out), 2: output(stdio.err) };
		const channel = new SharedArrayBuffer(8 + 64 * 1024);
		const control = new Int32Array(channel, 0, 2);
		const preopens = preopensOf(options);
		const loaded = await module;
		// As the Core does for a module that imports its memory: made from the descriptor
		// and kept in the process's `memory` field (where rw's trap watch reads it).
		const shared = withMemory ? new WebAssembly.Memory(memoryOrOptions as WebAssembly.MemoryDescriptor) : undefined;
		let worker: Worker | undefined;
		let ended = false;
		const end = () => {
			// A process terminated before it ran was never counted.
			if (!ended && worker !== undefined) running--;
			ended = true;
		};
		const answer = (length: number) => {
			Atomics.store(control, 1, length);
			Atomics.store(control, 0, 1);
			Atomics.notify(control, 0);
		};
		return {
			memory: shared,
			run: () => {
				running++;
				worker = new Worker(WORKER_SOURCE, {
					eval: true,
					workerData: { module: loaded, args: [name, ...(options.args ?? []).map(String)], env: options.env ?? {}, preopens, channel, shared },
				});
				return new Promise<number>((resolve) => {
					worker!.on('message', async (m: { kind: string; fd: 1 | 2; bytes: Uint8Array; max: number; code: number }) => {
						if (m.kind === 'write') {
							await outputs[m.fd].write(m.bytes);
							answer(0);
						} else if (m.kind === 'read') {
							const chunk = await stdin.read('max', m.max);
							new Uint8Array(channel, 8).set(chunk);
							answer(chunk.length);
						} else {
							end();
							resolve(m.code);
						}
					});
				});
			},
			terminate: async () => {
				await worker?.terminate();
				end();
				return 1;
			},
		} as unknown as WasmProcess;
	};
	return { created, running: () => running, createProcess: createProcess as ProcessFactory['createProcess'] };
}

/** What a program reads from the Web Shell's terminal: `text`, then end of input. */
function terminalInput(text: string): PipeIn {
	let left = new TextEncoder().encode(text);
	return {
		read: async (_mode, size) => {
			const chunk = left.subarray(0, size);
			left = left.subarray(chunk.length);
			return chunk;
		},
	};
}

/**
 * rw's tree (serveTreeDouble) as node:wasi preopens: `/` at fd 3, as in the Core, then
 * each mount at its guest path (where the Core has the one `/`, node:wasi cannot serve
 * a tree; rw's fd_prestat_get wrapper passes a look-up by fd through).
 */
function preopensOf(options: ProcessOptions): Record<string, string> {
	const mount = 'mountPoints' in options && options.mountPoints?.length === 1 ? options.mountPoints[0] : undefined;
	const tree = mount?.kind === 'vscodeFileSystem' && mount.mountPoint === '/' ? treeOf(mount.uri) : undefined;
	if (tree === undefined) throw new Error(`the double mounts only rw's tree at /`);
	// An empty root: a folder of its own, so nothing of the machine shows.
	const preopens: Record<string, string> = { '/': tree.root?.fsPath ?? mkdtempSync(join(tmpdir(), 'rw-empty-root-')) };
	for (const { guest, dir } of tree.mounts) preopens[guest] = dir.fsPath;
	return preopens;
}

/**
 * What crw's handler runs on in Node tests and benchmarks: the built core, the disk, and
 * `wasi` (this double). It mounts plain directories only; --dir's overlay is covered in the e2e.
 */
export function crwHostDouble(wasi: ProcessFactory): CrwHost {
	return {
		core: loadCore,
		files: diskFilesDouble,
		wasi: async () => wasi,
		now: () => performance.now(),
		fileUri: (path) => ({ fsPath: path }) as Uri,
		serveTree: serveTreeDouble,
		home: undefined,
		modules: new ModuleCache(),
	};
}

/** How the crw server serves connections in tests and benchmarks: the built core words refusals. */
export function servingDouble(refusal: Serving['refusal'] = () => undefined): Serving {
	return { refusal, say: async (failure) => (await loadCore()).describe(failure), extensionVersion: '0.1.0' };
}
