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
	printElapsedTime: boolean;
	printImportsExports: boolean;
}

/** What to do with a module's bytes. */
export type Plan =
	| ({ kind: 'refuse' } & Said)
	| { kind: 'list'; text: string }
	| { kind: 'run'; memory?: WebAssembly.MemoryDescriptor };

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
	| { kind: 'compileFailed'; file: string; reason: string }
	| { kind: 'startFailed'; file: string; reason: string };
