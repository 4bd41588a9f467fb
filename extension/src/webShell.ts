// The Web Shell's contract for a command handler. The shell does not publish its
// types (webshell/src/common/types.ts), so this is our own declaration of what it
// passes: the command, its words split on single spaces, the cwd, the terminal as
// stdio and the shell's root file system.
import type { Readable, RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import { OutputPipe } from './outputPipe';

export type CommandHandler = (
	command: string,
	args: string[],
	cwd: string,
	stdio: Stdio,
	rootFileSystem: RootFileSystem,
) => Promise<number>;

type Output = Stdio['out'];

/** Writes text to a stdio output; the terminal turns `\n` into `\r\n` itself. */
export async function write(output: Output, text: string): Promise<void> {
	if (text.length === 0 || output === undefined) {
		return;
	}
	if (output.kind === 'terminal') {
		await output.terminal.write(text);
	} else if (output.kind === 'console') {
		console.log(text.replace(/\n$/, ''));
	}
}

/**
 * Resolves when the user presses Ctrl-C in the shell's terminal. The Core does not
 * stop a program on Ctrl-C by itself; we have to.
 */
export function watchCtrlC(stdio: Stdio): { pressed: Promise<void>; dispose(): void } {
	const terminal = [stdio.in, stdio.out, stdio.err].find((d) => d?.kind === 'terminal');
	if (terminal?.kind !== 'terminal') {
		return { pressed: new Promise<void>(() => {}), dispose: () => {} };
	}
	let press!: () => void;
	const pressed = new Promise<void>((resolve) => (press = resolve));
	const listener = terminal.terminal.onDidCtrlC(() => press());
	return { pressed, dispose: () => listener.dispose() };
}

/**
 * The program's stdout and stderr as pipes that rw writes to the shell's terminal itself,
 * instead of the Core's terminal driver. The Core's pipe driver answers a program's
 * fd_write only once our `write` settled (as crw's pipes rely on), so the order of stdout
 * and stderr stays exact; and from the moment Ctrl-C is pressed we drop what the program
 * still writes. Without that, in the Node host, writes the Core handled after the `^C`
 * reached the screen after the next prompt (measured in code-server 4.100.3), leaving the
 * shell looking busy. Stdin stays the terminal.
 */
export function outputThroughRw(stdio: Stdio): { stdio: Stdio; dispose(): void } {
	const terminal = [stdio.out, stdio.err].find((d) => d?.kind === 'terminal');
	if (terminal?.kind !== 'terminal') {
		return { stdio, dispose: () => {} };
	}
	let open = true;
	// Bytes: the terminal decodes them and turns `\n` into `\r\n`, as its own driver does.
	const sink = new OutputPipe(async (data) => {
		if (open) await terminal.terminal.write(data, 'utf-8');
	});
	const close = () => {
		open = false;
		listener.dispose();
	};
	// Closed synchronously: the Core fires onDidCtrlC before it echoes `^C`.
	const listener = terminal.terminal.onDidCtrlC(close);
	// The Core's types call a pipe it writes to a Readable; its driver only calls
	// write() and destroy() on it.
	const pipe = { kind: 'pipeOut', pipe: sink as unknown as Readable } as const;
	const piped: Stdio = {
		in: stdio.in,
		out: stdio.out?.kind === 'terminal' ? pipe : stdio.out,
		err: stdio.err?.kind === 'terminal' ? pipe : stdio.err,
	};
	return { stdio: piped, dispose: close };
}
