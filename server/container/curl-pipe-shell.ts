import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { DOCKERFILE } from './common';
import { dockerfileModel, type DockerfileModel } from './dockerfileModel';
import {
  effectiveCommand,
  instructionCommands,
  hasFlag,
  isShellName,
  parseShellScript,
  type ShellCommand,
  type ShellWord,
} from './shell';

/*
 * RUN curl ... | sh (and wget -O- | bash, | python3 -, sh -c "$(curl ...)",
 * bash <(curl ...)): a script fetched at build time runs unverified with the
 * build's privileges. Only a downloader whose output reaches an interpreter
 * that executes it counts: `curl | tar`, `curl | python3 -c '...json...'`,
 * `curl -o f && sha256sum -c` and quoted text that merely mentions it do not.
 */

const DOWNLOADERS = new Set(['curl', 'wget']);
const INTERPRETER = /^(?:python[0-9.]*|perl|ruby|node|nodejs|php[0-9.]*)$/;
/** Interpreter options that make it run something other than stdin. */
const NOT_STDIN_OPTION = /^-(?:[a-zA-Z]*[cemEpr]|-eval|-print|-command)$/;
const SHELL_VALUE_OPTIONS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file']);

/** Does the command execute what arrives on its stdin? */
export function executesStdin(cmd: ShellCommand): { yes: boolean; word?: ShellWord } {
  const eff = effectiveCommand(cmd);
  if (!eff.word) return { yes: false };
  if (isShellName(eff.name)) {
    if (hasFlag(eff.args, 'c')) return { yes: false };
    if (hasFlag(eff.args, 's')) return { yes: true, word: eff.word };
    const positional = firstPositional(eff.args);
    return { yes: positional === undefined || positional === '-', word: eff.word };
  }
  if (INTERPRETER.test(eff.name)) {
    if (eff.args.some((a) => NOT_STDIN_OPTION.test(a.value))) return { yes: false };
    const positional = firstPositional(eff.args);
    return { yes: positional === undefined || positional === '-', word: eff.word };
  }
  return { yes: false };
}

function firstPositional(args: readonly ShellWord[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '-' || v === '--') return v === '-' ? '-' : args[k + 1]?.value;
    if (SHELL_VALUE_OPTIONS.has(v)) {
      k++;
      continue;
    }
    if (v.startsWith('-') || v.startsWith('+')) continue;
    return v;
  }
  return undefined;
}

function isDownloader(cmd: ShellCommand): boolean {
  return DOWNLOADERS.has(effectiveCommand(cmd).name);
}

export const curlPipeShell: FileRule = {
  meta: {
    id: 'container/curl-pipe-shell',
    layer: 'container',
    title: 'Downloaded script piped into a shell',
    description:
      'Piping a download straight into a shell runs whatever the server (or anyone on the path to it) returns, unverified, inside your image build.',
    severity: 'high',
    cwe: ['CWE-494'],
    aliases: [],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.stage) continue;
      // Downloads already reported in this instruction (a nested script can be visited twice).
      const seen = new Set<number>();
      for (const { cmd, pipeline, index } of instructionCommands(model, instr)) {
        // curl ... | sh
        if (isDownloader(cmd)) {
          for (let j = index + 1; j < pipeline.commands.length; j++) {
            const sink = executesStdin(pipeline.commands[j]);
            if (sink.yes && sink.word) {
              report(model, out, seen, cmd.start, sink.word.end, `Piping ${effectiveCommand(cmd).name} into ${effectiveCommand(pipeline.commands[j]).name}`);
              break;
            }
          }
          continue;
        }
        // sh -c "$(curl ...)", bash <(curl ...), eval "$(wget -O- ...)", source <(curl ...)
        const eff = effectiveCommand(cmd);
        const runsArgument = isShellName(eff.name) || INTERPRETER.test(eff.name) || eff.name === 'eval' || eff.name === 'source' || eff.name === '.';
        if (!runsArgument) continue;
        for (const arg of eff.args) {
          if (!arg.wholeSub) continue;
          const inner = parseShellScript(model.text, arg.wholeSub.start, arg.wholeSub.end, model.escapeChar, 1);
          const first = inner[0]?.commands[0];
          if (first && isDownloader(first)) {
            report(model, out, seen, first.start, arg.end, `Running the output of ${effectiveCommand(first).name} with ${eff.name}`);
            break;
          }
        }
      }
    }
    return out;
  },
};

function report(model: DockerfileModel, out: RawFinding[], seen: Set<number>, downloadStart: number, endOffset: number, how: string): void {
  if (seen.has(downloadStart)) return;
  seen.add(downloadStart);
  out.push({
    range: model.lines.range(downloadStart, Math.max(downloadStart, endOffset)),
    message: `${how} runs a script downloaded at build time without verifying it. Download to a file, check its SHA-256 against a pinned value, then run it (or use a package manager).`,
  });
}
