// Where a path of a program's tree lies: in which directory, and by which segments below
// it. Pure, so that its one promise is testable on its own: whatever the path, the
// segments returned stay inside the directory returned (`..` cannot climb out of it).
//
// The WASM WASI Core hands us paths it has already normalised with `..` clamped at `/`
// of our URI. The tree is served below TREE_ROOT, not at `/`, so a path that climbed
// above the preopen shows up as one outside TREE_ROOT and is refused, as wasmtime
// refuses it, instead of landing somewhere inside the tree.

/** The URI path below which confinedFs.ts serves a tree; the Core mounts it at `/`. */
export const TREE_ROOT = '/tree';

/** A tree as confinedFs.ts serves it; `D` is a host directory (a VS Code URI). */
export interface Tree<D> {
	/** Behind `/`; undefined: an empty directory that holds only the mounts. */
	root: D | undefined;
	/**
	 * Absolute, normalised guest paths, never `/`. `unlisted`: reachable, but not shown in
	 * its parent's listing (the Web Shell's /workspace, which rw adds unasked).
	 */
	mounts: Array<{ guest: string; dir: D; unlisted?: boolean }>;
}

export type Placed<D> =
	| {
			/** The directory the path lies in; undefined for a directory of the tree alone. */
			dir: D | undefined;
			/** Names below `dir`: never empty, `.` or `..`, never holding `/`. */
			rest: string[];
			/** Names of the mounts directly inside this path (a listing shows them). */
			mountsInside: string[];
	  }
	| { outside: string };

/**
 * `uriPath` (a path below TREE_ROOT) placed in `tree`. `windows`: names that Windows
 * reads as separators, drives or devices (`\`, `:`) are refused too.
 */
export function place<D>(tree: Tree<D>, uriPath: string, windows = false): Placed<D> {
	const segments = uriPath.split('/');
	if (segments[0] !== '' || `/${segments[1]}` !== TREE_ROOT) {
		return { outside: 'the path leaves the directories the program was given' };
	}
	const names: string[] = [];
	for (const name of segments.slice(2)) {
		if (name === '' || name === '.') continue;
		if (name === '..') {
			// The Core normalises before we see a path; one that still climbs is not ours.
			return { outside: 'the path leaves the directories the program was given' };
		}
		if (name.includes('\0') || (windows && /[\\:]/.test(name))) {
			return { outside: `the name ${JSON.stringify(name)} is not allowed` };
		}
		names.push(name);
	}
	const guest = `/${names.join('/')}`;
	let best: { guest: string; dir: D | undefined } = { guest: '/', dir: tree.root };
	for (const mount of tree.mounts) {
		if (isInside(mount.guest, guest) && mount.guest.length > best.guest.length) best = mount;
	}
	const depth = best.guest === '/' ? 0 : best.guest.split('/').length - 1;
	return { dir: best.dir, rest: names.slice(depth), mountsInside: mountsInside(tree, guest) };
}

function isInside(dir: string, path: string): boolean {
	return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

function mountsInside<D>(tree: Tree<D>, dir: string): string[] {
	const prefix = dir === '/' ? '/' : `${dir}/`;
	const names = new Set<string>();
	for (const { guest, unlisted } of tree.mounts) {
		if (!unlisted && guest.startsWith(prefix) && guest !== dir) names.add(guest.slice(prefix.length).split('/')[0]!);
	}
	return [...names].sort();
}
