// Which Dockerfile instruction added which layer. The history/diff_ids join is
// Trivy's own (consolidateCreatedBy): drop empty_layer entries; if the rest
// count as many as the diff IDs, the k-th created diff_ids[k]. Then each
// history entry's created_by text is matched, from the end, against the final
// stage's instructions (BuildKit `RUN /bin/sh -c … # buildkit` and legacy
// `/bin/sh -c #(nop) COPY file:… in /dest` forms). Layers older than the first
// matched instruction come from the base image: the FROM line.
import { finalStageInstructions, type DockerInstruction, type DockerfileModel } from './dockerfile';
import type { HistoryEntry } from './model';

export interface LayerOrigin {
  diffId: string;
  layerIndex: number;
  /** Index into the image config history, when the history is reliable. */
  historyIndex?: number;
  createdBy?: string;
  /** instruction: a line of the Dockerfile; base: the FROM image; unknown: could not tell. */
  origin: 'instruction' | 'base' | 'unknown';
  instruction?: DockerInstruction;
}

export interface LayerAttribution {
  layers: LayerOrigin[];
  /** Non-empty history entries and diff IDs line up one to one. */
  historyReliable: boolean;
  /** At least one of the image's own layers matched an instruction of the Dockerfile. */
  builtFromDockerfile: boolean;
  byDiffId: Map<string, LayerOrigin>;
}

const KEYWORDS = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD',
  'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

