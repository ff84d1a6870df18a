import { canonicalRepository, rootBase, stageChain, type DockerfileModel, type DockerInstruction, type Stage } from './dockerfileModel';
import { baseName, commandWords, forEachInstructionCommand, type ShellCommand, type ShellWord } from './shell';

/*
 * The official-image pattern (postgres, redis, mysql, mongo, rabbitmq): the
 * image keeps root so its entrypoint can fix volume ownership, then execs the
 * server as a service user through gosu / su-exec (or setpriv, runuser,
 * chroot --userspec). The entrypoint script is usually not in view, so the
 * evidence is the image itself: it ships gosu or su-exec (a package install, a
 * download, a COPY of the binary), or its ENTRYPOINT/CMD calls a drop tool
 * with a non-root user. Setpriv, runuser and chroot are in every base image,
 * so only their use in ENTRYPOINT/CMD counts. Built FROM one of those
 * official images without replacing its ENTRYPOINT, the image inherits the
 * entrypoint that drops root.
 */

/** Official images whose docker-entrypoint.sh re-executes the server through gosu / su-exec. */
const DROPPING_ENTRYPOINT_IMAGES = new Set([
  'docker.io/library/postgres', 'docker.io/library/redis', 'docker.io/library/mysql', 'docker.io/library/mariadb',
  'docker.io/library/mongo', 'docker.io/library/rabbitmq', 'docker.io/library/cassandra', 'docker.io/library/couchdb',
  'docker.io/library/percona', 'docker.io/library/ghost', 'docker.io/postgis/postgis',
]);

/** The gosu / su-exec binary, package, download or signature: `gosu`, `gosu-amd64`, `su-exec=0.2-r3`, `gosu.asc`. */
const DROP_TOOL_FILE = /^(?:gosu|su-exec)(?:[-.=<>~_][^/]*)?$/;
/** Commands whose arguments name files or packages being removed, not installed. */
const REMOVING = new Set(['rm', 'unlink', 'shred']);
const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'aptitude', 'dpkg', 'apk', 'yum', 'dnf', 'microdnf', 'tdnf', 'zypper', 'pacman', 'rpm']);
const REMOVE_SUBCOMMANDS = new Set(['remove', 'purge', 'del', 'erase', 'autoremove', 'rm', '-r', '-e', '-P', '-R', '--remove', '--purge', '--erase']);
/** Launchers an ENTRYPOINT runs the drop tool through: `tini -- gosu app ...`. */
const LAUNCHERS = new Set(['tini', 'tini-static', 'dumb-init', 'catatonit', 'exec', 'nohup', 'env']);

export interface PrivilegeDrop {
  /** Where the evidence is (the final FROM when it is the base image's entrypoint). */
  instr: DockerInstruction;
  /** What the evidence is, for the reader: "installs gosu", "ENTRYPOINT runs setpriv". */
  how: string;
}

/** Evidence that the final stage (or a stage it is built from) drops root at run time. */
export function privilegeDrop(model: DockerfileModel, stage: Stage): PrivilegeDrop | undefined {
  const chain = stageChain(stage);
  // The command in force is the last ENTRYPOINT/CMD along the chain (a stage inherits both).
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const instr = lastInChain(chain, keyword);
    const tool = instr && runtimeDropTool(model, instr);
    if (instr && tool) return { instr, how: `${keyword} runs ${tool}` };
  }
  for (const s of chain) {
    for (const instr of s.instructions) {
      const tool = shipsDropTool(model, instr);
      if (tool) return { instr, how: `the image ships ${tool}` };
    }
  }
  const base = rootBase(stage);
  if (base.kind === 'image' && DROPPING_ENTRYPOINT_IMAGES.has(canonicalRepository(base.ref)) && !lastInChain(chain, 'ENTRYPOINT')) {
    return { instr: chain[chain.length - 1].from, how: `the ${base.ref.repository} entrypoint drops root` };
  }
  return undefined;
}

function lastInChain(chain: readonly Stage[], keyword: string): DockerInstruction | undefined {
  for (const s of chain) {
    for (let k = s.instructions.length - 1; k >= 0; k--) if (s.instructions[k].keyword === keyword) return s.instructions[k];
  }
  return undefined;
}

