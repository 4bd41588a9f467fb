// The program's output as rw forwards it to the shell's terminal (outputThroughRw), with a
// TEST DOUBLE of the terminal standing in for the Web Shell's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stdio } from '@vscode/wasm-wasi/v1';
import { outputThroughRw } from '../src/webShell';
import { TerminalDouble } from './doubles/webShellDoubles';

/** What the Core's pipe driver calls on the pipe of fd 1 or 2. */
type Pipe = { write(chunk: Uint8Array): Promise<void>; destroy(): void };

function pipes(stdio: Stdio): { out: Pipe; err: Pipe } {
	const pipeOf = (d: Stdio['out']) => {
		assert.equal(d?.kind, 'pipeOut');
		return (d as { pipe: unknown }).pipe as Pipe;
	};
	return { out: pipeOf(stdio.out), err: pipeOf(stdio.err) };
}

const bytes = (text: string) => new TextEncoder().encode(text);

test('stdout and stderr reach the terminal in the order the program wrote them', async () => {
	const terminal = new TerminalDouble();
	const stdio = terminal.asStdio();
	const output = outputThroughRw(stdio);
	const { out, err } = pipes(output.stdio);
	await out.write(bytes('one\n'));
	await err.write(bytes('two\n'));
	await out.write(bytes('three\n'));
	assert.equal(terminal.text, 'one\ntwo\nthree\n');
	assert.equal(output.stdio.in, stdio.in, 'stdin stays the terminal');
	output.dispose();
});

test('from Ctrl-C on, what the program still writes is dropped and the listener is gone', async () => {
	const terminal = new TerminalDouble();
	const output = outputThroughRw(terminal.asStdio());
	const { out, err } = pipes(output.stdio);
	await out.write(bytes('before\n'));
	terminal.pressCtrlC();
	await out.write(bytes('after\n'));
	await err.write(bytes('after\n'));
	assert.equal(terminal.text, 'before\n');
	assert.equal(terminal.listening, 0);
	output.dispose();
});

test('after the run, nothing more is forwarded', async () => {
	const terminal = new TerminalDouble();
	const output = outputThroughRw(terminal.asStdio());
	const { out } = pipes(output.stdio);
	output.dispose();
	await out.write(bytes('late\n'));
	assert.equal(terminal.text, '');
	assert.equal(terminal.listening, 0);
});

test('stdio without a terminal (crw, the console) is left as it is', () => {
	const stdio: Stdio = { out: { kind: 'console' }, err: { kind: 'console' } };
	assert.equal(outputThroughRw(stdio).stdio, stdio);
});
