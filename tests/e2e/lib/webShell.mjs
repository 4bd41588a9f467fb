// Drives one Web Shell terminal (extension ms-vscode.webshell) in a VS Code for the Web page.
//
// Reading goes through the terminal's xterm.js instance, which VS Code hangs on the
// `.terminal-wrapper` element as `.xterm` (its smoke-test driver reads terminals the same way):
// the buffer has the scrollback and marks wrapped lines, unlike the DOM rows (viewport only, and
// sticky scroll adds a second `.xterm-rows`).
//
// Command boundaries and exit codes come from the shell-integration sequences the Web Shell writes,
// OSC 633: A prompt start, B command start (prompt done), C output start, E command line,
// D;<exit code> command done. We add an OSC 633 handler to xterm that records each sequence with a
// buffer marker at its position and returns false, so VS Code's own handler (which draws the
// command decorations, "Exit Code N" in their hover) still sees every sequence.
import { runPaletteCommand } from './vscodeWeb.mjs';

const DEFAULT_TIMEOUT = 30_000;
// Opening a terminal: on a loaded machine (or a fresh one, compiling the Web Shell's coreutils)
// the first prompt can take well over the 30 s a command gets.
const OPEN_TIMEOUT = 90_000;

/**
 * Runs in the page, once per terminal: records the OSC 633 sequences of `term` and keeps the
 * helpers the Node side calls under globalThis.__rwShells[id].
 */
function installTracker([id, term]) {
  const events = [];
  // Page clock times (ms): of each sequence as xterm parses it, and of the last Enter typed.
  let enteredAt;
  term.onData((data) => { if (data.includes('\r')) enteredAt = performance.now(); });
  term.parser.registerOscHandler(633, (data) => {
    const [kind, ...rest] = data.split(';');
    events.push({ kind, arg: rest.join(';'), marker: term.registerMarker(0), x: term.buffer.active.cursorX, at: performance.now() });
    return false; // let VS Code's shell integration handle it too
  });
  // Text of buffer rows [from, to): wrapped rows joined, trailing blanks trimmed; `toX` cuts the last row.
  const text = (from, to, toX) => {
    const buf = term.buffer.active;
    const lines = [];
    for (let y = Math.max(0, from); y < Math.min(to, buf.length); y++) {
      const line = buf.getLine(y);
      const part = line.translateToString(false, 0, y === to - 1 ? toX : undefined);
      if (line.isWrapped && lines.length) lines[lines.length - 1] += part;
      else lines.push(part);
    }
    return lines.map((l) => l.trimEnd()).join('\n');
  };
  const state = () => {
    const buf = term.buffer.active;
    const last = events.at(-1);
    return {
      events: events.map((e) => ({ kind: e.kind, arg: e.arg })),
      idle: last ? last.kind === 'B' : undefined, // B: prompt written, reading a line
      screen: text(buf.viewportY, buf.viewportY + term.rows).replace(/\n+$/, ''),
    };
  };
  // Output and exit code of the first command (C ... D) among events[start...].
  const result = (start, withOutput) => {
    const ev = events.slice(start);
    const c = ev.findIndex((e) => e.kind === 'C');
    const d = ev.findIndex((e, i) => i > c && e.kind === 'D');
    const exitCode = ev[d].arg === '' ? undefined : Number(ev[d].arg);
    // Enter → the next prompt parsed (B after D), on the page's clock: no polling in it.
    const prompt = ev.find((e, i) => i > d && e.kind === 'B');
    const elapsedMs = prompt && enteredAt !== undefined ? prompt.at - enteredAt : undefined;
    if (!withOutput) return { output: undefined, exitCode, elapsedMs };
    if (ev[c].marker.isDisposed) {
      return { error: 'the output outgrew the scrollback (terminal.integrated.scrollback)' };
    }
    const { line: from } = ev[c].marker;
    const { line: to } = ev[d].marker;
    // D follows the output's last \r\n (column 0 of the next row), or sits mid-row when the
    // output did not end with a newline.
    const output = ev[d].x === 0 ? text(from, to) : text(from, to + 1, ev[d].x);
    return { output, exitCode, elapsedMs };
  };
  // When a row below the command line first matched `armed.pattern`, as xterm parsed it (for
  // the benchmark: how soon a line a program printed shows while it goes on running).
  let armed;
  term.onWriteParsed(() => {
    // A marker dropped with its row (the output outgrew the scrollback) says nothing more.
    if (armed === undefined || armed.at !== undefined || armed.marker.isDisposed) return;
    const buf = term.buffer.active;
    // A marker's line follows the rows as the scrollback drops its oldest.
    const rows = text(armed.marker.line + 1, buf.baseY + buf.cursorY + 1).split('\n');
    if (rows.some((row) => armed.pattern.test(row))) armed.at = performance.now();
  });
  // On the row of the prompt, where the command will be typed.
  const armText = (source) => {
    armed?.marker.dispose();
    armed = { pattern: new RegExp(source), marker: term.registerMarker(0), at: undefined };
  };
  const textShownMs = () => (armed?.at === undefined || enteredAt === undefined ? undefined : armed.at - enteredAt);
  (globalThis.__rwShells ??= {})[id] = { term, events, text, state, result, armText, textShownMs };
}

