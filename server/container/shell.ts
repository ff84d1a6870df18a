import type { DockerfileModel, DockerInstruction } from './dockerfileModel';

/*
 * Just enough of a POSIX shell lexer to find commands in RUN instructions:
 * quotes, escapes, $(...)/`...`/<(...) substitutions, && || ; | & and
 * newlines, redirections, heredocs, and Docker's line continuations (with
 * the file's escape character, dropping comment lines inside them). Every
 * word keeps its file offsets so findings point at the exact command. One
 * pass, linear in the instruction's length; nested scripts (sh -c '...',
 * heredoc bodies) are re-lexed to a fixed depth.
 */

export interface ShellWord {
  /** The word with quotes removed and escapes resolved (substitutions kept verbatim). */
  value: string;
  start: number;
  end: number;
  /** Command substitutions / process substitutions inside the word: inner [start, end) offsets. */
  subs: Array<{ start: number; end: number }>;
  /** The word is one substitution and nothing else (`"$(curl ...)"`, `<(curl ...)`). */
  wholeSub?: { start: number; end: number };
  /** A single- or double-quoted literal without substitutions: its content's [start, end), for sh -c '...'. */
  literal?: { start: number; end: number; exact: boolean };
}

export interface ShellCommand {
  words: ShellWord[];
  start: number;
  end: number;
  /**
   * commandWords / effectiveCommand, computed on first use: rules ask the same
   * questions of the same (shared) commands. Never modify these answers.
   */
  resolved?: { words?: CommandWords; effective?: EffectiveCommand };
}

export interface CommandWords {
  name: string;
  index: number;
  args: ShellWord[];
}

export interface EffectiveCommand {
  name: string;
  word?: ShellWord;
  args: ShellWord[];
}

export interface ShellPipeline {
  commands: ShellCommand[];
}

const MAX_DEPTH = 3;
const SHELLS = new Set(['sh', 'bash', 'zsh', 'ash', 'dash', 'ksh', 'mksh', 'busybox']);

/*
 * Several rules read the same RUN/ENTRYPOINT/CMD: the lexing is done once per
 * instruction and the results are shared (callers must not modify them).
 */

/** The commands a RUN instruction executes (shell form, exec form, heredoc scripts). */
export function runCommands(model: DockerfileModel, instr: DockerInstruction): ShellPipeline[] {
  return (instr.shared.pipelines ??=
    execFormCommands(model, instr) ?? parseShellScript(model.text, commandStart(model, instr), instr.endOffset, model.escapeChar));
}

/**
 * Moves an instruction's lexed commands by `delta` characters, in place: an
 * open document reuses an unchanged instruction's results after an edit
 * before it (see dockerfileModel.ts). The visits hold every command once
 * (the pipelines' and the nested scripts'); each word owns its spans, but
 * `wholeSub`, which is its only substitution.
 */
export function shiftCommands(pipelines: readonly ShellPipeline[] | undefined, visits: readonly CommandVisit[] | undefined, delta: number): void {
  if (visits) for (const v of visits) shiftCommand(v.cmd, delta);
  else if (pipelines) for (const p of pipelines) for (const c of p.commands) shiftCommand(c, delta);
}

function shiftCommand(c: ShellCommand, delta: number): void {
  c.start += delta;
  c.end += delta;
  for (const w of c.words) {
    w.start += delta;
    w.end += delta;
    for (const sub of w.subs) {
      sub.start += delta;
      sub.end += delta;
    }
    if (w.literal) {
      w.literal.start += delta;
      w.literal.end += delta;
    }
  }
}

export interface CommandVisit {
  cmd: ShellCommand;
  pipeline: ShellPipeline;
  index: number;
}

/**
 * Every simple command an instruction runs, in `forEachCommand` order
 * (nested `sh -c` scripts and substitutions included), computed once.
 */
