// Confinement on this machine's disk (the Node extension host, `file:` URIs): a path is
// resolved with realpath, links and all, and must land inside the real directory it
// started from, as cap-std follows a link only while it stays inside its preopen. The
// program cannot make links (the Core has no path_symlink), so what it checked is what
// it then opens: we hand VS Code the resolved path, free of links.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { FileSystemError, Uri } from 'vscode';
import { ListingConfine, type Confine, type HostKind, type Landed } from './confine';

export class DiskConfine implements Confine {
	/** Anything not on this disk is confined by listing. */
	private readonly other = new ListingConfine();

	async land(dir: Uri, rest: string[]): Promise<Landed> {
		if (dir.scheme !== 'file') {
			return this.other.land(dir, rest);
		}
		const refuse = () => FileSystemError.NoPermissions(Uri.joinPath(dir, ...rest));
		const base = await fs.realpath(dir.fsPath).catch(() => undefined);
		if (base === undefined) {
			return { uri: Uri.joinPath(dir, ...rest), kind: 'missing' };
		}
		// The longest prefix of `rest` that exists, resolved.
		let found = rest.length;
		let real: string | undefined;
		while (real === undefined) {
			try {
				real = await fs.realpath(nodePath.join(base, ...rest.slice(0, found)));
			} catch (error) {
				// A loop of links or no access; or `dir` itself went away.
				if (!isMissing(error) || found === 0) throw refuse();
				found--;
			}
		}
		if (!isInside(base, real)) {
			throw refuse();
		}
		if (found < rest.length) {
			// The next name resolves to nothing: absent, or a link to nowhere, which a
			// write would follow out of the directory.
			const next = nodePath.join(real, rest[found]!);
			const link = await fs.lstat(next).then(
				() => true,
				() => false,
			);
			if (link) throw refuse();
			return { uri: Uri.file(nodePath.join(real, ...rest.slice(found))), kind: 'missing' };
		}
		const stat = await fs.stat(real);
		const kind: HostKind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : 'other';
		return { uri: Uri.file(real), kind };
	}

	changed(): void {
		this.other.changed();
	}
}

function isMissing(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException).code;
	return code === 'ENOENT' || code === 'ENOTDIR';
}

function isInside(base: string, path: string): boolean {
	return path === base || path.startsWith(base.endsWith(nodePath.sep) ? base : base + nodePath.sep);
}
