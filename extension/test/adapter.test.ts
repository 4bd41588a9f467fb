// Modules the WASM WASI Core cannot link as they are, adapted by the built core and run
// in a real preview1 runtime (node:wasi, through the Core TEST DOUBLE): their output
// proves the translation (the same programs print wrong values without it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shell } from './shell';

/** Runs `rw LINE` and returns its exit code and what the terminal shows. */
async function rw(line: string): Promise<{ code: number; text: string }> {
	const sh = shell();
	const code = await sh.rw(line);
	return { code, text: sh.terminal.text };
}

test('wasi_unstable fd_seek: snapshot 0 whence values reach preview1 right', async () => {
	const { code, text } = await rw('unstable_seek.wasm');
	assert.equal(code, 0, text);
	assert.equal(text, 'seek set -> 5\nseek cur -> 8\nseek end -> 11\ntell -> 11\nread ter\nseek whence 3 -> errno 28\n');
});

test('wasi_unstable filestat: 56-byte records with a u32 link count, nothing written past them', async () => {
	const { code, text } = await rw('unstable_filestat.wasm');
	assert.equal(code, 0, text);
	const lines = ['filetype 4', 'nlink 1', 'size 15', 'mtim is after 2001: 1', 'guard intact: 1'];
	assert.equal(text, [...lines, ...lines.map((l) => `path ${l}`)].join('\n') + '\n');
});

test('wasi_unstable poll_oneoff: clock subscriptions with their identifier', async () => {
	const { code, text } = await rw('unstable_poll.wasm');
	assert.equal(code, 0, text);
	assert.equal(text, 'poll: events 1\npoll: userdata 42\npoll: error 0\npoll: type 0\npoll: subscriptions intact: 1\n');
});

test('wasi_unstable functions with the preview1 ABI are re-pointed', async () => {
	const { code, text } = await rw('--env RW_X=y unstable_args.wasm one "two words"');
	assert.equal(code, 0, text);
	assert.match(text, /^argc 3\narg 0: unstable_args\.wasm\narg 1: one\narg 2: two words\nenv RW_X=y\nrealtime is after 2001: 1\nrandom_get: 0\n$/);
});

test('the preview1 functions the Core lacks return ENOSYS', async () => {
	const { code, text } = await rw('preview1_missing.wasm');
	assert.equal(code, 0, text);
	assert.equal(text, 'proc_raise -> 52\nfd_fdstat_set_rights -> 52\nwasi_unstable proc_raise -> 52\n');
});

test('a called stub says which import and ends the program with 134', async () => {
	for (const name of ['unknown_called', 'unknown_shifted']) {
		const { code, text } = await rw(`--stub-unknown-imports ${name}.wasm`);
		assert.equal(code, 134, `${name}: ${text}`);
		assert.match(text, new RegExp(`rw: ${name}\\.wasm called unsupported import env\\.(now|f)\\n$`), name);
	}
});

test('stubs that are never called cost nothing', async () => {
	const { code, text } = await rw('--stub-unknown-imports unknown_uncalled.wasm');
	assert.equal(code, 0, text);
	assert.equal(text, 'unknown imports not called: 1\n');
});

test('without --stub-unknown-imports unknown imports are refused with the hint', async () => {
	const { code, text } = await rw('unknown_called.wasm');
	assert.equal(code, 126);
	assert.match(text, /^rw: unknown_called\.wasm: imports what no WASI host provides: env \(js_callback, now\); run it with --stub-unknown-imports/);
});

test('--dir mounts a directory where the program asks for it', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--dir sub::/mnt/notes ls.wasm /mnt/notes'), 0, sh.terminal.text);
	assert.equal(sh.terminal.text, 'note.txt\n');
	const missing = shell();
	assert.equal(await missing.rw('--dir nowhere ls.wasm /'), 2);
	assert.match(missing.terminal.text, /^rw: --dir nowhere: no such directory; /);
	assert.equal(missing.wasi.created.length, 0);
});

test('--explain says what rw would do, and runs nothing', async () => {
	const sh = shell();
	assert.equal(await sh.rw('--explain unstable_seek.wasm'), 0);
	assert.match(sh.terminal.text, /^module: unstable_seek\.wasm, a core WebAssembly module of \d+ bytes\n/);
	assert.match(sh.terminal.text, /\nadapt: wasi_unstable\.fd_seek: shim: /);
	assert.match(sh.terminal.text, /\nrun: yes\n/);
	assert.equal(sh.wasi.created.length, 0);
});

test('fd_write with many iovecs is split for the Core and still reports the sum', async () => {
	const { code, text } = await rw('iovecs.wasm');
	assert.equal(code, 0, text);
	assert.equal(text, 'one\nnwritten right\ntwo\nnwritten right\nAAAABBBBCCCC\nnwritten right\n0123456789abcde\nnwritten right\n');
});
