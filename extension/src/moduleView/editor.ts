// The module view: a read-only custom editor for *.wasm (package.json customEditors), its
// "Show as WAT" documents, "Run with rw" (view, Explorer, CodeLens-like action) and the
// `rw` task type. The core describes the module (crate/src/view.rs); the webview
// (webview.ts) only renders what it is sent.
import {
	CustomExecution,
	DocumentLink,
	EventEmitter,
	Range,
	RelativePattern,
	Selection,
	Task,
	TaskScope,
	TextEditorRevealType,
	Uri,
	window,
	workspace,
	commands,
	languages,
	tasks,
	type CustomDocument,
	type CustomReadonlyEditorProvider,
	type DocumentLinkProvider,
	type TextDocument,
	type TextEditor,
	type ExtensionContext,
	type TextDocumentContentProvider,
	type WebviewPanel,
} from 'vscode';
import type { RunHost } from '../runPipeline';
import { reasonOf } from '../readModule';
import { splitArgs } from './args';
import { runTerminal, type RunSpec } from './runTerminal';
import { webviewScript } from './webviewScript';
import { loadWatPrinter, WAT_WASM, type WatPrinter } from '../watPrinter';

export const VIEW_TYPE = 'rw.moduleView';
export const TASK_TYPE = 'rw';
const WAT_SCHEME = 'rw-wat';
/** Characters of text a WAT page holds: a 16 MB module's text is some 200 MB. */
const WAT_PAGE = 2_000_000;

/** The fields of a `rw` task in tasks.json. */
interface RwTaskDefinition {
	type: typeof TASK_TYPE;
	file: string;
	args?: string[];
	env?: Record<string, string>;
	dirs?: string[];
}

export function registerModuleView(context: ExtensionContext, host: RunHost): void {
	const argsKey = (file: Uri) => `rw.args:${file.toString()}`;
	const run = async (file: Uri | undefined) => {
		file ??= window.activeTextEditor?.document.uri;
		if (file === undefined) return;
		const remembered = context.workspaceState.get<string>(argsKey(file)) ?? '';
		const line = await window.showInputBox({
			title: `Run ${file.path.split('/').pop()} with rw`,
			prompt: 'Arguments for the program (shell quoting: "a b" is one argument)',
			value: remembered,
		});
		if (line === undefined) return;
		await context.workspaceState.update(argsKey(file), line);
		startRun(host, { file, args: splitArgs(line), env: {}, dirs: [] });
	};
	// Read from the extension's folder through VS Code, which serves it in both hosts.
	const wat = new WatDocuments(() => loadWatPrinter(() => workspace.fs.readFile(Uri.joinPath(context.extensionUri, ...WAT_WASM))));
	context.subscriptions.push(
		window.registerCustomEditorProvider(VIEW_TYPE, new ModuleViewProvider(host, run, (file, index) => wat.open(file, index)), {
			webviewOptions: { retainContextWhenHidden: false },
			supportsMultipleEditorsPerDocument: true,
		}),
		workspace.registerTextDocumentContentProvider(WAT_SCHEME, wat),
		languages.registerDocumentLinkProvider({ scheme: WAT_SCHEME }, wat),
		commands.registerCommand('rw.run', (file?: Uri) => run(file)),
		commands.registerCommand('rw.showWat', (file?: Uri) => file && wat.open(file)),
		tasks.registerTaskProvider(TASK_TYPE, {
			provideTasks: () => [],
			resolveTask: (task) => taskOf(host, task.definition as RwTaskDefinition, task.scope),
		}),
	);
}

function startRun(host: RunHost, spec: RunSpec): void {
	const name = spec.file.path.split('/').pop() ?? 'program';
	const terminal = window.createTerminal({ name: `rw ${name}`, pty: runTerminal(host, spec, { keepOpen: true }) });
	terminal.show();
}

