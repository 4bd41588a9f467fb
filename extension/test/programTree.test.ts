// Mounting the program's tree (tree/programTree.ts) as the built core plans it: its
// look-ups go at once, each directory once, and what fails is said in the tree's order
// whichever look-up answers first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Uri } from 'vscode';
import { loadCore } from '../src/core';
import type { HostDir, RunRequest } from '../src/coreTypes';
import type { FileAccess } from '../src/readModule';
import { mountProgramTree, type Locate } from '../src/tree/programTree';
import { serveTreeDouble } from './doubles/webShellDoubles';

const CWD = '/workspace';

async function request(words: string[]): Promise<RunRequest> {
	const command = (await loadCore()).parseCommandLine(words, CWD);
	assert.equal(command.kind, 'run');
	return command as RunRequest;
}

/**
 * A file system where every path is a directory except `missing`, and each look-up answers
 * after `delays[host]` ms (0 by default); `asked` counts the look-ups of each host path, and
 * `load.most` is how many were under way at once at most.
 */
function lookUps(missing: string[] = [], delays: Record<string, number> = {}) {
	const asked = new Map<string, number>();
	const load = { now: 0, most: 0 };
	const locate: Locate = async (dir: HostDir) => {
		asked.set(dir.host, (asked.get(dir.host) ?? 0) + 1);
		load.most = Math.max(load.most, ++load.now);
		await new Promise((resolve) => setTimeout(resolve, delays[dir.host] ?? 0));
		load.now--;
		return { fsPath: dir.host, path: dir.host } as Uri;
	};
	const files = {
		stat: async (uri: Uri) => (missing.includes(uri.fsPath) ? { kind: 'missing' } : { kind: 'directory' }),
	} as Pick<FileAccess, 'stat'> as FileAccess;
	return { locate, files, asked, load };
}

test('the shell\'s cwd, the root and a mount at once, is looked up once', async () => {
	const core = await loadCore();
	const { locate, files, asked } = lookUps();
	const tree = await mountProgramTree(core, await request(['hello.wasm']), { program: 'rw', cwd: CWD }, locate, files, serveTreeDouble);
	assert.ok('mountPoints' in tree);
	assert.deepEqual([...asked], [[CWD, 1]]);
});

test('every directory is looked up at once; the first that fails in the tree\'s order is said', async () => {
	const core = await loadCore();
	const words = ['--dir', '/a::/a', '--dir', '/b::/b', 'hello.wasm'];
	// /b answers first, /a later: /a's failure is still the one said.
	const { locate, files, asked, load } = lookUps(['/a', '/b'], { '/a': 30 });
	const tree = await mountProgramTree(core, await request(words), { program: 'rw', cwd: CWD }, locate, files, serveTreeDouble);
	assert.ok('failure' in tree);
	assert.deepEqual(tree.failure, { kind: 'dirNotFound', dir: '/a' });
	assert.deepEqual([...asked.keys()].sort(), ['/a', '/b', CWD]);
	assert.equal(load.most, 3, 'all three under way at once');
});
