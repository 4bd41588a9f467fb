// The module FILE is read only when it is a regular file of at most 1 GiB: a FIFO, a
// socket, a device or a huge file gets the core's one line and 126, and is never read
// (a FIFO would block, /dev/zero never ends, either would fill the extension host).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Uri } from 'vscode';
import { loadCore } from '../src/core';
import type { CrwRun } from '../src/crw/connection';
import { createCrwHandler } from '../src/crw/crwRun';
import type { HostFailure, Target } from '../src/coreTypes';
import { localFirst } from '../src/localFiles';
import { fileStatOf, MAX_MODULE_BYTES, readModule, type FileAccess, type FileStat } from '../src/readModule';
import { createWasiCoreDouble, crwHostDouble } from './doubles/wasiCoreDouble';
import { shell } from './shell';

let dir: string;
let socket: net.Server;

before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'rw-read-'));
	execFileSync('mkfifo', [join(dir, 'pipe.wasm')]);
	writeFileSync(join(dir, 'ok.wasm'), '\0asm\x01\0\0\0');
	mkdirSync(join(dir, 'adir'));
	symlinkSync(join(dir, 'gone.wasm'), join(dir, 'dangling.wasm'));
	symlinkSync(join(dir, 'pipe.wasm'), join(dir, 'to-pipe.wasm'));
	// Sparse: a size on paper, no disk.
	writeFileSync(join(dir, 'huge.wasm'), '');
	truncateSync(join(dir, 'huge.wasm'), MAX_MODULE_BYTES + 1);
	socket = net.createServer();
	await new Promise<void>((resolve) => socket.listen(join(dir, 'sock.wasm'), resolve));
});

after(async () => {
	await new Promise((resolve) => socket.close(resolve));
	rmSync(dir, { recursive: true, force: true });
});

function request(file: string): Target {
	return { file, path: file.startsWith('/') ? file : join(dir, file), programName: file, args: [] };
}

/** VS Code's file system over `stat`, whose read() fails the test unless `readable`. */
function filesOf(stat: (uri: Uri) => Promise<FileStat>, readable = false): FileAccess {
	return {
		stat,
		read: async () => (readable ? new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) : assert.fail('must not be read')),
	};
}

/**
 * The Node host's files (localFiles.ts: `file:` URIs stat'ed on the disk), but read by
 * `files` (a sparse 1 GiB file is never really read).
 */
const statOnDisk = (files: FileAccess): FileAccess => ({ ...localFirst(files), read: files.read });

/** The shell's file system: every path a `file:` URI. */
const disk = async (target: Target) => ({ scheme: 'file', fsPath: target.path }) as Uri;

async function failureOf(file: string, files = statOnDisk(filesOf(async () => assert.fail('file: URIs are stat\'ed on the disk')))) {
	const read = await readModule(request(file), dir, disk, files);
	assert.ok('failure' in read, `${file} was read`);
	return read.failure;
}

test('a FIFO, a link to one, a socket and /dev/zero are named and never read', async () => {
	assert.deepEqual(await failureOf('pipe.wasm'), { kind: 'notAFile', file: 'pipe.wasm', what: 'fifo' });
	assert.deepEqual(await failureOf('to-pipe.wasm'), { kind: 'notAFile', file: 'to-pipe.wasm', what: 'fifo' });
	assert.deepEqual(await failureOf('sock.wasm'), { kind: 'notAFile', file: 'sock.wasm', what: 'socket' });
	assert.deepEqual(await failureOf('/dev/zero'), { kind: 'notAFile', file: '/dev/zero', what: 'device' });
});

test('a file over 1 GiB is never read; one at the limit is', async () => {
	assert.deepEqual(await failureOf('huge.wasm'), { kind: 'tooLarge', file: 'huge.wasm', size: MAX_MODULE_BYTES + 1 });
	truncateSync(join(dir, 'huge.wasm'), MAX_MODULE_BYTES);
	const read = await readModule(request('huge.wasm'), dir, disk, statOnDisk(filesOf(async () => assert.fail(), true)));
	assert.ok('bytes' in read);
	truncateSync(join(dir, 'huge.wasm'), MAX_MODULE_BYTES + 1);
});

test('a directory, nothing and a dangling link keep their own lines; a file is read', async () => {
	assert.deepEqual(await failureOf('adir'), { kind: 'isDirectory', file: 'adir' });
	assert.deepEqual(await failureOf('nothing.wasm'), { kind: 'notFound', file: 'nothing.wasm', cwd: dir });
	assert.deepEqual(await failureOf('dangling.wasm'), { kind: 'notFound', file: 'dangling.wasm', cwd: dir });
	assert.deepEqual(await failureOf('ok.wasm/x'), { kind: 'notFound', file: 'ok.wasm/x', cwd: dir });
	const read = await readModule(request('ok.wasm'), dir, disk, statOnDisk(filesOf(async () => assert.fail(), true)));
	assert.ok('bytes' in read && read.bytes.length === 8);
});

