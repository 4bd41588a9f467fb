// Reads the .wasm file a command names, found where its host says (the Web Shell's root
// file system for rw, this machine's disk for crw), through its host's FileAccess. Every
// way this can fail is returned as a HostFailure for the core to word, never thrown. Only
// a regular file of at most MAX_MODULE_BYTES is read: a FIFO or a socket may block for
// ever, /dev/zero never ends, and a file of gigabytes would fill the extension host's memory.
import type { Uri } from 'vscode';
import type { HostFailure, Target } from './coreTypes';

/**
 * The largest module rw reads: the JS API's limit on a module's bytes (1 GiB, V8's
 * `kV8MaxWasmModuleSize`); no engine compiles a bigger one. crate/src/limits.rs
 * MAX_MODULE_BYTES, which the core's message names.
 */
export const MAX_MODULE_BYTES = 2 ** 30;

/** What is at a URI, links followed. */
export type FileStat =
	| { kind: 'file'; size: number }
	| { kind: 'directory' }
	| { kind: 'missing' }
	| { kind: 'special'; what: 'fifo' | 'socket' | 'device' | 'other' };

/**
 * The part of `vscode.workspace.fs` rw uses; in the Node host, this machine's disk for the
 * `file:` URIs (localFiles.ts).
 */
export interface FileAccess {
	/**
	 * What is there: what readModule asks before it reads, and the program tree of each
	 * directory (tree/programTree.ts). VS Code's own stat calls a FIFO, a socket and a
	 * device alike `Unknown`; the Node host's names them (localFiles.ts).
	 */
	stat(uri: Uri): Promise<FileStat>;
	read(uri: Uri): Promise<Uint8Array<ArrayBuffer>>;
}

/** `vscode.FileType`'s bits (the `vscode` module is not loaded here, only its types). */
const FILE_TYPE_FILE = 1;
const FILE_TYPE_DIRECTORY = 2;

/**
 * A `vscode.FileStat` as a FileStat. VS Code's disk provider calls a FIFO, a socket or a
 * device `FileType.Unknown` (0): anything neither File nor Directory is never read.
 */
export function fileStatOf(stat: { type: number; size: number }): FileStat {
	if (stat.type & FILE_TYPE_DIRECTORY) return { kind: 'directory' };
	if (stat.type & FILE_TYPE_FILE) return { kind: 'file', size: stat.size };
	return { kind: 'special', what: 'other' };
}

/** The module file as a URI the extension host reads; undefined where there is none. */
export type FindModule = (target: Target) => Promise<Uri | undefined>;

/** `cwd`: the shell's, where a relative FILE that is not there was looked for. */
export async function readModule(
	target: Target,
	cwd: string,
	find: FindModule,
	files: FileAccess,
): Promise<{ bytes: Uint8Array<ArrayBuffer> } | { failure: HostFailure }> {
	const file = target.file;
	try {
		const uri = await find(target);
		const stat: FileStat = uri === undefined ? { kind: 'missing' } : await files.stat(uri);
		switch (stat.kind) {
			case 'missing':
				return { failure: { kind: 'notFound', file, cwd } };
			case 'directory':
				return { failure: { kind: 'isDirectory', file } };
			case 'special':
				return { failure: { kind: 'notAFile', file, what: stat.what } };
		}
		if (stat.size > MAX_MODULE_BYTES) {
			return { failure: { kind: 'tooLarge', file, size: stat.size } };
		}
		const bytes = await files.read(uri!);
		// It may have grown since.
		if (bytes.length > MAX_MODULE_BYTES) {
			return { failure: { kind: 'tooLarge', file, size: bytes.length } };
		}
		return { bytes };
	} catch (error) {
		return { failure: { kind: 'unreadable', file, reason: reasonOf(error) } };
	}
}

/** The message of an error, on one line. */
export function reasonOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split(/\r?\n/)[0] ?? '';
}
