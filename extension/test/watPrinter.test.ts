// The built WAT printer (crate/wat, wasm32-unknown-unknown + wasm-bindgen glue) through
// its JS face, loaded as the module view loads it: from its own file, on first use.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WatAnswer } from '../src/coreTypes';
import { loadWatPrinter, WAT_WASM } from '../src/watPrinter';
import { fixture } from './fixtures';

const printer = () => loadWatPrinter(() => readFile(join(process.cwd(), ...WAT_WASM)));

// First in the file: the printer is loaded once per process, and this needs it not yet loaded.
test('a printer that could not be read is read again on the next call', async () => {
	await assert.rejects(loadWatPrinter(() => Promise.reject(new Error('gone'))), /gone/);
	assert.ok(!('error' in (await printer()).watPage(fixture('trap'), 0, 100)));
});

test('a page of a module has the mirrored shape, and the pages join into the whole text', async () => {
	const bytes = fixture('hello');
	const whole = (await printer()).watPage(bytes, 0, Number.MAX_SAFE_INTEGER);
	assert.ok(!('error' in whole));
	assert.deepEqual(Object.keys(whole).sort(), ['functions', 'more', 'next', 'text']);
	assert.equal(whole.more, false);
	assert.match(whole.text, /^\(module/);
	let joined = '';
	let start = 0;
	for (;;) {
		const page = (await printer()).watPage(bytes, start, 100_000);
		assert.ok(!('error' in page));
		joined += page.text;
		start = page.next;
		if (!page.more) break;
	}
	assert.equal(joined, whole.text);
});

test('not wasm is an error, and the printer keeps working after it', async () => {
	const answer: WatAnswer = (await printer()).watPage(new TextEncoder().encode('hello'), 0, 100);
	assert.ok('error' in answer && answer.error.length > 0);
	assert.ok(!('error' in (await printer()).watPage(fixture('trap'), 0, 100)));
});

test("a function's text starts where a page opened there begins with it; past the last, none", async () => {
	const bytes = fixture('hello');
	const p = await printer();
	const start = p.functionStart(bytes, 40);
	assert.equal(typeof start, 'number');
	const page = p.watPage(bytes, start!, 10_000);
	assert.ok(!('error' in page));
	assert.deepEqual(page.functions[0], [40, 0]);
	assert.equal(p.functionStart(bytes, 1_000_000), undefined);
});
