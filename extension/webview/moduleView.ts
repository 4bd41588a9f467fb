// The module view's page (bundled by esbuild.mjs into the extension, sent as the webview's
// one script): renders the model the core made (crate/src/view.rs) and sends back the
// user's Run, Show as WAT and function clicks. Long lists render only their visible rows.
import type { ModuleView } from '../src/coreTypes';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();

const app = document.getElementById('app')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
	const node = Object.assign(document.createElement(tag), props);
	node.append(...children);
	return node;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const bytes = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

const ROW = 22;
const VISIBLE = 15;

/** A table that renders only the rows in view; `filter` narrows it by a text. */
function table<T>(id: string, columns: string[], widths: string, rows: T[], cells: (row: T) => string[], opts: { rowClass?: (row: T) => string; title?: (row: T) => string; click?: (row: T) => void } = {}): HTMLElement {
	const head = el('div', { className: 'row head' }, ...columns.map((c) => el('span', {}, c)));
	head.style.gridTemplateColumns = widths;
	const body = el('div', { className: 'rows' });
	const spacer = el('div');
	body.append(spacer);
	const filter = el('input', { placeholder: `Filter ${count(rows.length, 'row', 'rows')}`, type: 'search' });
	filter.dataset.table = id;
	let shown = rows;
	const render = () => {
		const first = Math.floor(body.scrollTop / ROW);
		spacer.style.height = `${shown.length * ROW}px`;
		body.style.height = `${Math.min(shown.length, VISIBLE) * ROW + 2}px`;
		for (const old of Array.from(body.querySelectorAll('.row'))) old.remove();
		for (const row of shown.slice(first, first + VISIBLE + 2)) {
			const line = el('div', { className: `row ${opts.rowClass?.(row) ?? ''}${opts.click ? ' clickable' : ''}`, title: opts.title?.(row) ?? '' }, ...cells(row).map((c) => el('span', { title: c }, c)));
			line.style.gridTemplateColumns = widths;
			line.style.position = 'absolute';
			line.style.left = '0';
			line.style.right = '0';
			line.style.top = `${(first + shown.slice(first).indexOf(row)) * ROW}px`;
			if (opts.click) line.addEventListener('click', () => opts.click!(row));
			body.append(line);
		}
	};
	filter.addEventListener('input', () => {
		const word = filter.value.toLowerCase();
		shown = word ? rows.filter((row) => cells(row).join(' ').toLowerCase().includes(word)) : rows;
		body.scrollTop = 0;
		render();
	});
	body.addEventListener('scroll', render);
	queueMicrotask(render);
	const wrap = el('div', { className: 'table' }, head, body);
	wrap.id = id;
	return el('div', {}, filter, wrap);
}

function verdictBox(model: ModuleView): HTMLElement {
	const v = model.verdict;
	const box = el('div', { className: `verdict ${model.kind === 'invalid' ? 'invalid' : v.kind}` });
	box.id = 'verdict';
	const head = v.kind === 'run' ? 'rw runs it as it is' : v.kind === 'adapted' ? 'rw runs it adapted' : 'rw cannot run it';
	box.append(el('strong', {}, head));
	if (v.refusal) box.append(el('div', { className: 'refusal' }, v.refusal.line));
	if (v.changes.length) box.append(el('ul', {}, ...v.changes.map((c) => el('li', {}, c))));
	return box;
}