export interface NormalisedStep {
  keyword: string;
  args: string;
  /** Legacy COPY/ADD: only the destination survived (sources became file:<sha>). */
  destinationOnly?: boolean;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Strips `|2 A=1 B=2 ` (build args) and `/bin/sh -c ` from a RUN's recorded command. */
function stripShell(cmd: string): string {
  let s = cmd.trim();
  const argPrefix = /^\|\d+\s+/.exec(s);
  if (argPrefix) {
    const count = Number(argPrefix[0].slice(1).trim());
    s = s.slice(argPrefix[0].length);
    for (let n = 0; n < count; n++) s = s.replace(/^\S+=("[^"]*"|'[^']*'|\S*)\s*/, '');
  }
  return s.replace(/^\/bin\/(?:ba)?sh -c\s+/, '');
}

/** created_by text → instruction keyword and arguments, or undefined (apko, KIWI, empty). */
export function normaliseCreatedBy(createdBy: string | undefined): NormalisedStep | undefined {
  if (!createdBy) return undefined;
  let s = createdBy.trim().replace(/\s+# buildkit$/, '');
  const nop = /^\/bin\/sh -c #\(nop\)\s+(.*)$/s.exec(s);
  if (nop) {
    s = nop[1].trim();
    const legacyCopy = /^(COPY|ADD)\s+(?:--\S+\s+)*(?:file|dir|multi):[0-9a-f]+\s+in\s+(.*)$/s.exec(s);
    if (legacyCopy) return { keyword: legacyCopy[1], args: collapse(legacyCopy[2]), destinationOnly: true };
  } else if (/^(?:\|\d+\s+.*?)?\/bin\/(?:ba)?sh -c /s.test(s)) {
    return { keyword: 'RUN', args: collapse(stripShell(s)) };
  }
  const m = /^([A-Z]+)(?:\s+(.*))?$/s.exec(s);
  if (!m || !KEYWORDS.has(m[1])) return undefined;
  const keyword = m[1];
  let args = m[2] ?? '';
  if (keyword === 'RUN') args = stripShell(args);
  return { keyword, args: collapse(args) };
}

function stripFlags(args: string): string {
  return collapse(args).replace(/^(?:--\S+\s+)*/, '');
}

function tokens(s: string): Set<string> {
  return new Set(s.split(/[\s;&|]+/).filter(Boolean));
}

function similarity(a: string, b: string): number {
  if (a === b) return 1;
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.size || !tb.size) return 0;
  let common = 0;
  for (const t of ta) if (tb.has(t)) common++;
  return common / (ta.size + tb.size - common);
}

const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

function envNormal(args: string): string {
  // `ENV K V` (legacy single form) is recorded as `K=V`.
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(args);
  return m && !args.includes('=') ? `${m[1]}=${m[2]}` : args;
}

/** Whether a recorded history step is this Dockerfile instruction (fuzzy where builders rewrite). */
export function stepMatches(step: NormalisedStep, instr: DockerInstruction): boolean {
  if (step.keyword !== instr.keyword) return false;
  const args = stripFlags(instr.args);
  switch (step.keyword) {
    case 'RUN': {
      // Exec form ["a","b"] is recorded as its words.
      const mine = args.startsWith('[') ? collapse(execWords(args)) : args;
      return mine === step.args || similarity(mine, step.args) >= 0.8;
    }
    case 'COPY':
    case 'ADD': {
      const words = args.split(' ');
      const dest = trimSlash(words[words.length - 1] ?? '');
      if (step.destinationOnly) {
        const recorded = trimSlash(step.args);
        return recorded === dest || (!dest.startsWith('/') && recorded.endsWith(`/${dest}`));
      }
      return step.args === args || trimSlash(step.args.split(' ').pop() ?? '') === dest && similarity(step.args, args) >= 0.5;
    }
    case 'ENV':
      return collapse(envNormal(args)) === collapse(envNormal(step.args));
    case 'EXPOSE':
      // BuildKit records EXPOSE as a Go map: map[8080/tcp:{}]
      return portsOf(args) === portsOf(step.args);
    case 'CMD':
    case 'ENTRYPOINT':
      return args.replace(/\s+/g, '') === step.args.replace(/\s+/g, '') || collapse(execWords(args)) === collapse(execWords(step.args));
    default:
      return args === step.args;
  }
}

function execWords(args: string): string {
  if (!args.startsWith('[')) return args;
  try {
    const v: unknown = JSON.parse(args);
    return Array.isArray(v) ? v.map(String).join(' ') : args;
  } catch {
    return args;
  }
}

function portsOf(args: string): string {
  return (args.match(/\d+(?:\/(?:tcp|udp))?/g) ?? [])
    .map((p) => (p.includes('/') ? p : `${p}/tcp`))
    .sort()
    .join(',');
}

/** Instructions that can write files into a layer. */
const CONTENT_KEYWORDS = new Set(['RUN', 'COPY', 'ADD', 'WORKDIR']);

/** How far back a history entry may look for its instruction (keeps the match linear). */
const LOOKBACK = 8;

export function attributeLayers(
  history: readonly HistoryEntry[] | undefined,
  diffIds: readonly string[],
  dockerfile?: DockerfileModel,
): LayerAttribution {
  const layers: LayerOrigin[] = diffIds.map((diffId, layerIndex) => ({ diffId, layerIndex, origin: 'unknown' }));
  const byDiffId = new Map(layers.map((l) => [l.diffId, l]));
  const result: LayerAttribution = { layers, historyReliable: false, builtFromDockerfile: false, byDiffId };
  if (!history || !diffIds.length) return result;
  const contentEntries = history.map((h, i) => ({ h, i })).filter((e) => !e.h.emptyLayer);
  if (contentEntries.length !== diffIds.length) return result;
  result.historyReliable = true;
  const layerOfHistory = new Map<number, number>();
  contentEntries.forEach((e, k) => {
    layers[k].historyIndex = e.i;
    layers[k].createdBy = e.h.createdBy;
    layerOfHistory.set(e.i, k);
  });
  if (!dockerfile) return result;

  const instructions = finalStageInstructions(dockerfile);
  const matchedInstruction = new Map<number, DockerInstruction>();
  let j = instructions.length - 1;
  let earliestMatch = -1;
  for (let i = history.length - 1; i >= 0 && j >= 0; i--) {
    const step = normaliseCreatedBy(history[i].createdBy);
    if (!step) continue;
    for (let k = j; k >= 0 && k >= j - LOOKBACK; k--) {
      if (stepMatches(step, instructions[k])) {
        matchedInstruction.set(i, instructions[k]);
        earliestMatch = i;
        j = k - 1;
        break;
      }
    }
  }
  if (earliestMatch < 0) return result;
  // Only content layers prove the image was built here; a lone matching CMD does not.
  for (const [hi, instr] of matchedInstruction) {
    const li = layerOfHistory.get(hi);
    // A content layer "made" by CMD/LABEL/ENV means the builder (Buildah,
    // squash) flagged the wrong entries as empty: blame nothing rather than the wrong line.
    if (li === undefined || !CONTENT_KEYWORDS.has(instr.keyword)) continue;
    layers[li].origin = 'instruction';
    layers[li].instruction = instr;
    result.builtFromDockerfile = true;
  }
  if (!result.builtFromDockerfile) return result;
  for (const l of layers) {
    if (l.origin === 'unknown' && l.historyIndex !== undefined && l.historyIndex < earliestMatch) l.origin = 'base';
  }
  return result;
}
