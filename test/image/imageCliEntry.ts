// Runs only `fourfold image` (server/cli/image.ts) as a process, for tests that
// must not depend on the rest of the CLI bundle.
import { Command, CommanderError } from 'commander';
import { registerImageCommand } from '../../server/cli/image';

const program = new Command().name('fourfold').exitOverride();
registerImageCommand(program);
program.parseAsync(process.argv.slice(2), { from: 'user' }).catch((e: unknown) => {
  if (e instanceof CommanderError) {
    if (e.code === 'fourfold.usage') process.stderr.write(`fourfold: ${e.message}\n`);
    process.exitCode = e.exitCode === 0 ? 0 : 2;
    return;
  }
  process.stderr.write(`fourfold: ${(e as Error)?.stack ?? e}\n`);
  process.exitCode = 3;
});
