// From the core's tree (crate/src/tree.rs: which host directory at which guest path) to
// the one the program is served (place.ts, with VS Code URIs), and how the WASM WASI
// Core mounts it: one mount at `/`, our own file system (confinedFs.ts).
import type { MountPointDescriptor } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import type { Core } from '../core';
import type { HostDir, HostFailure, RunRequest, ExitLine, Shell } from '../coreTypes';
import type { FileAccess } from '../readModule';
import type { Tree } from './place';

/** A host directory as a URI the extension host can reach, or why it may not be used. */
export type Locate = (dir: HostDir) => Promise<Uri | undefined | { failure: HostFailure }>;

/** Serves a tree until released (confinedFs.ts, or a double in tests). */
export type ServeTree = (tree: Tree<Uri>) => { uri: Uri; release(): void };

export interface MountedTree {
	mountPoints: MountPointDescriptor[];
	release(): void;
}

export async function mountProgramTree(
	core: Core,
	request: RunRequest,
	shell: Shell,
	locate: Locate,
	files: FileAccess,
	serve: ServeTree,
): Promise<MountedTree | { failure: HostFailure } | { refusal: ExitLine }> {
	const planned = core.programTree(request, shell);
	if (planned.kind === 'refuse') {
		return { refusal: planned };
	}
	// Every look-up is a round trip to a file system (two in code-server, through the
	// browser), so all of them go at once, and a directory named twice is looked up once:
	// a plain `rw prog.wasm` is the shell's cwd both as the root and at its own path. What
	// fails is still said in the tree's order.
	const lookUps = new Map<string, ReturnType<typeof directory>>();
	const lookUp = (dir: HostDir) => {
		const key = JSON.stringify([dir.host, dir.typed, dir.implied]);
		let found = lookUps.get(key);
		if (found === undefined) lookUps.set(key, (found = directory(dir, locate, files)));
		return found;
	};
	const [root, ...mounts] = await Promise.all([planned.root, ...planned.mounts.map((m) => m.dir)].map(lookUp));
	if (typeof root === 'object' && 'failure' in root) return root;
	const tree: Tree<Uri> = { root, mounts: [] };
	for (const [i, mount] of planned.mounts.entries()) {
		const dir = mounts[i];
		if (typeof dir === 'object' && 'failure' in dir) return dir;
		if (dir !== undefined) tree.mounts.push({ guest: mount.guest, dir, unlisted: mount.dir.implied });
	}
	const served = serve(tree);
	return { mountPoints: [{ kind: 'vscodeFileSystem', uri: served.uri, mountPoint: '/' }], release: served.release };
}

/** An implied directory that is not there is left out; one the user named must be there. */
async function directory(dir: HostDir, locate: Locate, files: FileAccess): Promise<Uri | undefined | { failure: HostFailure }> {
	const located = await locate(dir);
	if (located !== undefined && 'failure' in located) return located;
	const found = located === undefined ? undefined : await files.stat(located).catch(() => undefined);
	if (located !== undefined && found?.kind === 'directory') return located;
	return dir.implied ? undefined : { failure: { kind: 'dirNotFound', dir: dir.typed } };
}
