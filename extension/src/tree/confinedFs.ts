// The one file system every program's files pass through, for rw in both hosts and for
// crw: a VS Code FileSystemProvider (scheme `rw-fs`, one authority per run) serving the
// run's tree (place.ts) below TREE_ROOT. The WASM WASI Core mounts it at `/` as its only
// mount, so it never meets a host path itself: every name it asks for is placed in the
// tree, confined to the directory it lands in (confine.ts), and only then handed to
// VS Code's own file system.
import {
	Disposable,
	EventEmitter,
	FileSystemError,
	FileType,
	Uri,
	workspace,
	type FileChangeEvent,
	type FileStat,
	type FileSystemProvider,
} from 'vscode';
import type { Confine, Landed } from './confine';
import { place, TREE_ROOT, type Tree } from './place';

const SCHEME = 'rw-fs';

/**
 * A rename to a name starting so is a delete, never to the trash (crate/src/adapt/deletes.rs:
 * the Core deletes with a trash in a Node host, which VS Code refuses on our file system).
 * No program can make such a name: it starts with a NUL byte, which place.ts refuses.
 */
const DELETES = { '\0rw-unlink-': 'file', '\0rw-unlinks': 'file/', '\0rw-rmdir--': 'directory' } as const;
type Deletion = (typeof DELETES)[keyof typeof DELETES];

function deletion(uri: Uri): Deletion | undefined {
	const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
	return Object.entries(DELETES).find(([marker]) => name.startsWith(marker))?.[1];
}

/** What a directory that exists only in the tree (`/`, or `/srv` above a mount `/srv/x`) looks like. */
const TREE_DIRECTORY: FileStat = { type: FileType.Directory, ctime: 0, mtime: 0, size: 0 };

interface Run {
	tree: Tree<Uri>;
	confine: Confine;
	/** The delete markers of this run's deletes: VS Code stats a rename's target after it. */
	deleted: Set<string>;
}

/** Where a URI of ours lands: the host entry (none for the tree's own directories). */
interface Found {
	landed: Landed | undefined;
	/** The path is a mount point or the tree's root: it cannot be removed or replaced. */
	fixed: boolean;
	mountsInside: string[];
}

export class ConfinedFileSystem implements FileSystemProvider {
	private readonly runs = new Map<string, Run>();
	private next = 0;
	private readonly changes = new EventEmitter<FileChangeEvent[]>();
	readonly onDidChangeFile = this.changes.event;

	/**
	 * `confine`: a new confinement per run (confine.ts); `windows`: names Windows would
	 * read as drives or separators are refused.
	 */
	private constructor(
		private readonly confine: () => Confine,
		private readonly windows: boolean,
	) {}

	static register(confine: () => Confine, windows: boolean): { fileSystem: ConfinedFileSystem; registration: Disposable } {
		const fileSystem = new ConfinedFileSystem(confine, windows);
		const registration = workspace.registerFileSystemProvider(SCHEME, fileSystem, { isCaseSensitive: true });
		return { fileSystem, registration };
	}

	/** The URI for the Core to mount at `/`, serving `tree` until `release` is called. */
	serve(tree: Tree<Uri>): { uri: Uri; release(): void } {
		const authority = `run${this.next++}`;
		this.runs.set(authority, { tree, confine: this.confine(), deleted: new Set() });
		return { uri: Uri.from({ scheme: SCHEME, authority, path: TREE_ROOT }), release: () => this.runs.delete(authority) };
	}

	private run(uri: Uri): Run {
		const run = this.runs.get(uri.authority);
		if (run === undefined) throw FileSystemError.Unavailable(uri);
		return run;
	}

	private async find(uri: Uri): Promise<Found> {
		const run = this.run(uri);
		if (deletion(uri) !== undefined) {
			throw FileSystemError.FileNotFound(uri);
		}
		const placed = place(run.tree, uri.path, this.windows);
		if ('outside' in placed) {
			throw FileSystemError.NoPermissions(`${uri.path}: ${placed.outside}`);
		}
		const fixed = placed.rest.length === 0;
		const landed = placed.dir === undefined ? undefined : await run.confine.land(placed.dir, placed.rest);
		return { landed, fixed, mountsInside: placed.mountsInside };
	}

	/**
	 * The host entry behind `uri`, for a change to it; the tree's own directories are fixed.
	 * `removing`: it is to go (deleted, renamed away or over), so a mount point may not be it.
	 */
	private async changeable(uri: Uri, removing = false): Promise<Landed> {
		const found = await this.find(uri);
		if (found.landed === undefined || found.mountsInside.length > 0 || (removing && found.fixed)) {
			throw FileSystemError.NoPermissions(uri);
		}
		this.run(uri).confine.changed();
		return found.landed;
	}

