// The program of one crw connection, as the run pipeline (runPipeline.ts) takes it: the
// client's argv, cwd and terminals, this machine's disk, the connection's pipes and its
// stop. The module and file arguments are paths of this machine, relative to the
// directory the user's shell is in, which the program sees as its `/` (with each
// `--dir HOST::GUEST` at GUEST inside it).
import * as nodePath from 'node:path';
import type { Readable, Stdio, Writable } from '@vscode/wasm-wasi/v1';
import type { Uri } from 'vscode';
import { runCommand, type RunHost } from '../runPipeline';
import type { CrwHandler, CrwRun } from './connection';

/** What the handler needs from VS Code and the WASM WASI Core (tests pass doubles). */
export interface CrwHost extends RunHost {
	/** This machine's path as a URI the extension host can read (`Uri.file`). */
	fileUri: (path: string) => Uri;
	/** The user's home directory, which crw does not hand a program unasked. */
	home: string | undefined;
}

export function createCrwHandler(host: CrwHost): CrwHandler {
	return (run) => {
		const { cwd, argv, terminals } = run.request;
		// FILE and each --dir HOST as typed, resolved here: the core resolves POSIX paths,
		// and this machine may be Windows.
		const local = (typed: string) => host.fileUri(nodePath.resolve(cwd, typed));
		return runCommand(host, {
			shell: { program: 'crw', cwd, home: host.home },
			// The client's terminals tell the core what the program's isatty() must say
			// (the Core calls every pipe a terminal).
			parse: (core) => core.parseCrwCommandLine(argv, cwd, terminals),
			findModule: async (target) => local(target.file),
			locate: async (dir) => local(dir.typed),
			programStdio: () => ({ stdio: pipesOf(run), dispose: () => {} }),
			print: { out: (text) => run.stdout.write(text), err: (text) => run.stderr.write(text) },
			stopped: run.stopped,
		});
	};
}

/**
 * The connection's own pipe objects (pipes.ts, outputPipe.ts); the Core's types name the
 * interfaces it implements itself, but it only calls what ours have.
 */
function pipesOf(run: CrwRun): Stdio {
	return {
		in: { kind: 'pipeIn', pipe: run.stdin as unknown as Writable },
		out: { kind: 'pipeOut', pipe: run.stdout as unknown as Readable },
		err: { kind: 'pipeOut', pipe: run.stderr as unknown as Readable },
	};
}