test('the Node host reads and looks up a file: URI on the disk, into a buffer of its own', async () => {
	const files = localFirst(filesOf(async () => assert.fail()));
	const read = await readModule(request('ok.wasm'), dir, disk, files);
	assert.ok('bytes' in read);
	assert.deepEqual([...read.bytes], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
	assert.equal(read.bytes.buffer.byteLength, 8, 'not a view of a pool another read shares');
	const uri = (path: string) => ({ scheme: 'file', fsPath: join(dir, path) }) as Uri;
	assert.deepEqual(
		(await Promise.all(['adir', 'ok.wasm', 'nothing', 'pipe.wasm'].map((p) => files.stat(uri(p))))).map((s) => s.kind),
		['directory', 'file', 'missing', 'special'],
	);
});

test('elsewhere (the web), VS Code\'s stat decides: its Unknown is never read', async () => {
	const web = async (target: Target) => ({ scheme: 'vscode-vfs', path: target.path }) as unknown as Uri;
	const as = (type: number, size = 0) => filesOf(async () => fileStatOf({ type, size }), true);
	const unknown = await readModule(request('/p.wasm'), '/', web, as(0));
	assert.deepEqual(unknown, { failure: { kind: 'notAFile', file: '/p.wasm', what: 'other' } });
	const huge = await readModule(request('/p.wasm'), '/', web, as(1, 2 ** 31));
	assert.deepEqual(huge, { failure: { kind: 'tooLarge', file: '/p.wasm', size: 2 ** 31 } });
	const directoryLink = await readModule(request('/d'), '/', web, as(2 | 64));
	assert.deepEqual(directoryLink, { failure: { kind: 'isDirectory', file: '/d' } });
	const fileLink = await readModule(request('/p.wasm'), '/', web, as(1 | 64, 8));
	assert.ok('bytes' in fileLink);
});

test('the core words each: one line naming the file, 126; the limit it names is this one', async () => {
	const core = await loadCore();
	const failures: Array<Extract<HostFailure, { file: string }>> = [
		{ kind: 'notAFile', file: 'p', what: 'fifo' },
		{ kind: 'notAFile', file: 's', what: 'socket' },
		{ kind: 'notAFile', file: '/dev/zero', what: 'device' },
		{ kind: 'notAFile', file: 'o', what: 'other' },
		{ kind: 'tooLarge', file: 'big.wasm', size: 2 ** 40 },
	];
	for (const failure of failures) {
		const said = core.describe(failure);
		assert.equal(said.code, 126, said.line);
		assert.match(said.line, /^rw: \S+: is .*; /);
		assert.ok(said.line.startsWith(`rw: ${failure.file}: `), said.line);
	}
	assert.match(core.describe(failures[2]!).line, /^rw: \/dev\/zero: is a device, not a regular file; /);
	assert.ok(core.describe(failures[4]!).line.includes(`is ${2 ** 40} bytes, more than the ${MAX_MODULE_BYTES} (1 GiB)`));
});

test('rw on a FIFO in the workspace: one line, 126, the shell is free (no hang)', async () => {
	const sh = shell();
	execFileSync('mkfifo', [join(sh.root, 'p.wasm')]);
	assert.equal(await sh.rw('p.wasm'), 126);
	assert.equal(sh.terminal.text, 'rw: p.wasm: is a named pipe (FIFO), not a regular file; rw reads a module only from a file: save it to one and name that\n');
	assert.equal(await sh.rw('hello.wasm after'), 0);
});

test('crw on /dev/zero and on a FIFO: one line each, 126, never a read', async () => {
	const handler = createCrwHandler(crwHostDouble(createWasiCoreDouble()));
	for (const [file, line] of [
		['/dev/zero', 'rw: /dev/zero: is a device, not a regular file; '],
		['pipe.wasm', 'rw: pipe.wasm: is a named pipe (FIFO), not a regular file; '],
	] as const) {
		let stderr = '';
		const output = (onText: (text: string) => void) => ({ write: async (text: string | Uint8Array) => onText(String(text)) });
		const run = {
			request: { type: 'request', cwd: dir, argv: [file], terminals: { stdin: false, stdout: false, stderr: false } },
			stdin: {},
			stdout: output(() => assert.fail('nothing on stdout')),
			stderr: output((text) => (stderr += text)),
			stopped: new Promise<void>(() => undefined),
		} as unknown as CrwRun;
		assert.equal(await handler(run), 126, stderr);
		assert.ok(stderr.startsWith(line) && stderr.endsWith('\n') && stderr.split('\n').length === 2, stderr);
	}
});
