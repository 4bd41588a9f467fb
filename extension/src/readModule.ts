// Reads the .wasm file a command names, through the Web Shell's root file system
// (shell path → VS Code URI) and VS Code's file system. Every way this can fail is
// returned as a HostFailure for the core to word, never thrown.
import type { RootFileSystem } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { HostFailure, RunRequest } from './coreTypes';

/** The part of `vscode.workspace.fs` rw uses. */
export interface FileAccess {
	/** 'missing' when nothing is there. */
	kindOf(uri: Uri): Promise<'file' | 'directory' | 'missing'>;
	read(uri: Uri): Promise<Uint8Array<ArrayBuffer>>;
}

export async function readModule(
	request: RunRequest,
	cwd: string,
	rootFileSystem: Pick<RootFileSystem, 'toVSCode'>,
	files: FileAccess,
): Promise<{ bytes: Uint8Array<ArrayBuffer> } | { failure: HostFailure }> {
	const file = request.file;
	try {
		const uri = await rootFileSystem.toVSCode(request.path);
		const kind = uri === undefined ? 'missing' : await files.kindOf(uri);
		if (uri === undefined || kind === 'missing') {
			return { failure: { kind: 'notFound', file, cwd } };
		}
		if (kind === 'directory') {
			return { failure: { kind: 'isDirectory', file } };
		}
		return { bytes: await files.read(uri) };
	} catch (error) {
		return { failure: { kind: 'unreadable', file, reason: reasonOf(error) } };
	}
}

/** The message of an error, on one line. */
export function reasonOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split(/\r?\n/)[0] ?? '';
}