/** RUN installs or downloads gosu/su-exec, or COPY/ADD brings the binary in. */
function shipsDropTool(model: DockerfileModel, instr: DockerInstruction): string | undefined {
  if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
    // Sources and destination: `COPY --from=tianon/gosu /gosu /usr/local/bin/`, `ADD https://.../gosu-amd64 /usr/local/bin/gosu`.
    for (const arg of instr.args) {
      const name = baseName(safeValue(arg).replace(/\/+$/, ''));
      if (DROP_TOOL_FILE.test(name)) return toolName(name);
    }
    return undefined;
  }
  if (instr.keyword !== 'RUN') return undefined;
  let found: string | undefined;
  forEachInstructionCommand(model, instr, (cmd) => {
    if (found) return;
    const c = commandWords(cmd);
    if (c.index < 0 || removes(c.name, c.args)) return;
    for (const w of cmd.words.slice(c.index)) {
      const name = baseName(w.value);
      if (DROP_TOOL_FILE.test(name)) {
        found = toolName(name);
        return;
      }
    }
  });
  return found;
}

function removes(name: string, args: readonly ShellWord[]): boolean {
  if (REMOVING.has(name)) return true;
  if (!PACKAGE_MANAGERS.has(name)) return false;
  return args.some((a) => REMOVE_SUBCOMMANDS.has(a.value));
}

function toolName(file: string): string {
  return file.startsWith('gosu') ? 'gosu' : 'su-exec';
}

function safeValue(arg: { getValue(): string }): string {
  try {
    return arg.getValue();
  } catch {
    return '';
  }
}

/** The drop tool an ENTRYPOINT/CMD runs with a non-root target user, if any. */
function runtimeDropTool(model: DockerfileModel, instr: DockerInstruction): string | undefined {
  let found: string | undefined;
  forEachInstructionCommand(model, instr, (cmd) => {
    found ??= dropToolOf(cmd);
  });
  return found;
}

function dropToolOf(cmd: ShellCommand): string | undefined {
  const c = commandWords(cmd);
  if (c.index < 0) return undefined;
  let words = cmd.words.slice(c.index);
  // Through launchers: `tini -- gosu app cmd`, `exec su-exec app cmd`, `env X=1 setpriv ...`.
  for (let guard = 0; guard < 6 && words.length; guard++) {
    const name = baseName(words[0].value);
    if (!LAUNCHERS.has(name)) break;
    let k = 1;
    while (k < words.length && (words[k].value.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k].value))) {
      k++;
      if (words[k - 1].value === '--') break;
    }
    words = words.slice(k);
  }
  if (!words.length) return undefined;
  const name = baseName(words[0].value);
  const args = words.slice(1).map((w) => w.value);
  const target = targetUser(name, args);
  return target !== undefined && !isRootSpec(target) ? name : undefined;
}

/** The user the tool switches to; undefined when the command does not switch user. */
function targetUser(tool: string, args: readonly string[]): string | undefined {
  switch (tool) {
    case 'gosu':
    case 'su-exec':
    case 's6-setuidgid':
    case 'setuidgid':
      // gosu USER[:GROUP] COMMAND...; a flag first is `gosu --version` and friends.
      return args.length >= 2 && !args[0].startsWith('-') ? args[0] : undefined;
    case 'setpriv':
      return optionValue(args, ['--reuid']);
    case 'chroot':
      return optionValue(args, ['--userspec']);
    case 'runuser': {
      const user = optionValue(args, ['-u', '--user']);
      if (user !== undefined) return user;
      // runuser [-l] USER -c COMMAND
      for (let k = 0; k < args.length; k++) {
        const a = args[k];
        if (/^(?:-[gGcsw]|--group|--supp-group|--command|--shell|--whitelist-environment)$/.test(a)) k++;
        else if (a === '--') return args[k + 1];
        else if (!a.startsWith('-')) return a;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `--opt=value` or `--opt value` (and `-u value`). */
function optionValue(args: readonly string[], names: readonly string[]): string | undefined {
  for (let k = 0; k < args.length; k++) {
    for (const n of names) {
      if (args[k] === n) return args[k + 1];
      if (n.startsWith('--') && args[k].startsWith(`${n}=`)) return args[k].slice(n.length + 1);
    }
    if (args[k] === '--') break;
  }
  return undefined;
}

/** root / 0, with any group; a variable is given the benefit of the doubt. */
function isRootSpec(spec: string): boolean {
  const user = spec.split(':')[0].trim();
  return user === '' || user === 'root' || /^0+$/.test(user);
}
