// This machine's files, for the `file:` URIs of a Node extension host, from the disk
// itself (the web entry must not import Node built-ins). VS Code's own stat calls a FIFO,
// a socket and a device alike `Unknown`; this names them, for the line rw prints instead
// of reading. And the disk is quicker: in code-server VS Code's file system took 3 to 27
// ms to read the 80 KB of a Rust hello, and each look-up of the program's tree was a round
// trip; the disk takes a fraction of a millisecond.
import { readFile, stat } from 'node:fs/promises';
import type { Uri } from 'vscode';
import type { FileAccess, FileStat } from './readModule';

export async function statLocal(path: string): Promise<FileStat> {
	try {
		const found = await stat(path);
		if (found.isFile()) return { kind: 'file', size: found.size };
		if (found.isDirectory()) return { kind: 'directory' };
		if (found.isFIFO()) return { kind: 'special', what: 'fifo' };
		if (found.isSocket()) return { kind: 'special', what: 'socket' };
		if (found.isCharacterDevice() || found.isBlockDevice()) return { kind: 'special', what: 'device' };
		return { kind: 'special', what: 'other' };
	} catch (error) {
		// Nothing there, a dangling link, or a path through a file.
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
		throw error;
	}
}

/** A file's bytes, in an ArrayBuffer of their own (Node may hand a view of a shared pool). */
export async function readLocal(path: string): Promise<Uint8Array<ArrayBuffer>> {
	const data = await readFile(path);
	const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer;
	return own ? new Uint8Array(data.buffer as ArrayBuffer) : new Uint8Array(data);
}

/** `files` for every URI but `file:` ones, which are this machine's. */
export function localFirst(files: FileAccess): FileAccess {
	const local = (uri: Uri) => uri.scheme === 'file';
	return {
		stat: (uri) => (local(uri) ? statLocal(uri.fsPath) : files.stat(uri)),
		read: (uri) => (local(uri) ? readLocal(uri.fsPath) : files.read(uri)),
	};
}