export function instructionCommands(model: DockerfileModel, instr: DockerInstruction): readonly CommandVisit[] {
  let visits = instr.shared.commands;
  if (!visits) {
    const collected: CommandVisit[] = [];
    collectCommands(model.text, runCommands(model, instr), model.escapeChar, collected, 0);
    visits = instr.shared.commands = collected;
  }
  return visits;
}

/** `forEachCommand` over an instruction's commands, from the shared lexing. */
export function forEachInstructionCommand(
  model: DockerfileModel,
  instr: DockerInstruction,
  visit: (cmd: ShellCommand, pipeline: ShellPipeline, index: number) => void,
): void {
  for (const v of instructionCommands(model, instr)) visit(v.cmd, v.pipeline, v.index);
}

/** Offset of the command text: past the keyword and any --mount/--network/--security flags. */
function commandStart(model: DockerfileModel, instr: DockerInstruction): number {
  const text = model.text;
  let i = instr.argsOffset;
  for (;;) {
    i = skipBlanks(text, i, instr.endOffset, model.escapeChar);
    if (text.startsWith('--', i)) {
      // A flag value may be quoted; flags never contain unquoted blanks.
      let quote = '';
      while (i < instr.endOffset) {
        const c = text[i];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') break;
        else if (c === model.escapeChar && isContinuation(text, i, instr.endOffset)) break;
        i++;
      }
      continue;
    }
    return i;
  }
}

function skipBlanks(text: string, i: number, end: number, escapeChar: string): number {
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t') i++;
    else if (c === escapeChar && isContinuation(text, i, end)) i = afterContinuation(text, i, end);
    else break;
  }
  return i;
}

/** The escape character followed by optional blanks and a line break. */
function isContinuation(text: string, i: number, end: number): boolean {
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  return j >= end || text[j] === '\n' || text[j] === '\r';
}

/** Past a continuation and any blank or comment lines Docker drops after it. */
function afterContinuation(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
  j = pastLineBreak(text, j, end);
  for (;;) {
    let k = j;
    while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
    if (k < end && text[k] === '#') {
      while (k < end && text[k] !== '\n' && text[k] !== '\r') k++;
      j = pastLineBreak(text, k, end);
      continue;
    }
    if (k < end && (text[k] === '\n' || text[k] === '\r')) {
      j = pastLineBreak(text, k, end);
      continue;
    }
    return j;
  }
}

function pastLineBreak(text: string, j: number, end: number): number {
  if (j < end && text[j] === '\r') j++;
  if (j < end && text[j] === '\n') j++;
  return j;
}

/** `RUN ["sh", "-c", "..."]`: the array's words; a shell's -c script is lexed too. */
function execFormCommands(model: DockerfileModel, instr: DockerInstruction): ShellPipeline[] | undefined {
  const start = skipBlanks(model.text, instr.argsOffset, instr.endOffset, model.escapeChar);
  if (model.text[start] !== '[') return undefined;
  const raw = model.text.slice(start, instr.endOffset);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) return undefined;
  const words: ShellWord[] = [];
  let cursor = start;
  for (const value of parsed as string[]) {
    const encoded = JSON.stringify(value);
    const at = model.text.indexOf(encoded, cursor);
    const wStart = at >= 0 && at < instr.endOffset ? at : start;
    const wEnd = at >= 0 && at < instr.endOffset ? at + encoded.length : instr.endOffset;
    if (at >= 0) cursor = wEnd;
    words.push({
      value,
      start: wStart,
      end: wEnd,
      subs: [],
      literal: at >= 0 ? { start: wStart + 1, end: wEnd - 1, exact: encoded.length === value.length + 2 } : undefined,
    });
  }
  if (words.length === 0) return [];
  return [{ commands: [{ words, start: words[0].start, end: words[words.length - 1].end }] }];
}

type Token = { kind: 'word'; word: ShellWord } | { kind: 'op'; op: string; start: number };

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  /** Index of the command (in the flat list) the heredoc feeds. */
  command: number;
}

