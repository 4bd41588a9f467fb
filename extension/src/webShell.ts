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
 * shell looking busy. Stdin stays the terminal (see stdinThroughRw).
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

/**
 * The program's stdin: the shell's terminal, read through rw, so that a read still
 * waiting when the run is over is ended. The Core's terminal holds one read at a time
 * until a line is typed; in a wasi-threads program that ends (an `exit()` in another
 * thread) while a thread waits for a line, that read outlives the program, the next
 * line typed goes to it, and the Web Shell's own next read throws "Already in readline
 * mode": the shell is dead (Core 1.0.2, both hosts). So on dispose rw ends such a read
 * as Enter would (the terminal moves to a new line; what was typed so far goes to the
 * program that is gone). Ctrl-C ends a waiting read itself.
 */
export function stdinThroughRw(stdio: Stdio): { stdio: Stdio; dispose(): void } {
	if (stdio.in?.kind !== 'terminal') {
		return { stdio, dispose: () => {} };
	}
	const terminal = stdio.in.terminal;
	let waiting = 0;
	// The Core's terminal driver calls only read() of the terminal it reads stdin from.
	const reader = {
		read: async (maxBytesToRead: number, encoding?: 'utf-8') => {
			waiting++;
			try {
				return await terminal.read(maxBytesToRead, encoding);
			} finally {
				waiting--;
			}
		},
	};
	const input = { kind: 'terminal', terminal: reader as unknown as typeof terminal } as const;
	return {
		stdio: { ...stdio, in: input },
		dispose: () => {
			if (waiting > 0) terminal.handleInput?.('\r');
		},
	};
}

/** The program's stdio in the Web Shell: its output and its stdin, through rw. */
export function programStdio(stdio: Stdio): { stdio: Stdio; dispose(): void } {
	const output = outputThroughRw(stdio);
	const input = stdinThroughRw(output.stdio);
	return {
		stdio: input.stdio,
		dispose: () => {
			output.dispose();
			input.dispose();
		},
	};
}
