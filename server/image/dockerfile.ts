// A small, linear Dockerfile reader for attribution: instructions with their
// line span and joined text, stages, and FROM images with ARGs resolved.
// (The Container layer's rules use dockerfile-ast; here only the instruction
// text the builder would have recorded matters, and it must never throw.)

export interface DockerInstruction {
  /** Upper-case keyword: RUN, COPY, FROM… */
  keyword: string;
  /** The arguments as the builder sees them: continuations joined, comment lines dropped. */
  args: string;
  /** 0-based first and last line. */
  startLine: number;
  endLine: number;
  /** Character span of the keyword on the first line (for diagnostics). */
  keywordStart: number;
  /** Length of the first line (diagnostic end). */
  firstLineEnd: number;
  stage: number;
}

export interface FromInstruction {
  instruction: DockerInstruction;
  /** The image as written (may contain $ARG). */
  image: string;
  /** After ARG substitution; undefined when a variable has no value. */
  resolvedImage?: string;
  /** `AS name`, lower-cased. */
  alias?: string;
  /** The FROM names an earlier stage, not an image. */
  fromStage: boolean;
  /** Character span of the image text on the FROM line. */
  imageStart: number;
  imageEnd: number;
}

export interface DockerfileModel {
  instructions: DockerInstruction[];
  froms: FromInstruction[];
  /** ARGs declared before the first FROM, with defaults. */
  globalArgs: Map<string, string | undefined>;
}

const MAX_HEREDOC_LINES = 100_000;

export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): DockerfileModel {
  const lines = text.split(/\r\n|\r|\n/);
  let escape = '\\';
  let i = 0;
  // Parser directives: only at the very top, before any other line.
  while (i < lines.length) {
    const m = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S*)\s*$/.exec(lines[i]);
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
    i++;
  }
  const instructions: DockerInstruction[] = [];
  const froms: FromInstruction[] = [];
  const globalArgs = new Map<string, string | undefined>();
  let stage = -1;
  for (; i < lines.length; i++) {
    const first = lines[i];
    if (/^\s*$/.test(first) || /^\s*#/.test(first)) continue;
    const start = i;
    const parts: string[] = [];
    let cur = first;
    for (;;) {
      const trimmed = cur.replace(/\s+$/, '');
      if (trimmed.endsWith(escape) && i + 1 < lines.length) {
        parts.push(trimmed.slice(0, -1));
        i++;
        // Comment and blank lines inside a continuation are dropped by the builder.
        while (i + 1 < lines.length && (/^\s*#/.test(lines[i]) || /^\s*$/.test(lines[i]))) i++;
        cur = lines[i];
        continue;
      }
      parts.push(cur);
      break;
    }
    const joined = parts.join('');
    const km = /^\s*([A-Za-z]+)(\s+|$)/.exec(joined);
    if (!km) continue;
    const keyword = km[1].toUpperCase();
    let args = joined.slice(km[0].length).trim();
    // Heredocs (RUN <<EOF … EOF): the body belongs to the instruction.
    const heredoc = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(args);
    if (heredoc && (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD')) {
      const word = heredoc[1];
      const body: string[] = [];
      let n = 0;
      while (i + 1 < lines.length && n++ < MAX_HEREDOC_LINES) {
        i++;
        if (lines[i].trim() === word) break;
        body.push(lines[i]);
      }
      args = `${args}\n${body.join('\n')}`;
    }
    if (keyword === 'FROM') stage++;
    const instr: DockerInstruction = {
      keyword,
      args,
      startLine: start,
      endLine: i,
      keywordStart: first.length - first.trimStart().length,
      firstLineEnd: first.length,
      stage: Math.max(stage, 0),
    };
    instructions.push(instr);
    if (keyword === 'ARG' && stage < 0) {
      for (const [name, value] of parseArgDeclarations(args)) globalArgs.set(name, value);
    }
    if (keyword === 'FROM') froms.push(fromOf(instr, first, globalArgs, buildArgs, froms));
  }
  return { instructions, froms, globalArgs };
}

function parseArgDeclarations(args: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (const tok of args.split(/\s+/).filter(Boolean)) {
    const eq = tok.indexOf('=');
    if (eq < 0) out.push([tok, undefined]);
    else out.push([tok.slice(0, eq), unquote(tok.slice(eq + 1))]);
  }
  return out;
}

function unquote(s: string): string {
  return (s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")) ? s.slice(1, -1) : s;
}

/** ${VAR}, $VAR, ${VAR:-default}, ${VAR:+alt}; undefined when a variable has no value. */
export function substituteArgs(text: string, values: (name: string) => string | undefined): string | undefined {
  let missing = false;
  const out = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced, op, word, bare) => {
    const name = braced ?? bare;
    const v = values(name);
    if (op === '-') return v ? v : word;
    if (op === '+') return v ? word : '';
    if (v === undefined) {
      missing = true;
      return '';
    }
    return v;
  });
  return missing ? undefined : out;
}

function fromOf(
  instr: DockerInstruction,
  firstLine: string,
  globalArgs: Map<string, string | undefined>,
  buildArgs: Record<string, string>,
  earlier: FromInstruction[],
): FromInstruction {
  const tokens = instr.args.split(/\s+/).filter(Boolean);
  let k = 0;
  while (k < tokens.length && tokens[k].startsWith('--')) k++;
  const image = tokens[k] ?? '';
  const alias = tokens[k + 1]?.toLowerCase() === 'as' ? tokens[k + 2]?.toLowerCase() : undefined;
  const resolvedImage = substituteArgs(image, (n) => buildArgs[n] ?? globalArgs.get(n));
  const fromStage = !!resolvedImage && earlier.some((f) => f.alias === resolvedImage.toLowerCase());
  let imageStart = image ? firstLine.indexOf(image, instr.keywordStart + 4) : -1;
  if (imageStart < 0) imageStart = instr.keywordStart;
  const imageEnd = image && imageStart !== instr.keywordStart ? imageStart + image.length : firstLine.length;
  return { instruction: instr, image, resolvedImage, alias, fromStage, imageStart, imageEnd };
}

/** Instructions of the last stage after its FROM (what the final image's own history holds). */
export function finalStageInstructions(model: DockerfileModel): DockerInstruction[] {
  const last = model.froms[model.froms.length - 1];
  if (!last) return model.instructions.filter((i) => i.keyword !== 'ARG');
  return model.instructions.filter((i) => i.stage === last.instruction.stage && i.startLine > last.instruction.endLine);
}