function taskOf(host: RunHost, definition: RwTaskDefinition, scope: Task['scope']): Task {
	const folder = scope !== undefined && typeof scope === 'object' ? scope.uri : workspace.workspaceFolders?.[0]?.uri;
	const file = definition.file.startsWith('/') || folder === undefined ? Uri.file(definition.file) : Uri.joinPath(folder, definition.file);
	const spec: RunSpec = { file, args: definition.args ?? [], env: definition.env ?? {}, dirs: definition.dirs ?? [] };
	return new Task(
		definition,
		scope ?? TaskScope.Workspace,
		`rw ${definition.file}`,
		TASK_TYPE,
		new CustomExecution(async () => runTerminal(host, spec)),
	);
}

class ModuleViewProvider implements CustomReadonlyEditorProvider {
	constructor(
		private readonly host: RunHost,
		private readonly run: (file: Uri) => Promise<void>,
		private readonly openWat: (file: Uri, functionIndex?: number) => Promise<void>,
	) {}

	openCustomDocument(uri: Uri): CustomDocument {
		return { uri, dispose: () => {} };
	}

	/**
	 * Never awaits a message to the webview: the workbench shows the webview only once this
	 * returns, and until then a posted message's promise stays pending (a deadlock: the view
	 * never loaded). The page asks for the model when its script runs ('ready'), which it does
	 * again each time it is shown (retainContextWhenHidden is off, so a hidden view is unloaded).
	 */
	resolveCustomEditor(document: CustomDocument, panel: WebviewPanel): void {
		const webview = panel.webview;
		webview.options = { enableScripts: true };
		const nonce = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
		webview.html = html(nonce, webview.cspSource);
		const file = document.uri.path.split('/').pop() ?? '';
		let answer: Promise<unknown> | undefined;
		const describe = async () => {
			try {
				const bytes = await workspace.fs.readFile(document.uri);
				return { type: 'model', model: (await this.host.core()).describeModule(file, bytes) };
			} catch (error) {
				return { type: 'error', line: `rw: ${file}: cannot read it: ${reasonOf(error)}` };
			}
		};
		// A module rebuilt while its view is open: the view shows the new one.
		const watcher = workspace.createFileSystemWatcher(new RelativePattern(Uri.joinPath(document.uri, '..'), file));
		const reread = () => {
			answer = describe();
			void answer.then((message) => webview.postMessage(message));
		};
		watcher.onDidChange(reread);
		watcher.onDidCreate(reread);
		const messages = webview.onDidReceiveMessage(async (message: { type: string; index?: number }) => {
			if (message.type === 'ready') void webview.postMessage(await (answer ??= describe()));
			if (message.type === 'run') void this.run(document.uri);
			if (message.type === 'wat') void this.openWat(document.uri, message.index);
			if (message.type === 'binary') void commands.executeCommand('vscode.openWith', document.uri, 'default');
		});
		panel.onDidDispose(() => {
			messages.dispose();
			watcher.dispose();
		});
	}
}

function html(nonce: string, cspSource: string): string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${cspSource};">
<style nonce="${nonce}">${STYLE}</style></head>
<body><div id="app"><p class="muted">Reading the module…</p></div>
<script nonce="${nonce}">${webviewScript}</script></body></html>`;
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h1 { font-size: 1.4em; margin: 12px 0 4px; } h2 { font-size: 1.1em; margin: 18px 0 6px; border-bottom: 1px solid var(--vscode-panel-border); }
.muted { color: var(--vscode-descriptionForeground); }
button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); border: none; padding: 4px 12px; margin-right: 6px; cursor: pointer; }
button.secondary { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
a.lens { color: var(--vscode-textLink-foreground); cursor: pointer; margin-right: 12px; font-size: 0.9em; }
.verdict { padding: 6px 10px; margin: 8px 0; border-left: 4px solid var(--vscode-charts-green); background: var(--vscode-textBlockQuote-background); }
.verdict.adapted { border-color: var(--vscode-charts-yellow); } .verdict.refused, .verdict.invalid { border-color: var(--vscode-charts-red); }
input { background: var(--vscode-input-background); color: var(--vscode-input-foreground); border: 1px solid var(--vscode-input-border, transparent); padding: 3px 6px; width: 320px; }
.table { border: 1px solid var(--vscode-panel-border); }
.rows { overflow-y: auto; position: relative; }
.row { display: grid; height: 22px; line-height: 22px; white-space: nowrap; overflow: hidden; padding: 0 4px; }
.row > span { overflow: hidden; text-overflow: ellipsis; padding-right: 8px; }
.head { font-weight: bold; background: var(--vscode-editorWidget-background); }
.row.adapt { color: var(--vscode-charts-yellow); } .row.refuse { color: var(--vscode-errorForeground); }
.row.clickable { cursor: pointer; } .row.clickable:hover { background: var(--vscode-list-hoverBackground); }
pre { white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; } dt { color: var(--vscode-descriptionForeground); }
`;