/**
 * Lexes [start, end) of `text` into pipelines. Heredoc bodies that a shell
 * reads as its script (bare `RUN <<EOF`, `bash <<EOF`) become commands too;
 * other heredocs are data and are skipped.
 */
export function parseShellScript(text: string, start: number, end: number, escapeChar: string, depth = 0): ShellPipeline[] {
  const b = new PipelineBuilder(start);
  const scriptBodies: Array<{ command: ShellCommand; start: number; end: number }> = [];
  let redirectNext = false;

  let i = start;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === escapeChar && isContinuation(text, i, end)) {
      i = afterContinuation(text, i, end);
      continue;
    }
    if (c === '\n' || c === '\r') {
      const next = pastLineBreak(text, i, end);
      b.endPipeline();
      i = next;
      if (b.heredocs.length) {
        i = consumeHeredocBodies(text, i, end, b.heredocs, b.allCommands, scriptBodies);
        b.heredocs = [];
      }
      continue;
    }
    if (c === '#') {
      while (i < end && text[i] !== '\n' && text[i] !== '\r') i++;
      continue;
    }
    if (c === '&' && text[i + 1] === '&') {
      b.endPipeline();
      i += 2;
      continue;
    }
    if (c === '|' && text[i + 1] === '|') {
      b.endPipeline();
      i += 2;
      continue;
    }
    if (c === '|') {
      b.endCommand();
      i += text[i + 1] === '&' ? 2 : 1;
      continue;
    }
    if (c === ';' || c === '(' || c === ')' || (c === '&' && text[i + 1] !== '>')) {
      b.endPipeline();
      i++;
      continue;
    }
    // Redirections: the operator and its target are not command words.
    const redirect = mayStartRedirect(c) ? REDIRECT.exec(text.slice(i, Math.min(end, i + 6))) : null;
    if (redirect && !(redirect[2] === '<' && text[i + redirect[0].length] === '(') && !(redirect[2] === '>' && text[i + redirect[0].length] === '(')) {
      i += redirect[0].length;
      if (redirect[2] === '<<' || redirect[2] === '<<-') {
        i = skipBlanks(text, i, end, escapeChar);
        const lexed = lexWord(text, i, end, escapeChar);
        if (lexed.word) {
          b.heredocs.push({ delimiter: lexed.word.value, stripTabs: redirect[2] === '<<-', command: b.commandCount });
          i = lexed.next;
        }
        continue;
      }
      redirectNext = true;
      continue;
    }
    const lexed = lexWord(text, i, end, escapeChar);
    if (lexed.next <= i) {
      i++;
      continue;
    }
    if (lexed.word) {
      if (redirectNext) redirectNext = false;
      else b.words.push(lexed.word);
    }
    i = lexed.next;
  }
  b.endPipeline();

  if (depth < MAX_DEPTH) {
    for (const body of scriptBodies) {
      const name = body.command.words.length ? commandWords(body.command).name : '';
      if (name === '' || (isShellName(name) && !hasFlag(commandWords(body.command).args, 'c'))) {
        b.pipelines.push(...parseShellScript(text, body.start, body.end, escapeChar, depth + 1));
      }
    }
  }
  return b.pipelines;
}

/** The pipelines lexed so far (a class rather than closures: this runs for every RUN). */
class PipelineBuilder {
  readonly pipelines: ShellPipeline[] = [];
  current: ShellPipeline = { commands: [] };
  words: ShellWord[] = [];
  heredocs: PendingHeredoc[] = [];
  commandCount = 0;
  readonly allCommands: ShellCommand[] = [];

  constructor(private readonly start: number) {}

  endCommand(): void {
    const words = this.words;
    if (words.length || feedsHeredoc(this.heredocs, this.commandCount)) {
      const cmd: ShellCommand = {
        words,
        start: words[0]?.start ?? this.start,
        end: words[words.length - 1]?.end ?? this.start,
      };
      this.current.commands.push(cmd);
      this.allCommands[this.commandCount] = cmd;
      this.commandCount++;
    }
    this.words = [];
  }