/**
 * Opens a new Web Shell in the page (command `ms-vscode.webshell.create`) and waits for its prompt.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<WebShell>}
 */
export function openWebShell(page, { timeout = OPEN_TIMEOUT } = {}) {
  return openTerminal(page, 'Terminal: Create New Web Shell', { timeout });
}

/**
 * Opens a terminal with the palette command `title` and waits for its prompt (a line ending
 * in `$`). Any shell that writes OSC 633 works: the Web Shell, or bash with VS Code's shell
 * integration in an integrated terminal.
 * @returns {Promise<WebShell>}
 */
export async function openTerminal(page, title, { timeout = OPEN_TIMEOUT } = {}) {
  const id = `shell${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  // Mark the terminals already there, so we pick the new one even before it becomes active.
  await page.evaluate(() => document.querySelectorAll('.terminal-wrapper').forEach((w) => { w.dataset.rwSeen = '1'; }));
  await runPaletteCommand(page, title);
  const wrapper = await page.waitForFunction(
    () => [...document.querySelectorAll('.terminal-wrapper')].find((w) => !w.dataset.rwSeen && w.xterm)?.xterm,
    undefined, { timeout });
  await page.evaluate(installTracker, [id, wrapper]);
  await wrapper.dispose();
  const shell = new WebShell(page, id);
  await shell.waitForPrompt({ timeout });
  return shell;
}

export class WebShell {
  constructor(page, id) {
    this.page = page;
    this.id = id;
    this.last = undefined; // { line, exitCode, output } of the last finished command
  }

  /**
   * Types `line` and Enter, waits until the command is done and the prompt is back.
   * @returns {Promise<string>} what the command printed (stdout and stderr, as on screen), without
   *   the command line and the next prompt; lines joined with \n, trailing blanks trimmed.
   *   With `output: false`, undefined: for commands whose output may outgrow the scrollback.
   */
  async run(line, { timeout = DEFAULT_TIMEOUT, output: withOutput = true } = {}) {
    if (!line.trim()) throw new Error('run(): empty command line (the Web Shell just prompts again)');
    // Typing while a command still runs would feed it (or queue the line behind it): wait for the
    // prompt, so a run() after a stuck one fails here, clearly. Use type() for deliberate input.
    await this.waitForPrompt({ timeout });
    const start = await this.page.evaluate((id) => globalThis.__rwShells[id].events.length, this.id);
    await this.type(`${line}\r`);
    const done = (s) => {
      const ev = s.events.slice(start);
      const c = ev.findIndex((e) => e.kind === 'C');
      const d = ev.findIndex((e, i) => i > c && e.kind === 'D');
      return c >= 0 && d > c && ev.slice(d + 1).some((e) => e.kind === 'B');
    };
    const s = await this.waitFor(done, `"${line}" to finish and the prompt to come back`, timeout);
    const { output, exitCode, elapsedMs, error } = await this.page.evaluate(
      ([id, start, withOutput]) => globalThis.__rwShells[id].result(start, withOutput), [this.id, start, withOutput]);
    if (error) throw new Error(`Web Shell: "${line}": ${error}`);
    // The command's prompt start (OSC 633;A): the row VS Code puts its decoration on. Not seen for
    // a first command whose prompt predates the tracker: then the row above the output (C).
    const c = s.events.findIndex((e, i) => i >= start && e.kind === 'C');
    const a = s.events.findLastIndex((e, i) => i < c && (e.kind === 'A' || e.kind === 'B'));
    this.last = { line, exitCode, output, elapsedMs, promptRow: a >= 0 ? [a, 0] : [c, -1] };
    return output;
  }

  /**
   * run(), also timing Enter → the first row of the command's output that matches `pattern`
   * (a RegExp tested on each row), as the page's terminal parsed it; see shownMs().
   */
  async runTimingText(line, pattern, options) {
    await this.waitForPrompt({ timeout: options?.timeout });
    await this.page.evaluate(([id, source]) => globalThis.__rwShells[id].armText(source), [this.id, pattern.source]);
    const output = await this.run(line, options);
    this.last.shownMs = await this.page.evaluate((id) => globalThis.__rwShells[id].textShownMs(), this.id);
    return output;
  }

  /** Milliseconds from the Enter of the last runTimingText() to its pattern's row parsed. */
  shownMs() {
    if (this.last?.shownMs === undefined) throw new Error('shownMs(): no row matched in the last runTimingText()');
    return this.last.shownMs;
  }

  /** Exit code of the last command run() finished, as the Web Shell reported it (OSC 633;D). */
  exitCode() {
    if (!this.last) throw new Error('exitCode(): no command has finished yet');
    return this.last.exitCode;
  }

  /**
   * Milliseconds from the Enter of the last command run() finished to its next prompt, both as
   * the page saw them (the typed key, the prompt's OSC 633;B parsed): what a user waits.
   */
  elapsedMs() {
    if (this.last?.elapsedMs === undefined) throw new Error('elapsedMs(): no command has finished yet');
    return this.last.elapsedMs;
  }

  /**
   * Exit code of the last finished command as VS Code's UI shows it: its command decoration (the
   * circle left of the prompt) has class `error` on failure, and only then does its hover say
   * "Exit Code N" (success hovers just say "Command executed ..."). Slower than exitCode() (hover
   * delay) and needs the command's row on screen; meant to cross-check exitCode().
   * @returns {Promise<number|undefined>} 0, N, or undefined for a failure without a code
   */
  async decorationExitCode({ timeout = 30_000 } = {}) {
    if (!this.last) throw new Error('decorationExitCode(): no command has finished yet');
    // The decoration on the command's prompt row, once VS Code has drawn it as finished: it
    // renders decorations on a later animation frame than the sequences arrive, so the newest
    // finished decoration in the DOM can still be the previous command's. xterm.js also moves
    // decorations only when it renders: until then the buffer has scrolled but the elements sit
    // where they were, so an earlier command's decoration can be on our row for a frame, and one
    // scrolled off screen is hidden but keeps its last `top`. So: only a visible decoration, and
    // only once the same one has been on the row for a few frames with nothing new written.
    // Frames are counted afresh for each call: a count left by an earlier call is not this one's.
    await this.page.evaluate((id) => { globalThis.__rwShells[id].decorationSeen = undefined; }, this.id);
    const deco = (await this.page.waitForFunction(([id, [event, offset]]) => {
      const shell = globalThis.__rwShells[id];
      const { term, events } = shell;
      const marker = events[event]?.marker;
      const rowHeight = term.element.querySelector('.xterm-rows > div')?.getBoundingClientRect().height;
      if (!marker || marker.isDisposed || !rowHeight) return undefined;
      const row = marker.line + offset - term.buffer.active.viewportY;
      // Only a decoration that shows its outcome: VS Code may draw one before it knows it.
      const finished = '.terminal-command-decoration.error, .terminal-command-decoration.codicon-terminal-decoration-success';
      const found = [...term.element.querySelectorAll(finished)]
        .find((e) => e.style.display !== 'none' && Math.round(parseFloat(e.style.top) / rowHeight) === row);
      const seen = `${row} ${term.buffer.active.viewportY} ${events.length} ${found?.className}`;
      // `last` is undefined on this call's first frame (then nothing counts as seen before).
      const last = shell.decorationSeen;
      const same = last !== undefined && last.found === found && last.seen === seen;
      shell.decorationSeen = { found, seen, frames: same ? last.frames + 1 : 1 };
      return found && shell.decorationSeen.frames >= 3 ? found : undefined;
    }, [this.id, this.last.promptRow], { timeout }).catch((e) => {
      throw new Error(`decorationExitCode(): no finished decoration on the row of "${this.last.line}" ` +
        `within ${timeout} ms (scrolled off screen?): ${e.message}`);
    })).asElement();
    if (!(await deco.getAttribute('class')).split(' ').includes('error')) return 0;
    // From elsewhere onto it: a pointer already resting there would start no hover.
    await this.page.mouse.move(0, 0);
    await deco.hover({ timeout });
    const hover = this.page.locator('.monaco-hover:visible, .workbench-hover:visible').filter({ hasText: 'Command executed' });
    const text = await hover.first().innerText({ timeout });
    await this.page.mouse.move(0, 0); // leave, so the hover does not cover the next one
    const m = /Exit Code (-?\d+)/.exec(text);
    return m ? Number(m[1]) : undefined;
  }

  /** Sends `text` to the terminal as typed input ("\r" is Enter). Focuses the terminal first. */
  async type(text) {
    await this.focus();
    for (const part of text.split(/(\r)/)) {
      if (part === '\r') await this.page.keyboard.press('Enter');
      else if (part) await this.page.keyboard.insertText(part); // one input event, not one per key
    }
  }

  /** Presses Control+C in the terminal (the Web Shell pseudoterminal fires onDidCtrlC). */
  async ctrlC() {
    await this.focus();
    await this.page.keyboard.press('Control+C');
  }

  /** Waits until the screen (visible rows) matches `pattern` (RegExp or substring). */
  async waitForText(pattern, { timeout = DEFAULT_TIMEOUT } = {}) {
    const test = typeof pattern === 'string' ? (t) => t.includes(pattern) : (t) => pattern.test(t);
    await this.waitFor((s) => test(s.screen), `screen text ${pattern}`, timeout);
  }

  /** Waits until the shell shows a prompt and is reading a command line. */
  async waitForPrompt({ timeout = DEFAULT_TIMEOUT } = {}) {
    // idle is undefined before the first OSC 633 sequence: the first prompt can predate the tracker.
    await this.waitFor((s) => s.idle !== false && /\$$/.test(s.screen), 'the prompt', timeout);
  }

  /** Text of the visible rows (wrapped rows joined). */
  async screen() {
    return (await this.state()).screen;
  }

  /** Whole buffer (scrollback + screen) as text. */
  async text() {
    return this.page.evaluate((id) => globalThis.__rwShells[id].text(0, Infinity), this.id);
  }

  /** Gives the terminal keyboard focus. */
  async focus() {
    await this.page.evaluate((id) => globalThis.__rwShells[id].term.focus(), this.id);
  }

  /** Snapshot: { screen: visible text, events: OSC 633 seen, idle: reading a command line }. */
  async state() {
    return this.page.evaluate((id) => globalThis.__rwShells[id].state(), this.id);
  }

  /**
   * Polls state() until `predicate(state)` holds; on timeout throws with the screen text.
   * Polling from Node (not waitForFunction) keeps the predicates plain Node functions.
   */
  async waitFor(predicate, what, timeout = DEFAULT_TIMEOUT) {
    const deadline = Date.now() + timeout;
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      const s = await this.state();
      if (predicate(s)) return s;
      if (Date.now() > deadline) {
        const events = s.events.slice(-8).map((e) => e.kind + (e.arg ? `;${e.arg}` : '')).join(' ');
        throw new Error(`Web Shell: timed out after ${timeout} ms waiting for ${what}.\n` +
          `Last OSC 633 events: ${events || '(none)'}\n--- screen ---\n${s.screen}\n--------------`);
      }
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
