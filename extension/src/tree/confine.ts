// Following a path below a directory without leaving it: the host side of confinement.
// A symbolic link may lead anywhere on the host, so each way of resolving a path says
// where it really lands, or refuses it (FileSystemError.NoPermissions, which the WASM
// WASI Core turns into EPERM, as wasmtime answers a path that leaves its preopen).
import { FileSystemError, FileType, Uri, workspace } from 'vscode';

export type HostKind = 'file' | 'directory' | 'other' | 'missing';

/** Where a path really lands, and what is there ('other': a device, FIFO or socket). */
export interface Landed {
	uri: Uri;
	kind: HostKind;
}

export interface Confine {
	/** `rest` (plain names) below `dir`, or NoPermissions if it leads out of `dir`. */
	land(dir: Uri, rest: string[]): Promise<Landed>;
	/** The program changed the tree: what was learnt of it may be stale. */
	changed(): void;
}

/** How long a directory listing is trusted: files change behind a run, in the editor. */
const LISTING_TTL_MS = 1000;

/**
 * For file systems we can only list (the web's, or any other scheme): every name on the
 * way is looked up in its parent's listing, and a symbolic link is never followed, since
 * nothing tells where it leads. Listings are kept briefly, and forgotten on any change.
 */
export class ListingConfine implements Confine {
	private readonly listings = new Map<string, { at: number; entries: Map<string, FileType> }>();

	async land(dir: Uri, rest: string[]): Promise<Landed> {
		let current = dir;
		let type = FileType.Directory;
		for (const [i, name] of rest.entries()) {
			const found = (await this.listing(current))?.get(name);
			if (found === undefined) {
				return { uri: Uri.joinPath(current, ...rest.slice(i)), kind: 'missing' };
			}
			if (found & FileType.SymbolicLink) {
				throw FileSystemError.NoPermissions(Uri.joinPath(current, name));
			}
			current = Uri.joinPath(current, name);
			type = found;
		}
		if (rest.length === 0) {
			type = (await workspace.fs.stat(dir)).type;
		}
		return { uri: current, kind: kindOf(type) };
	}

	changed(): void {
		this.listings.clear();
	}

	private async listing(dir: Uri): Promise<Map<string, FileType> | undefined> {
		const key = dir.toString();
		const kept = this.listings.get(key);
		if (kept !== undefined && performance.now() - kept.at < LISTING_TTL_MS) {
			return kept.entries;
		}
		let entries: Map<string, FileType>;
		try {
			entries = new Map(await workspace.fs.readDirectory(dir));
		} catch {
			return undefined; // not a directory, or gone: nothing below it exists
		}
		this.listings.set(key, { at: performance.now(), entries });
		return entries;
	}
}

export function kindOf(type: FileType): HostKind {
	if (type & FileType.Directory) return 'directory';
	if (type & FileType.File) return 'file';
	return 'other';
}