/** Puts the cursor on `line` of the editor, that line at the top. */
function at(editor: TextEditor, line: number): void {
	const range = new Range(line, 0, line, 0);
	editor.selection = new Selection(range.start, range.start);
	editor.revealRange(range, TextEditorRevealType.AtTop);
}

/** What ends a page that has a next one, before that page's URI (a link to it). */
const NEXT_PAGE = ';; rw: the text goes on; the next page: ';

/** `rw-wat:` documents: page N of a module's text, printed by the WAT printer (crate/wat); each links the next. */
class WatDocuments implements TextDocumentContentProvider, DocumentLinkProvider {
	private readonly changes = new EventEmitter<Uri>();
	readonly onDidChange = this.changes.event;
	constructor(private readonly printer: () => Promise<WatPrinter>) {}

	async open(file: Uri, functionIndex?: number): Promise<void> {
		const editor = await this.show(file, 0);
		if (functionIndex === undefined) return;
		const line = this.functionLines.get(editor.document.uri.toString())?.get(functionIndex);
		if (line !== undefined) {
			at(editor, line);
			return;
		}
		// Past the first page: a page that starts at the function's own line.
		const start = (await this.printer()).functionStart(await workspace.fs.readFile(file), functionIndex);
		if (start === undefined) {
			void window.showInformationMessage(`rw: function ${functionIndex} has no text: the module cannot be printed that far`);
			return;
		}
		at(await this.show(file, start), 0);
	}

	/** The page of `file`'s text that starts at character `start`. */
	private async show(file: Uri, start: number): Promise<TextEditor> {
		const uri = Uri.from({ scheme: WAT_SCHEME, path: `${file.path}.wat`, query: JSON.stringify({ file: file.toString(), start }) });
		return window.showTextDocument(await workspace.openTextDocument(uri), { preview: false });
	}

	private readonly functionLines = new Map<string, Map<number, number>>();

	async provideTextDocumentContent(uri: Uri): Promise<string> {
		const { file, start } = JSON.parse(uri.query) as { file: string; start: number };
		const source = Uri.parse(file);
		const name = source.path.split('/').pop() ?? '';
		try {
			const bytes = await workspace.fs.readFile(source);
			const page = (await this.printer()).watPage(bytes, start, WAT_PAGE);
			if ('error' in page) return `;; rw: ${name}: no text: ${page.error}\n`;
			this.functionLines.set(uri.toString(), new Map(page.functions.map(([index, line]) => [index, line])));
			const more = page.more
				? `\n${NEXT_PAGE}${Uri.from({ scheme: WAT_SCHEME, path: uri.path, query: JSON.stringify({ file, start: page.next }) }).toString()}\n`
				: '';
			return page.text + more;
		} catch (error) {
			return `;; rw: ${name}: cannot read it: ${reasonOf(error)}\n`;
		}
	}

	/** The next page's URI, on the page's last lines: VS Code links no URI of an unknown scheme itself. */
	provideDocumentLinks(document: TextDocument): DocumentLink[] {
		for (let line = document.lineCount - 1; line >= Math.max(0, document.lineCount - 3); line--) {
			const text = document.lineAt(line).text;
			if (text.startsWith(NEXT_PAGE)) {
				const link = new DocumentLink(new Range(line, NEXT_PAGE.length, line, text.length), Uri.parse(text.slice(NEXT_PAGE.length)));
				link.tooltip = 'Open the next page of the text';
				return [link];
			}
		}
		return [];
	}
}
