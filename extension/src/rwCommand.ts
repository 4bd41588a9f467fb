// The `rw` command of the Web Shell: its words, its file systems, its terminal and
// Ctrl-C as the run pipeline (runPipeline.ts) takes them. The pipeline throws nothing
// into the shell, whose own error output would be a bare "executing rw failed".
import type { RootFileSystem, Stdio } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import { runCommand, type RunHost } from './runPipeline';
import type { Printer } from './printer';
import type { Locate } from './tree/programTree';
import { programStdio, watchCtrlC, write, type CommandHandler } from './webShell';

/** What the handler needs from VS Code and the WASM WASI Core (tests pass doubles). */
export interface RwHost extends RunHost {
	/** A URI for a path of this machine's disk, where the extension host can reach it. */
	localDirectory: (path: string) => Uri | undefined;
	/** Whether the workspace is trusted: in Restricted Mode programs reach only the workspace. */
	trusted: () => boolean;
}

export function createRwCommand(host: RwHost): CommandHandler {
	return async (_command, args, cwd, stdio, rootFileSystem) => {
		const ctrlC = watchCtrlC(stdio);
		try {
			return await runCommand(host, {
				shell: { program: 'rw', cwd },
				parse: (core) => core.parseCommandLine(args, cwd),
				findModule: (target) => rootFileSystem.toVSCode(target.path),
				locate: locate(host, rootFileSystem),
				// Written to the terminal and read from it by rw itself, and disposed after the
				// run (webShell.ts).
				programStdio: () => programStdio(stdio),
				print: printer(stdio),
				stopped: ctrlC.pressed,
			});
		} finally {
			ctrlC.dispose();
		}
	};
}

/**
 * Where a directory of the program's tree is: in the shell's file system, or (a `--dir`
 * on desktop) on this machine, which Restricted Mode does not lend a program.
 */
function locate(host: RwHost, rootFileSystem: RootFileSystem): Locate {
	return async (dir) => {
		const inShell = await rootFileSystem.toVSCode(dir.host);
		if (inShell !== undefined || dir.implied) return inShell;
		const local = host.localDirectory(dir.host);
		if (local !== undefined && !host.trusted()) return { failure: { kind: 'untrustedDir', dir: dir.typed } };
		return local;
	};
}

/** The shell's terminal, for our own words. */
function printer(stdio: Stdio): Printer {
	return { out: (text) => write(stdio.out, text), err: (text) => write(stdio.err, text) };
}