function render(model: ModuleView): void {
	app.replaceChildren();
	const kind = model.kind === 'module' ? 'core module' : model.kind === 'component' ? 'component' : 'not a WebAssembly module';
	app.append(el('h1', {}, model.file));
	const run = el('button', { id: 'run' }, 'Run');
	run.addEventListener('click', () => vscode.postMessage({ type: 'run' }));
	const wat = el('button', { id: 'wat', className: 'secondary' }, 'Show as WAT');
	wat.addEventListener('click', () => vscode.postMessage({ type: 'wat' }));
	const binary = el('button', { className: 'secondary' }, 'Open as binary');
	binary.addEventListener('click', () => vscode.postMessage({ type: 'binary' }));
	const lens = el('a', { className: 'lens', id: 'lens' }, '▷ Run with rw…');
	lens.addEventListener('click', () => vscode.postMessage({ type: 'run' }));
	// Only a core module can run or be printed: a component or a file that is not wasm gets neither.
	if (model.kind === 'module') app.append(el('div', {}, lens));
	app.append(el('div', {}, ...(model.kind === 'module' ? [run, wat] : []), binary));
	const facts = el('dl', { id: 'facts' });
	const fact = (k: string, v: string) => facts.append(el('dt', {}, k), el('dd', {}, v));
	fact('kind', kind);
	fact('WASI', model.wasi);
	fact('size', `${bytes(model.size)} (${model.size} bytes)`);
	for (const p of model.producers) fact(p.split(':')[0]!, p.slice(p.indexOf(':') + 1).trim());
	if (model.kind === 'module') {
		fact('functions', `${model.functions.imported} imported, ${model.functions.defined} defined`);
		fact('globals', `${model.globals.imported} imported, ${model.globals.defined} defined`);
		fact('data segments', `${model.dataSegments}`);
	}
	app.append(facts, verdictBox(model));
	if (model.kind === 'module') {
		app.append(el('h2', {}, `Imports (${model.imports.length})`));
		const imports = [...model.imports].sort((a, b) => a.module.localeCompare(b.module));
		// A refused import's why is the refusal's whole line: its `rw: FILE: ` says nothing in a row of FILE's.
		const why = (text: string) => (text.startsWith(`rw: ${model.file}: `) ? text.slice(`rw: ${model.file}: `.length) : text);
		app.append(table('imports', ['module', 'name', 'kind', 'signature', 'rw'], '2fr 2fr 1fr 3fr 3fr', imports, (i) => [i.module, i.name, i.kind, i.signature, i.mark ? `${i.mark.kind === 'adapt' ? 'adapted' : 'refused'}: ${why(i.mark.why)}` : ''], { rowClass: (i) => i.mark?.kind ?? '', title: (i) => i.mark?.why ?? '' }));
		app.append(el('h2', {}, `Exports (${model.exports.length})`));
		const exports = [...model.exports].sort((a, b) => a.kind.localeCompare(b.kind));
		app.append(table('exports', ['name', 'kind', 'signature'], '3fr 1fr 4fr', exports, (e) => [e.name, e.kind, e.signature]));
		app.append(el('h2', {}, 'Memories and tables'));
		app.append(table('memories', ['what', 'imported as', 'initial', 'maximum', 'shared'], '1fr 2fr 1fr 1fr 1fr', [
			...model.memories.map((m) => ['memory' + (m.memory64 ? ' (64-bit)' : ''), m.import ?? '-', `${count(m.initial, 'page', 'pages')} (${bytes(m.initial * 65536)})`, m.maximum === undefined ? 'none' : count(m.maximum, 'page', 'pages'), m.shared ? 'shared' : '-']),
			...model.tables.map((t) => [`table ${t.element}`, t.import ?? '-', `${t.initial}`, t.maximum === undefined ? 'none' : `${t.maximum}`, '-']),
		], (r) => r));
		app.append(el('h2', {}, `Largest functions (${model.largestFunctions.length} of ${model.functions.defined})`));
		app.append(table('functions', ['index', 'name', 'size', 'offset'], '1fr 5fr 1fr 1fr', model.largestFunctions, (f) => [`${f.index}`, f.name ?? '', bytes(f.size), `0x${f.offset.toString(16)}`], { click: (f) => vscode.postMessage({ type: 'wat', index: f.index - model.functions.imported }) }));
	}
	if (model.sections.length) {
		app.append(el('h2', {}, `Sections (${model.sections.length})`));
		app.append(table('sections', ['section', 'size', 'offset'], '3fr 1fr 1fr', model.sections, (s) => [s.name, bytes(s.size), `0x${s.offset.toString(16)}`]));
	}
	if (model.verdict.explain) {
		app.append(el('h2', {}, 'rw --explain'), el('pre', { id: 'explain' }, model.verdict.explain));
	}
}

window.addEventListener('message', (event: MessageEvent<{ type: string; model?: ModuleView; line?: string }>) => {
	if (event.data.type === 'model' && event.data.model) render(event.data.model);
	if (event.data.type === 'error') app.replaceChildren(el('div', { className: 'verdict refused', id: 'verdict' }, event.data.line ?? ''));
});
// Ask for the model now that the listener above is in place (and again each time the view
// is shown: a hidden view is unloaded).
vscode.postMessage({ type: 'ready' });