  endPipeline(): void {
    this.endCommand();
    if (this.current.commands.length) this.pipelines.push(this.current);
    this.current = { commands: [] };
  }
}

const REDIRECT = /^(\d*)(<<-?|<<<|>>|>&|<&|&>>?|>\||<>|>|<)/;

/** Only a digit or an operator character can begin a redirection (skips the regex for ordinary words). */
function mayStartRedirect(c: string): boolean {
  return c === '<' || c === '>' || c === '&' || (c >= '0' && c <= '9');
}

function feedsHeredoc(heredocs: readonly PendingHeredoc[], command: number): boolean {
  for (const h of heredocs) if (h.command === command) return true;
  return false;
}

function consumeHeredocBodies(
  text: string,
  i: number,
  end: number,
  heredocs: PendingHeredoc[],
  commands: ShellCommand[],
  bodies: Array<{ command: ShellCommand; start: number; end: number }>,
): number {
  for (const h of heredocs) {
    const bodyStart = i;
    let bodyEnd = end;
    while (i < end) {
      let lineEnd = i;
      while (lineEnd < end && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      let line = text.slice(i, lineEnd);
      if (h.stripTabs) line = line.replace(/^\t+/, '');
      const next = pastLineBreak(text, lineEnd, end);
      if (line === h.delimiter) {
        bodyEnd = i;
        i = next;
        break;
      }
      i = next === lineEnd ? end : next;
    }
    const command = commands[h.command];
    if (command) bodies.push({ command, start: bodyStart, end: bodyEnd });
  }
  return i;
}

/** Lexes one word starting at i. */
function lexWord(text: string, i: number, end: number, escapeChar: string): { word?: ShellWord; next: number } {
  const start = i;
  let value = '';
  const subs: ShellWord['subs'] = [];
  let quotedParts = 0;
  let literal: ShellWord['literal'];
  let unquotedChars = 0;
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ';' || c === '|' || c === '&' || c === ')' || c === '(') break;
    if ((c === '<' || c === '>') && text[i + 1] !== '(') break;
    if (c === escapeChar && isContinuation(text, i, end)) {
      i = afterContinuation(text, i, end);
      continue;
    }
    if (c === '\\') {
      if (i + 1 < end) value += text[i + 1];
      i += 2;
      unquotedChars++;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 || close >= end ? end : close;
      value += text.slice(i + 1, stop);
      literal = stop < end ? { start: i + 1, end: stop, exact: true } : undefined;
      quotedParts++;
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let exact = true;
      const subsBefore = subs.length;
      while (j < end && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < end) {
          value += text[j + 1];
          j += 2;
          exact = false;
          continue;
        }
        if (text[j] === '$' && text[j + 1] === '(') {
          const close = matchParen(text, j + 1, end);
          if (close < 0) {
            value += text.slice(j, end);
            j = end;
            break;
          }
          subs.push({ start: j + 2, end: close });
          value += text.slice(j, close + 1);
          j = close + 1;
          continue;
        }
        if (text[j] === '`') {
          const close = indexOrEnd(text, '`', j + 1, end);
          if (close < end) subs.push({ start: j + 1, end: close });
          value += text.slice(j, Math.min(close + 1, end));
          j = close + 1;
          continue;
        }
        value += text[j];
        j++;
      }
      if (subs.length === subsBefore && j < end) literal = { start: i + 1, end: j, exact };
      quotedParts++;
      i = j + 1;
      continue;
    }
    if ((c === '$' || c === '<' || c === '>') && text[i + 1] === '(') {
      const close = matchParen(text, i + 1, end);
      if (close < 0) {
        value += text.slice(i, end);
        i = end;
        break;
      }
      subs.push({ start: i + 2, end: close });
      value += text.slice(i, close + 1);
      i = close + 1;
      unquotedChars++;
      continue;
    }
    if (c === '`') {
      const close = indexOrEnd(text, '`', i + 1, end);
      if (close < end) subs.push({ start: i + 1, end: close });
      value += text.slice(i, Math.min(close + 1, end));
      i = close + 1;
      unquotedChars++;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      const close = indexOrEnd(text, '}', i + 2, end);
      value += text.slice(i, Math.min(close + 1, end));
      i = close + 1;
      unquotedChars++;
      continue;
    }
    // A run of ordinary characters is taken in one slice.
    let j = i + 1;
    while (j < end && isOrdinary(text.charCodeAt(j), escapeChar)) j++;
    value += j === i + 1 ? c : text.slice(i, j);
    unquotedChars += j - i;
    i = j;
  }
  if (i === start) return { next: i };
  const word: ShellWord = { value, start, end: Math.min(i, end), subs };
  if (subs.length === 1 && isWholeSubstitution(value)) word.wholeSub = subs[0];
  if (quotedParts === 1 && unquotedChars === 0 && literal && subs.length === 0) word.literal = literal;
  return { word, next: Math.min(i, end) };
}

