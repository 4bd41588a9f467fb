// Where a command prints its own words (help, listings, the core's one-line messages,
// the elapsed time), as opposed to the program's output: the Web Shell's terminal for
// rw, the client's stdout and stderr for crw.
import type { Core } from './core';
import type { HostFailure } from './coreTypes';

/** Whole text to stdout or stderr. */
export interface Printer {
	out(text: string): Promise<void>;
	err(text: string): Promise<void>;
}

/** Prints the core's line for a host-side failure; returns its exit code. */
export async function printFailure(core: Core, print: Printer, failure: HostFailure): Promise<number> {
	const said = core.describe(failure);
	await print.err(`${said.line}\n`);
	return said.code;
}
