import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { pathBelow, quote, splitArgs, wordsOf } from '../src/moduleView/args';

test('an argument line splits as a shell splits it', () => {
	assert.deepEqual(splitArgs(`a "b c" 'd e' f\\ g ""`), ['a', 'b c', 'd e', 'f g', '']);
	assert.deepEqual(splitArgs('  '), []);
	assert.deepEqual(splitArgs(`"it's"`), [`it's`]);
});

test('the words quote what the core splits again', () => {
	assert.equal(quote('plain/path.wasm'), 'plain/path.wasm');
	assert.equal(quote(`it's`), `'it'\\''s'`);
	assert.deepEqual(wordsOf({ file: 'a b.wasm', args: ['x y'], env: { K: 'v w' }, dirs: ['data::/data'] }), [
		'--env', `'K=v w'`, '--dir', 'data::/data', '--', `'a b.wasm'`, `'x y'`,
	]);
});

test('a file is named from its workspace folder, also one at the root of its scheme', () => {
	assert.equal(pathBelow('/home/me/project', '/home/me/project/sub/a.wasm'), 'sub/a.wasm');
	assert.equal(pathBelow('/', '/a.wasm'), 'a.wasm');
	assert.equal(pathBelow('/home/me/project/', '/home/me/project/a.wasm'), 'a.wasm');
	assert.equal(pathBelow('/home/me/pro', '/home/me/project/a.wasm'), '/home/me/project/a.wasm');
});