/**
 * Characters lexWord appends as they are: not a blank or line break, an
 * operator, a quote, an escape, or the start of an expansion ($ is ordinary
 * only when no `(` or `{` follows, so it always ends a run and is judged by
 * the full check).
 */
function isOrdinary(code: number, escapeChar: string): boolean {
  switch (code) {
    case 32: // space
    case 9: // \t
    case 10: // \n
    case 13: // \r
    case 59: // ;
    case 124: // |
    case 38: // &
    case 40: // (
    case 41: // )
    case 60: // <
    case 62: // >
    case 92: // \\
    case 39: // '
    case 34: // "
    case 36: // $
    case 96: // `
      return false;
    default:
      return code !== escapeChar.charCodeAt(0);
  }
}

function isWholeSubstitution(value: string): boolean {
  return /^(\$\(|<\(|`)[\s\S]*(\)|`)$/.test(value) && !/^\$\(\(/.test(value);
}

function indexOrEnd(text: string, ch: string, from: number, end: number): number {
  const k = text.indexOf(ch, from);
  return k < 0 || k >= end ? end : k;
}

/** The `)` closing the `(` at `open`, skipping quotes; -1 if unbalanced (a syntax error the shell would refuse). */
function matchParen(text: string, open: number, end: number): number {
  let depth = 0;
  let quote = '';
  for (let k = open; k < end; k++) {
    const c = text[k];
    if (quote) {
      if (c === '\\' && quote === '"') k++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '\\') {
      k++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return k;
  }
  return -1;
}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time', 'fi', 'done', 'esac']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** Basename of a command word: `/usr/bin/sudo` → `sudo`. */
export function baseName(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

/**
 * The command a simple command runs: past variable assignments and reserved
 * words. `index` is the position of the command word in `cmd.words` (-1: none).
 */
export function commandWords(cmd: ShellCommand): CommandWords {
  return ((cmd.resolved ??= {}).words ??= computeCommandWords(cmd));
}

function computeCommandWords(cmd: ShellCommand): CommandWords {
  let k = 0;
  while (k < cmd.words.length && (ASSIGNMENT.test(cmd.words[k].value) || RESERVED.has(cmd.words[k].value))) k++;
  if (k >= cmd.words.length) return { name: '', index: -1, args: [] };
  return { name: baseName(cmd.words[k].value), index: k, args: cmd.words.slice(k + 1) };
}

const SUDO_VALUE_FLAGS = new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-U', '-T', '-c']);
const ENV_VALUE_FLAGS = new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']);

/**
 * The command that really runs, seeing through wrappers: `sudo -E bash` →
 * bash, `env X=1 python3` → python3, `exec`, `nohup`, `nice`, `command`.
 */
export function effectiveCommand(cmd: ShellCommand): EffectiveCommand {
  return ((cmd.resolved ??= {}).effective ??= computeEffectiveCommand(cmd));
}

function computeEffectiveCommand(cmd: ShellCommand): EffectiveCommand {
  const first = commandWords(cmd);
  if (first.index < 0) return { name: '', args: [] };
  let words = cmd.words.slice(first.index);
  for (let guard = 0; guard < 8 && words.length; guard++) {
    const name = baseName(words[0].value);
    let k = 1;
    if (name === 'sudo' || name === 'doas' || name === 'gosu' || name === 'su-exec') {
      if (name === 'gosu' || name === 'su-exec') k = 2; // gosu USER cmd
      else {
        while (k < words.length && words[k].value.startsWith('-')) {
          if (words[k].value === '--') {
            k++;
            break;
          }
          k += SUDO_VALUE_FLAGS.has(words[k].value) ? 2 : 1;
        }
      }
    } else if (name === 'env') {
      while (k < words.length && (words[k].value.startsWith('-') || ASSIGNMENT.test(words[k].value))) {
        k += ENV_VALUE_FLAGS.has(words[k].value) ? 2 : 1;
      }
    } else if (name === 'exec' || name === 'nohup' || name === 'command' || name === 'builtin') {
      while (k < words.length && words[k].value.startsWith('-')) k++;
    } else if (name === 'nice' || name === 'ionice' || name === 'stdbuf' || name === 'timeout') {
      while (k < words.length && words[k].value.startsWith('-')) k += /^-[nc]$/.test(words[k].value) ? 2 : 1;
      if (name === 'timeout' && k < words.length) k++; // the duration
    } else {
      return { name, word: words[0], args: words.slice(1) };
    }
    words = words.slice(k);
  }
  return words.length ? { name: baseName(words[0].value), word: words[0], args: words.slice(1) } : { name: '', args: [] };
}

export function isShellName(name: string): boolean {
  return SHELLS.has(name);
}

/** A short option cluster contains the letter (`-ec` has `c`), or the long form is present. */
export function hasFlag(args: readonly ShellWord[], letter: string, long?: string): boolean {
  for (const a of args) {
    const v = a.value;
    if (long && (v === long || v.startsWith(`${long}=`))) return true;
    if (/^-[A-Za-z]+$/.test(v) && v.slice(1).includes(letter)) return true;
  }
  return false;
}

/** Walks every simple command, including those inside `sh -c '...'` strings and $(...) substitutions. */
export function forEachCommand(
  text: string,
  pipelines: readonly ShellPipeline[],
  escapeChar: string,
  visit: (cmd: ShellCommand, pipeline: ShellPipeline, index: number) => void,
  depth = 0,
): void {
  const visits: CommandVisit[] = [];
  collectCommands(text, pipelines, escapeChar, visits, depth);
  for (const v of visits) visit(v.cmd, v.pipeline, v.index);
}

function collectCommands(text: string, pipelines: readonly ShellPipeline[], escapeChar: string, out: CommandVisit[], depth: number): void {
  for (const pipeline of pipelines) {
    const commands = pipeline.commands;
    for (let index = 0; index < commands.length; index++) {
      const cmd = commands[index];
      out.push({ cmd, pipeline, index });
      if (depth >= MAX_DEPTH) continue;
      for (const inner of nestedScripts(cmd)) {
        collectCommands(text, parseShellScript(text, inner.start, inner.end, escapeChar, depth + 1), escapeChar, out, depth + 1);
      }
    }
  }
}

/** Script text a command runs in-line: the -c string of a shell, and command substitutions. */
function nestedScripts(cmd: ShellCommand): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const w of cmd.words) out.push(...w.subs);
  const eff = effectiveCommand(cmd);
  if (isShellName(eff.name)) {
    const cIndex = eff.args.findIndex((a) => /^-[A-Za-z]*c[A-Za-z]*$/.test(a.value));
    const script = cIndex >= 0 ? eff.args[cIndex + 1] : undefined;
    if (script?.literal?.exact) out.push({ start: script.literal.start, end: script.literal.end });
  }
  return out;
}
