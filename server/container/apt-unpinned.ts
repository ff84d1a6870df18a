import type { FileContext } from '../engine/context';
import type { FileRule, RawFinding } from '../engine/types';
import { DOCKERFILE } from './common';
import { dockerfileModel } from './dockerfileModel';
import { effectiveCommand, instructionCommands, type ShellWord } from './shell';

/*
 * apt-get install without --no-install-recommends (recommended packages
 * widen the attack surface) or without version pins (pkg=version; the
 * image silently changes between builds). One finding per install command,
 * saying which of the two is missing. Packages given through variables,
 * local .deb files and the -o APT::Install-Recommends=false form are understood.
 */

const APT = new Set(['apt-get', 'apt']);
const VALUE_OPTIONS = new Set(['-o', '-t', '-c', '--option', '--target-release', '--config-file', '--default-release']);
const NO_RECOMMENDS_OPTION = /^(?:--option=|-o)?APT::Install-Recommends=(?:false|0|no)["']?$/i;

export const aptUnpinned: FileRule = {
  meta: {
    id: 'container/apt-unpinned',
    layer: 'container',
    title: 'apt-get install without --no-install-recommends or version pins',
    description:
      'Unpinned packages change between builds without review, and recommended packages add software nobody asked for: more code an attacker can use, more CVEs to patch.',
    severity: 'low',
    cwe: ['CWE-1357'],
    aliases: ['hadolint:DL3008', 'hadolint:DL3015', 'trivy:DS029'],
    fileKinds: DOCKERFILE,
  },
  check(ctx: FileContext): RawFinding[] {
    const model = dockerfileModel(ctx);
    const out: RawFinding[] = [];
    for (const instr of model.instructions) {
      if (instr.keyword !== 'RUN' || !instr.stage) continue;
      for (const { cmd } of instructionCommands(model, instr)) {
        const eff = effectiveCommand(cmd);
        if (!APT.has(eff.name)) continue;
        const install = parseInstall(eff.args);
        if (!install) continue;
        const unpinned = install.packages.filter((p) => !isPinned(p.value));
        const problems: string[] = [];
        const aliases: string[] = [];
        if (!install.noRecommends) {
          problems.push('without --no-install-recommends');
          aliases.push('hadolint:DL3015', 'trivy:DS029');
        }
        if (unpinned.length) {
          const names = unpinned.slice(0, 4).map((p) => p.value).join(', ') + (unpinned.length > 4 ? ', ...' : '');
          problems.push(`with unpinned packages (${names}; pin as package=version)`);
          aliases.push('hadolint:DL3008');
        }
        if (!problems.length) continue;
        out.push({
          range: model.lines.range(eff.word!.start, install.subcommand.end),
          message: `${eff.name} install ${problems.join(' and ')}.`,
          aliases,
        });
      }
    }
    return out;
  },
};

function parseInstall(args: readonly ShellWord[]): { subcommand: ShellWord; packages: ShellWord[]; noRecommends: boolean } | undefined {
  let subcommand: ShellWord | undefined;
  const packages: ShellWord[] = [];
  let noRecommends = false;
  for (let k = 0; k < args.length; k++) {
    const v = args[k].value;
    if (v === '--no-install-recommends') {
      noRecommends = true;
      continue;
    }
    if (NO_RECOMMENDS_OPTION.test(v)) {
      noRecommends = true;
      continue;
    }
    if (VALUE_OPTIONS.has(v)) {
      if (NO_RECOMMENDS_OPTION.test(args[k + 1]?.value ?? '')) noRecommends = true;
      k++;
      continue;
    }
    if (v.startsWith('-')) continue;
    if (!subcommand) {
      subcommand = args[k];
      if (v !== 'install') return undefined;
      continue;
    }
    packages.push(args[k]);
  }
  if (!subcommand || packages.length === 0) return undefined;
  return { subcommand, packages, noRecommends };
}

/** pkg=version, a local .deb, or a value we cannot see (a variable). */
function isPinned(pkg: string): boolean {
  return pkg.includes('=') || pkg.includes('$') || /\.deb$/.test(pkg) || /^[./~]/.test(pkg);
}
