// Where a path of a program's tree lies (src/tree/place.ts): the cwd or `--dir HOST::/`
// at `/`, each mount at its guest path, directories above a mount that exist only to
// hold it; and, for any path and any layout, never a name that climbs out.
import assert from 'node:assert/strict';
import * as nodePath from 'node:path';
import { test } from 'node:test';
import { place, TREE_ROOT, type Tree } from '../src/tree/place';

const tree: Tree<string> = {
	root: '/home/me/proj',
	mounts: [
		{ guest: '/data', dir: '/srv/data' },
		{ guest: '/srv/x', dir: '/opt/x' },
		{ guest: '/data/inner', dir: '/mnt/inner' },
	],
};

/** The host path `path` (a guest path) lands on, or what refused it. */
function host(path: string, windows = false): string {
	const placed = place(tree, `${TREE_ROOT}${path}`, windows);
	if ('outside' in placed) return `refused: ${placed.outside}`;
	return nodePath.posix.join(placed.dir ?? '<tree>', ...placed.rest);
}

test("paths outside every mount are the root's", () => {
	assert.equal(host('/notes.txt'), '/home/me/proj/notes.txt');
	assert.equal(host('/database'), '/home/me/proj/database', 'a longer name is not inside /data');
	assert.equal(host('//a/./b/'), '/home/me/proj/a/b');
});

test('a mount, and the longest one wins', () => {
	assert.equal(host('/data'), '/srv/data');
	assert.equal(host('/data/a/b.txt'), '/srv/data/a/b.txt');
	assert.equal(host('/data/inner/c'), '/mnt/inner/c');
	assert.equal(host('/srv/x/y'), '/opt/x/y');
	assert.equal(host('/srv'), '/home/me/proj/srv');
});

test('a path that climbed above the tree, or holds a NUL, is refused', () => {
	// The Core clamps `..` at `/` of our URI, so an escape arrives outside TREE_ROOT.
	assert.match(host('/../../etc/passwd'), /^refused/);
	assert.ok('outside' in place(tree, '/etc/passwd'));
	assert.ok('outside' in place(tree, '/'));
	assert.ok('outside' in place(tree, '/treetop/x'));
	assert.ok('outside' in place(tree, `${TREE_ROOT}/a/../../b`), 'a `..` that is still there');
	assert.match(host('/a\0b'), /^refused/);
});

test('on Windows, drive letters, separators and streams inside a name are refused', () => {
	for (const name of ['C:', 'a\\..\\..\\x', 'file:stream', '\\\\server\\share']) {
		assert.match(host(`/${name}`, true), /^refused/, name);
		assert.doesNotMatch(host(`/${name}`, false), /^refused/, `${name} is a plain name elsewhere`);
	}
});

test('listings show the mounts directly inside a directory', () => {
	const inside = (path: string) => {
		const placed = place(tree, `${TREE_ROOT}${path}`);
		return 'outside' in placed ? undefined : placed.mountsInside;
	};
	assert.deepEqual(inside('/'), ['data', 'srv']);
	assert.deepEqual(inside('/srv'), ['x']);
	assert.deepEqual(inside('/data'), ['inner']);
	assert.deepEqual(inside('/srv/x'), []);
});

test('a mount rw added unasked is reachable but not listed', () => {
	const withWorkspace: Tree<string> = { root: '/cwd', mounts: [{ guest: '/workspace', dir: '/w', unlisted: true }] };
	const root = place(withWorkspace, `${TREE_ROOT}/`);
	assert.ok(!('outside' in root) && root.mountsInside.length === 0);
	const inside = place(withWorkspace, `${TREE_ROOT}/workspace/x`);
	assert.ok(!('outside' in inside) && inside.dir === '/w');
});

test('an empty root holds only its mounts', () => {
	const placed = place({ root: undefined, mounts: [{ guest: '/workspace', dir: '/w' }] }, `${TREE_ROOT}/etc/passwd`);
	assert.ok(!('outside' in placed) && placed.dir === undefined);
});

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test('property: for any segments and any layout, the path lands inside the directory placed', () => {
	const next = random(11);
	const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
	const names = ['a', 'b', 'data', 'x', '..', '.', '', '...', 'a..', '\0', 'C:', '\\', 'c\\..', '%2e%2e'];
	for (let round = 0; round < 20_000; round++) {
		const mounts = Array.from({ length: Math.floor(next() * 4) }, (_, i) => ({
			guest: `/${Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(['a', 'b', 'data'])).join('/')}`,
			dir: `/host${i}`,
		}));
		const layout: Tree<string> = { root: next() < 0.8 ? '/hostroot' : undefined, mounts };
		const segments = Array.from({ length: Math.floor(next() * 7) }, () => pick(names));
		const windows = next() < 0.5;
		// What the Core hands us: the path joined below our root and normalised (`..` clamped at `/`).
		const uriPath = next() < 0.5 ? nodePath.posix.join(TREE_ROOT, ...segments) : [TREE_ROOT, ...segments].join('/');
		const placed = place(layout, uriPath, windows);
		if ('outside' in placed) continue;
		const dirs = [layout.root, ...mounts.map((m) => m.dir)];
		assert.ok(dirs.includes(placed.dir), `${uriPath}: a directory of the layout`);
		for (const name of placed.rest) {
			assert.ok(name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('\0'), `${uriPath}: ${name}`);
			if (windows) assert.ok(!/[\\:]/.test(name), `${uriPath}: ${name}`);
		}
		if (placed.dir !== undefined) {
			const landed = nodePath.posix.join(placed.dir, ...placed.rest);
			assert.ok(landed === placed.dir || landed.startsWith(`${placed.dir}/`), `${uriPath} → ${landed}`);
		}
	}
});
