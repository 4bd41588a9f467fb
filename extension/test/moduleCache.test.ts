// Keys of the compiled-module cache that rw and crw share: what changes the rewrite
// must change the key, and nothing else may.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from '../src/core';
import type { RunRequest } from '../src/coreTypes';
import { ModuleCache } from '../src/moduleCache';
import { fixture } from './fixtures';

async function request(words: string[], terminals?: RunRequest['terminals']): Promise<RunRequest> {
	const command = (await loadCore()).parseCommandLine(words, '/workspace');
	assert.ok(command.kind === 'run');
	return { ...command, terminals };
}

test('crw in a terminal finds what rw compiled; a pipe or other flags do not', async () => {
	const bytes = fixture('hello');
	const key = async (words: string[], terminals?: RunRequest['terminals']) => ModuleCache.key(await request(words, terminals), bytes);
	const rw = await key(['hello.wasm']);
	assert.equal(await key(['hello.wasm'], { stdin: true, stdout: true, stderr: true }), rw);
	assert.notEqual(await key(['hello.wasm'], { stdin: true, stdout: false, stderr: true }), rw);
	assert.notEqual(await key(['--stub-unknown-imports', 'hello.wasm']), rw);
	assert.notEqual(await key(['other.wasm']), rw, 'the trap message names the file');
	assert.notEqual(await ModuleCache.key(await request(['hello.wasm']), fixture('exit')), rw);
});
