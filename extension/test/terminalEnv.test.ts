// What rw puts in integrated terminals: crw's folder on PATH and crw as cargo's WASI runner,
// unless the user has a runner of their own or turned it off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasRunner, terminalEnv, type TerminalEnvInput } from '../src/crw/terminalEnv';

const base: TerminalEnvInput = {
	platform: 'linux',
	arch: 'x64',
	extensionPath: '/home/u/.vscode/extensions/rw-dev.rw-0.1.0',
	sep: '/',
	env: {},
	cargoConfigs: [],
	cargoRunner: true,
};
const CRW = '/home/u/.vscode/extensions/rw-dev.rw-0.1.0/bin/linux-x64/crw';

test('the shipped crw for this platform goes first on PATH and is both runners', () => {
	assert.deepEqual(terminalEnv(base), {
		binDir: '/home/u/.vscode/extensions/rw-dev.rw-0.1.0/bin/linux-x64',
		crw: CRW,
		replace: [
			['CARGO_TARGET_WASM32_WASIP1_RUNNER', CRW],
			['CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER', CRW],
		],
	});
});

test('windows gets crw.exe; a path with a space gets the bare name cargo cannot split', () => {
	const env = terminalEnv({ ...base, platform: 'win32', arch: 'arm64', extensionPath: 'C:\\Users\\A B\\ext', sep: '\\' });
	assert.equal(env.crw, 'C:\\Users\\A B\\ext\\bin\\win32-arm64\\crw.exe');
	assert.deepEqual(env.replace.map(([, v]) => v), ['crw', 'crw']);
});

test('a platform with no shipped crw gets nothing', () => {
	assert.deepEqual(terminalEnv({ ...base, arch: 'ia32' }), { replace: [] });
});

test("the user's runner wins: a variable already set, or a config naming one", () => {
	const env = terminalEnv({ ...base, env: { CARGO_TARGET_WASM32_WASIP1_RUNNER: 'wasmtime' } });
	assert.deepEqual(env.replace.map(([k]) => k), ['CARGO_TARGET_WASM32_WASIP1_THREADS_RUNNER']);
	const config = terminalEnv({ ...base, cargoConfigs: ['[target.wasm32-wasip1-threads]\nrunner = "wasmtime -W threads"\n'] });
	assert.deepEqual(config.replace.map(([k]) => k), ['CARGO_TARGET_WASM32_WASIP1_RUNNER']);
	assert.deepEqual(terminalEnv({ ...base, cargoRunner: false }).replace, []);
});

test('hasRunner reads tables, dotted and quoted keys, and ignores comments and other targets', () => {
	assert.ok(hasRunner('[target.wasm32-wasip1]\nrunner = "wasmtime"', 'wasm32-wasip1'));
	assert.ok(hasRunner("target.'wasm32-wasip1'.runner = 'x'", 'wasm32-wasip1'));
	assert.ok(hasRunner('[target]\nwasm32-wasip1.runner = ["a"]', 'wasm32-wasip1'));
	assert.ok(!hasRunner('[target.wasm32-wasip1]\n# runner = "x"\nrustflags = []', 'wasm32-wasip1'));
	assert.ok(!hasRunner('[target.wasm32-wasip1-threads]\nrunner = "x"', 'wasm32-wasip1'));
	assert.ok(!hasRunner('[build]\nrunner = "x"', 'wasm32-wasip1'));
});
