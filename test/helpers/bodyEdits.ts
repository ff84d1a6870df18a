import { seededRandom } from './randomEdits';

/**
 * A reproducible stream of edits inside indented code (function and method
 * bodies), as a developer makes them while working on one function: a new
 * statement at the indentation of the line it goes before, a character typed
 * into a line, a line removed, a source or sink added. The per-function reuse
 * paths must give what a fresh analysis of each version gives.
 */
export function* bodyEdits(text: string, statements: readonly string[], count: number, seed: number): Generator<string> {
  const random = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const lines = text.split('\n');
    const indented = lines.map((l, n) => (/^\s+\S/.test(l) ? n : -1)).filter((n) => n >= 0);
    if (!indented.length) return;
    const at = indented[random(indented.length)];
    const line = lines[at];
    const indent = /^\s*/.exec(line)![0];
    switch (random(4)) {
      case 0:
        lines.splice(at, 0, indent + statements[random(statements.length)]);
        break;
      case 1: {
        const column = indent.length + random(line.length - indent.length + 1);
        lines[at] = line.slice(0, column) + 'xy'[random(2)] + line.slice(column);
        break;
      }
      case 2:
        lines.splice(at, 1);
        break;
      default:
        lines[at] = line + ' ';
    }
    text = lines.join('\n');
    yield text;
  }
}
