// Serves a crw run's Layout (layout.ts) as a VS Code file system of its own, scheme
// `rw-crw`, one authority per run: the WASM WASI Core mounts it at `/` as one
// vscodeFileSystem and reaches the real files through us. Everything else is the
// machine's own file system (workspace.fs on file: URIs).
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
import { place, type Layout } from './layout';

const SCHEME = 'rw-crw';

export class OverlayFileSystem implements FileSystemProvider {
	private readonly layouts = new Map<string, Layout>();
	private next = 0;
	private readonly changes = new EventEmitter<FileChangeEvent[]>();
	readonly onDidChangeFile = this.changes.event;

	static register(): { overlay: OverlayFileSystem; registration: Disposable } {
		const overlay = new OverlayFileSystem();
		const registration = workspace.registerFileSystemProvider(SCHEME, overlay, { isCaseSensitive: true });
		return { overlay, registration };
	}

	/** The URI to mount at `/` for `layout`, until `release` is called. */
	add(layout: Layout): { uri: Uri; release(): void } {
		const authority = `run${this.next++}`;
		this.layouts.set(authority, layout);
		return { uri: Uri.from({ scheme: SCHEME, authority, path: '/' }), release: () => this.layouts.delete(authority) };
	}

	private where(uri: Uri) {
		const layout = this.layouts.get(uri.authority);
		if (layout === undefined) throw FileSystemError.Unavailable(uri);
		const found = place(layout, uri.path);
		return { ...found, file: Uri.file(found.host) };
	}

	async stat(uri: Uri): Promise<FileStat> {
		const { file, mountsInside } = this.where(uri);
		try {
			return await workspace.fs.stat(file);
		} catch (error) {
			if (mountsInside.length === 0) throw error;
			return { type: FileType.Directory, ctime: 0, mtime: 0, size: 0 };
		}
	}

	async readDirectory(uri: Uri): Promise<[string, FileType][]> {
		const { file, mountsInside } = this.where(uri);
		let entries: [string, FileType][] = [];
		try {
			entries = await workspace.fs.readDirectory(file);
		} catch (error) {
			if (mountsInside.length === 0) throw error;
		}
		const names = new Set(entries.map(([name]) => name));
		return [...entries, ...mountsInside.filter((m) => !names.has(m)).map((m) => [m, FileType.Directory] as [string, FileType])];
	}

	readFile(uri: Uri): Thenable<Uint8Array> {
		return workspace.fs.readFile(this.where(uri).file);
	}

	writeFile(uri: Uri, content: Uint8Array): Thenable<void> {
		return workspace.fs.writeFile(this.where(uri).file, content);
	}

	createDirectory(uri: Uri): Thenable<void> {
		return workspace.fs.createDirectory(this.where(uri).file);
	}

	delete(uri: Uri, options: { recursive: boolean }): Thenable<void> {
		return workspace.fs.delete(this.where(uri).file, { recursive: options.recursive, useTrash: false });
	}

	rename(from: Uri, to: Uri, options: { overwrite: boolean }): Thenable<void> {
		return workspace.fs.rename(this.where(from).file, this.where(to).file, options);
	}

	watch(): Disposable {
		// The Core never watches; nothing changes behind a program's back that it must hear of.
		return new Disposable(() => undefined);
	}
}
