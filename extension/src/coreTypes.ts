// The shapes of the values the Rust core returns, mirrored from crate/src/cli.rs
// (Command, RunRequest), crate/src/plan.rs (Plan) and crate/src/message.rs (Message,
// Said). test/coreTypes.test.ts checks them against the built core.

/** What to do with a command line. */
export type Command =
	| { kind: 'exit'; code: number; stdout: string; stderr: string }
	| ({ kind: 'run' } & RunRequest);

export interface RunRequest {
	/** FILE as typed, for messages. */
	file: string;
	/** FILE made absolute against the shell's cwd. */
	path: string;
	programName: string;
	args: string[];
	env: Record<string, string>;
	memory: { initial?: number; maximum?: number; shared?: boolean };
	/** `--dir HOST[::GUEST]`: host as typed, host as an absolute shell path, GUEST if given. */
	dirs: Array<{ typed: string; host: string; guest?: string }>;
	stubUnknownImports: boolean;
	explain: boolean;
	printElapsedTime: boolean;
	printImportsExports: boolean;
	/**
	 * Which of stdin, stdout and stderr are terminals, where they may not be (crw): the core
	 * makes the program's isatty() agree. Absent in the Web Shell, whose stdio is its terminal.
	 */
	terminals?: Terminals;
}

/** Which of a program's stdin, stdout and stderr are terminals (cli.rs `Terminals`). */
export interface Terminals {
	stdin: boolean;
	stdout: boolean;
	stderr: boolean;
}

/** The shell a command was typed in (tree.rs `Shell`). */
export interface Shell {
	program: 'rw' | 'crw';
	cwd: string;
	home?: string;
}

/** A host directory behind a place in the program's tree (tree.rs `HostDir`). */
export interface HostDir {
	typed: string;
	host: string;
	/** Chosen by rw, not asked for: where it does not exist, the tree goes without it. */
	implied: boolean;
}

/** What the program sees at `/` and at each mount (tree.rs `Tree`). */
export type ProgramTree =
	| { kind: 'tree'; root: HostDir; mounts: Array<{ guest: string; dir: HostDir }> }
	| ({ kind: 'refuse' } & Said);

/** What to do with a module's bytes. */
export type Plan =
	| ({ kind: 'refuse' } & Said)
	| { kind: 'print'; text: string }
	/**
	 * `module`: the adapted module, when rw had to rewrite it. A view of the core's
	 * memory, valid until the next call into the core: compile it at once.
	 */
	| { kind: 'run'; memory?: WebAssembly.MemoryDescriptor; module?: Uint8Array<ArrayBuffer> };

/** A line for the user and the exit code that goes with it. */
export interface Said {
	code: number;
	line: string;
}

/** Failures the extension meets outside the core, worded by the core. */
export type HostFailure =
	| { kind: 'notFound'; file: string; cwd: string }
	| { kind: 'isDirectory'; file: string }
	| { kind: 'unreadable'; file: string; reason: string }
	| { kind: 'notAFile'; file: string; what: 'fifo' | 'socket' | 'device' | 'other' }
	| { kind: 'tooLarge'; file: string; size: number }
	| { kind: 'compileFailed'; file: string; reason: string }
	| { kind: 'startFailed'; file: string; reason: string }
	| { kind: 'dirNotFound'; dir: string }
	| { kind: 'untrusted' }
	| { kind: 'untrustedDir'; dir: string }
	| { kind: 'protocolMismatch'; client: number; server: number; extension: string }
	| { kind: 'badFrame'; reason: string }
	| { kind: 'badToken' }
	| { kind: 'tooManyRuns'; limit: number };
