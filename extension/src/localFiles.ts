// What is at a path of this machine, from the disk itself (Node extension host only: the
// web entry must not import Node built-ins). VS Code's own stat calls a FIFO, a socket and
// a device alike `Unknown`; this names them, for the line rw prints instead of reading.
import { stat } from 'node:fs/promises';
import type { FileStat } from './readModule';

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
