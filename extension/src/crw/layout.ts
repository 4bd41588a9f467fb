// The file system a crw program sees: the shell's current directory is its `/`, and each
// `--dir HOST::GUEST` appears at GUEST inside it (the WASM WASI Core cannot mount `/`
// beside other directories, so overlay.ts serves this layout as one file system).
import * as nodePath from 'node:path';

export interface Layout {
	/** This machine's directory behind `/`. */
	root: string;
	/** Guest path (absolute, normalised, POSIX) → this machine's directory. */
	mounts: Map<string, string>;
}

/** `path` as a normalised absolute POSIX path (`..` stops at `/`). */
export function guestPath(path: string): string {
	return nodePath.posix.resolve('/', path);
}

/**
 * Where a guest path lives on this machine, and the names of mounts directly inside it
 * (a listing shows them; a directory that holds only mounts, e.g. `/srv` for
 * `--dir x::/srv/x`, exists for the program though not on disk).
 */
export interface Place {
	host: string;
	mountsInside: string[];
}

export function place(layout: Layout, path: string): Place {
	const guest = guestPath(path);
	let base = '/';
	let host = layout.root;
	for (const [mount, dir] of layout.mounts) {
		if ((guest === mount || guest.startsWith(`${mount}/`)) && mount.length > base.length) {
			[base, host] = [mount, dir];
		}
	}
	const rest = guest.slice(base.length).split('/').filter((part) => part.length > 0);
	return { host: nodePath.join(host, ...rest), mountsInside: mountsInside(layout, guest) };
}

function mountsInside(layout: Layout, dir: string): string[] {
	const prefix = dir === '/' ? '/' : `${dir}/`;
	const names = new Set<string>();
	for (const mount of layout.mounts.keys()) {
		if (mount.startsWith(prefix) && mount !== dir) names.add(mount.slice(prefix.length).split('/')[0]!);
	}
	return [...names].sort();
}
