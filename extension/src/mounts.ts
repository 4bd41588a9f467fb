// The file system a program sees. Without `--dir` it is the Web Shell's own; with it,
// rw builds one from the workspace folder plus each requested directory, mounted
// where the user asked (wasmtime's `--dir HOST::GUEST`).
import type { MountPointDescriptor, RootFileSystem } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { HostFailure, RunRequest } from './coreTypes';
import type { FileAccess } from './readModule';

export type ProgramFileSystem = { rootFileSystem: RootFileSystem } | { mountPoints: MountPointDescriptor[] };

/**
 * `localDirectory` turns a path outside the shell's file system into a URI where the
 * extension host can reach the machine's disk (desktop, code-server), else undefined.
 */
export async function programFileSystem(
	request: RunRequest,
	rootFileSystem: RootFileSystem,
	files: FileAccess,
	localDirectory: (path: string) => Uri | undefined,
): Promise<ProgramFileSystem | { failure: HostFailure }> {
	if (request.dirs.length === 0) {
		return { rootFileSystem };
	}
	const mountPoints: MountPointDescriptor[] = [{ kind: 'workspaceFolder' }];
	for (const dir of request.dirs) {
		const uri = (await rootFileSystem.toVSCode(dir.host)) ?? localDirectory(dir.host);
		const kind = uri === undefined ? 'missing' : await files.kindOf(uri).catch(() => 'missing' as const);
		if (uri === undefined || kind !== 'directory') {
			return { failure: { kind: 'dirNotFound', dir: dir.typed } };
		}
		mountPoints.push({ kind: 'vscodeFileSystem', uri, mountPoint: dir.guest });
	}
	return { mountPoints };
}
