// The words of a run from the module view or a `rw` task: what the user typed as
// arguments, split as a shell does, and the Web Shell words the core parses (no 'vscode'
// import: unit-tested).

/** Splits an argument line as a POSIX shell does (quotes and backslashes), no expansion. */
export function splitArgs(line: string): string[] {
	const args: string[] = [];
	let word: string | undefined;
	let quote: string | undefined;
	for (let i = 0; i < line.length; i++) {
		const c = line[i]!;
		if (quote === "'") {
			if (c === "'") quote = undefined;
			else word += c;
		} else if (quote === '"') {
			if (c === '"') quote = undefined;
			else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
			else word += c;
		} else if (c === "'" || c === '"') {
			quote = c;
			word ??= '';
		} else if (c === '\\' && i + 1 < line.length) {
			word = (word ?? '') + line[++i];
		} else if (c === ' ' || c === '\t') {
			if (word !== undefined) args.push(word);
			word = undefined;
		} else {
			word = (word ?? '') + c;
		}
	}
	if (word !== undefined) args.push(word);
	return args;
}

/** POSIX shell quoting: the core joins the words and splits them again (words.rs). */
export function quote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The words `rw` would get for the spec, FILE relative to the root. */
export function wordsOf(spec: { file: string; args: string[]; env: Record<string, string>; dirs: string[] }): string[] {
	return [
		...Object.entries(spec.env).flatMap(([name, value]) => ['--env', quote(`${name}=${value}`)]),
		...spec.dirs.flatMap((dir) => ['--dir', quote(dir)]),
		'--',
		quote(spec.file),
		...spec.args.map(quote),
	];
}

/**
 * FILE's path below ROOT's (both URI paths), as the program's shell names it from /workspace;
 * a root may end in `/` (a workspace at the root of its scheme, `vscode-test-web://mount/`).
 */
export function pathBelow(root: string, file: string): string {
	const prefix = root.endsWith('/') ? root : `${root}/`;
	return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