	async stat(uri: Uri): Promise<FileStat> {
		if (this.run(uri).deleted.has(uri.path)) {
			// What VS Code looks at after a rename to a delete marker: something that was.
			return { type: FileType.File, ctime: 0, mtime: 0, size: 0 };
		}
		const { landed, fixed, mountsInside } = await this.find(uri);
		if (landed === undefined || landed.kind === 'missing') {
			if (mountsInside.length > 0 || fixed) return TREE_DIRECTORY;
			throw FileSystemError.FileNotFound(uri);
		}
		if (landed.kind === 'other') {
			// Devices, FIFOs and sockets are never opened: the Core opens only files and directories.
			return { type: FileType.Unknown, ctime: 0, mtime: 0, size: 0 };
		}
		const stat = await workspace.fs.stat(landed.uri);
		// What a link led to, not the link: confinement already followed it.
		return { ...stat, type: stat.type & ~FileType.SymbolicLink };
	}

	async readDirectory(uri: Uri): Promise<[string, FileType][]> {
		const { landed, fixed, mountsInside } = await this.find(uri);
		let entries: [string, FileType][] = [];
		if (landed?.kind === 'directory') {
			entries = await workspace.fs.readDirectory(landed.uri);
		} else if (mountsInside.length === 0 && !fixed) {
			throw landed?.kind === 'missing' || landed === undefined ? FileSystemError.FileNotFound(uri) : FileSystemError.FileNotADirectory(uri);
		}
		const names = new Set(entries.map(([name]) => name));
		const mounts = mountsInside.filter((name) => !names.has(name)).map((name): [string, FileType] => [name, FileType.Directory]);
		return [...entries, ...mounts];
	}

	async readFile(uri: Uri): Promise<Uint8Array> {
		const { landed } = await this.find(uri);
		switch (landed?.kind) {
			case 'file':
				return workspace.fs.readFile(landed.uri);
			case 'directory':
			case undefined:
				throw FileSystemError.FileIsADirectory(uri);
			case 'missing':
				throw FileSystemError.FileNotFound(uri);
			case 'other':
				throw FileSystemError.NoPermissions(uri);
		}
	}

	async writeFile(uri: Uri, content: Uint8Array): Promise<void> {
		const landed = await this.changeable(uri);
		if (landed.kind === 'directory') throw FileSystemError.FileIsADirectory(uri);
		if (landed.kind === 'other') throw FileSystemError.NoPermissions(uri);
		await workspace.fs.writeFile(landed.uri, content);
	}

	async createDirectory(uri: Uri): Promise<void> {
		const landed = await this.changeable(uri);
		await workspace.fs.createDirectory(landed.uri);
	}

	async delete(uri: Uri, options: { recursive: boolean }): Promise<void> {
		const landed = await this.changeable(uri, true);
		await workspace.fs.delete(landed.uri, { recursive: options.recursive, useTrash: false });
	}

	async rename(from: Uri, to: Uri, options: { overwrite: boolean }): Promise<void> {
		const deleting = deletion(to);
		if (deleting !== undefined) {
			await this.remove(from, deleting);
			this.run(to).deleted.add(to.path);
			return;
		}
		const source = await this.changeable(from, true);
		const target = await this.changeable(to, true);
		await workspace.fs.rename(source.uri, target.uri, options);
	}

	/**
	 * unlink (`file`: anything but a directory; `file/`: the name had a trailing slash, so
	 * nothing is deleted) or rmdir (`directory`: an empty one).
	 */
	private async remove(uri: Uri, what: Deletion): Promise<void> {
		const landed = await this.changeable(uri, true);
		if (landed.kind === 'missing') throw FileSystemError.FileNotFound(uri);
		if (what !== 'directory' && landed.kind === 'directory') throw FileSystemError.FileIsADirectory(uri);
		if (what === 'file/') throw FileSystemError.FileNotADirectory(uri);
		if (what === 'directory') {
			if (landed.kind !== 'directory') throw FileSystemError.FileNotADirectory(uri);
			// POSIX lets rmdir of a directory that is not empty fail with EEXIST; VS Code has no ENOTEMPTY.
			if ((await workspace.fs.readDirectory(landed.uri)).length > 0) throw FileSystemError.FileExists(uri);
		}
		await workspace.fs.delete(landed.uri, { recursive: false, useTrash: false });
	}

	watch(): Disposable {
		// The Core never watches; nothing changes behind a program's back that it must hear of.
		return new Disposable(() => undefined);
	}
}
