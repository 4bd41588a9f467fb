// Keys of the compiled-module cache that rw and crw share: the bytes' hash and the core's
// module key, so what changes the rewrite changes the key, and nothing else does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from '../src/core';
import type { Terminals } from '../src/coreTypes';
import { ModuleCache } from '../src/moduleCache';
import { fixture } from './fixtures';

/** The cache key of `bytes` run by `rw WORDS`, or by `crw WORDS` with `terminals`. */
async function key(words: string[], terminals?: Terminals, bytes = fixture('hello')): Promise<string> {
	const core = await loadCore();
	const command = terminals === undefined ? core.parseCommandLine(words, '/workspace') : core.parseCrwCommandLine(words, '/workspace', terminals);
	assert.ok(command.kind === 'run');
	return ModuleCache.key(bytes, core.moduleKey(command));
}

test('crw in a terminal finds what rw compiled; a pipe or other flags do not', async () => {
	const rw = await key(['hello.wasm']);
	assert.equal(await key(['hello.wasm'], { stdin: true, stdout: true, stderr: true }), rw);
	assert.equal(await key(['hello.wasm', 'other', 'args']), rw, 'arguments do not change the module');
	assert.notEqual(await key(['hello.wasm'], { stdin: true, stdout: false, stderr: true }), rw);
	assert.notEqual(await key(['--stub-unknown-imports', 'hello.wasm']), rw);
	assert.notEqual(await key(['other.wasm']), rw, 'the trap message names the file');
	assert.notEqual(await key(['hello.wasm'], undefined, fixture('exit')), rw);
});
