// TEST DOUBLE of the WASM WASI Core's process API (`Wasm.createProcess`), backed by
// Node's own preview1 runtime (node:wasi) in a worker thread, so the handler's tests
// run real WASI programs without VS Code. It mimics what we measured of Core 1.0.2:
// a trap or a link error never settles run(), and terminate() answers 1.
import { mkdtempSync, openSync, readFileSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProcessOptions, WasmProcess } from '@vscode/wasm-wasi/v1';
import type { ProcessFactory } from '../../src/runProcess';
import { WORKSPACE, type TerminalDouble } from './webShellDoubles';

const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const { module, args, env, preopens, stdin, stdout, stderr } = workerData;
const wasi = new WASI({ version: 'preview1', args, env, preopens, stdin, stdout, stderr, returnOnExit: true });
let exit;
try {
	exit = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
} catch (error) {
	// The real Core logs a trap or LinkError in its worker and never reports back.
	exit = undefined;
}
if (exit !== undefined) parentPort.postMessage(exit);
`;

export interface CreatedProcess {
	name: string;
	memory: WebAssembly.MemoryDescriptor | WebAssembly.Memory | undefined;
	options: ProcessOptions;
}

export interface WasiCoreDouble extends ProcessFactory {
	/** Every createProcess call, in order. */
	created: CreatedProcess[];
}

/** `root` is the host folder behind the shell's /workspace; `stdinText` feeds fd 0. */
export function createWasiCoreDouble(root: string, stdinText = ''): WasiCoreDouble {
	const created: CreatedProcess[] = [];
	const createProcess = async (
		name: string,
		module: WebAssembly.Module | Promise<WebAssembly.Module>,
		memoryOrOptions?: WebAssembly.MemoryDescriptor | WebAssembly.Memory | ProcessOptions,
		maybeOptions?: ProcessOptions,
	): Promise<WasmProcess> => {
		const withMemory = maybeOptions !== undefined;
		const options = (withMemory ? maybeOptions : memoryOrOptions ?? {}) as ProcessOptions;
		const memory = withMemory ? (memoryOrOptions as WebAssembly.MemoryDescriptor) : undefined;
		created.push({ name, memory, options });
		return new ProcessDouble(name, await module, options, root, stdinText);
	};
	return { created, createProcess: createProcess as ProcessFactory['createProcess'] };
}

class ProcessDouble implements WasmProcess {
	readonly stdin = undefined;
	readonly stdout = undefined;
	readonly stderr = undefined;
	private worker: Worker | undefined;
	private flushed: Promise<void> | undefined;
	private readonly dir = mkdtempSync(join(tmpdir(), 'rw-double-'));

	constructor(
		private readonly name: string,
		private readonly module: WebAssembly.Module,
		private readonly options: ProcessOptions,
		private readonly root: string,
		private readonly stdinText: string,
	) {}

	run(): Promise<number> {
		writeFileSync(join(this.dir, 'stdin'), this.stdinText);
		const fds = {
			stdin: openSync(join(this.dir, 'stdin'), 'r'),
			stdout: openSync(join(this.dir, 'stdout'), 'w+'),
			stderr: openSync(join(this.dir, 'stderr'), 'w+'),
		};
		const args = [this.name, ...(this.options.args ?? []).map(String)];
		this.worker = new Worker(WORKER_SOURCE, {
			eval: true,
			workerData: { module: this.module, args, env: this.options.env ?? {}, preopens: this.preopens(), ...fds },
		});
		return new Promise<number>((resolve) => {
			this.worker!.once('message', async (exit: number) => {
				await (this.flushed ??= this.flush(fds));
				resolve(exit);
			});
			// A trap ends the worker without a message: run() stays pending, as in the Core.
			// Flush once only: a second close could hit an fd number reused by a later run.
			this.worker!.once('exit', () => void (this.flushed ??= this.flush(fds)));
		});
	}

	/** The Web Shell's root file system shows the workspace; mount points as the Core mounts them. */
	private preopens(): Record<string, string> {
		if (!('mountPoints' in this.options) || this.options.mountPoints === undefined) {
			return { [WORKSPACE]: this.root };
		}
		const preopens: Record<string, string> = {};
		for (const mount of this.options.mountPoints) {
			if (mount.kind === 'workspaceFolder') preopens[WORKSPACE] = this.root;
			else if (mount.kind === 'vscodeFileSystem') preopens[mount.mountPoint] = mount.uri.fsPath;
			else throw new Error(`the double does not mount ${mount.kind}`);
		}
		return preopens;
	}

	async terminate(): Promise<number> {
		await this.worker?.terminate();
		return 1;
	}

	/** Copies what the program wrote to the shell's terminal, as the Core streams it. */
	private async flush(fds: { stdin: number; stdout: number; stderr: number }): Promise<void> {
		const { stdio } = this.options;
		for (const [fd, target] of [[fds.stdout, stdio?.out], [fds.stderr, stdio?.err]] as const) {
			const text = readFileSync(fd === fds.stdout ? join(this.dir, 'stdout') : join(this.dir, 'stderr'), 'utf8');
			if (target?.kind === 'terminal' && text.length > 0) {
				await (target.terminal as unknown as TerminalDouble).write(text);
			} else if (target?.kind === 'pipeOut' && text.length > 0) {
				// The Core's pipe driver awaits write() on the pipe object it was given.
				await (target.pipe as unknown as { write(chunk: Uint8Array): Promise<void> }).write(new TextEncoder().encode(text));
			}
		}
		for (const fd of Object.values(fds)) {
			closeSync(fd);
		}
	}
}
