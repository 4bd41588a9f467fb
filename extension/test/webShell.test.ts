// The program's output as rw forwards it to the shell's terminal (outputThroughRw), and its
// stdin as rw reads it (stdinThroughRw), with a TEST DOUBLE of the terminal standing in for
// the Web Shell's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Stdio } from '@vscode/wasm-wasi/v1';
import { outputThroughRw, programStdio, stdinThroughRw } from '../src/webShell';
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

/** What the Core's terminal driver calls on the terminal of fd 0. */
function reader(stdio: Stdio): { read(max: number): Promise<Uint8Array> } {
	assert.equal(stdio.in?.kind, 'terminal');
	return (stdio.in as { terminal: unknown }).terminal as { read(max: number): Promise<Uint8Array> };
}

test('stdin reads the terminal through rw', async () => {
	const terminal = new TerminalDouble();
	const input = stdinThroughRw(terminal.asStdio());
	const read = reader(input.stdio).read(100);
	terminal.type('typed');
	assert.equal(new TextDecoder().decode(await read), 'typed\n');
	input.dispose();
	assert.equal(terminal.text, '', 'nothing to end: the terminal is left alone');
});

test('a read still waiting when the run is over is ended, so the shell can read its next line', async () => {
	// As when one thread exits while another waits for a line.
	const terminal = new TerminalDouble();
	const input = stdinThroughRw(terminal.asStdio());
	const read = reader(input.stdio).read(100);
	assert.ok(terminal.waiting);
	input.dispose();
	assert.ok(!terminal.waiting);
	assert.equal(new TextDecoder().decode(await read), '\n');
	assert.equal(terminal.text, '\r\n', 'as Enter does: a new line');
	const shellReads = terminal.read();
	terminal.type('ls');
	assert.equal(new TextDecoder().decode(await shellReads), 'ls\n');
});

test('a read Ctrl-C ended leaves nothing to end', async () => {
	const terminal = new TerminalDouble();
	const input = stdinThroughRw(terminal.asStdio());
	const read = reader(input.stdio).read(100);
	terminal.pressCtrlC();
	await read;
	input.dispose();
	assert.equal(terminal.text, '');
});

test('the program\'s stdio in the Web Shell: output through pipes, stdin through rw, both ended by dispose', async () => {
	const terminal = new TerminalDouble();
	const stdio = terminal.asStdio();
	const program = programStdio(stdio);
	assert.equal(program.stdio.out?.kind, 'pipeOut');
	assert.equal(program.stdio.err?.kind, 'pipeOut');
	assert.notEqual(program.stdio.in, stdio.in);
	const read = reader(program.stdio).read(1);
	program.dispose();
	await read;
	assert.equal(terminal.listening, 0);
	assert.ok(!terminal.waiting);
});

test('stdin that is not a terminal (crw) is left as it is', () => {
	const stdio: Stdio = { in: { kind: 'pipeIn' }, out: { kind: 'console' } };
	assert.equal(stdinThroughRw(stdio).stdio, stdio);
});
