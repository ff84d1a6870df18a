import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildModel, pieceStarts, pieceStartsAfterEdit, properties, type DockerfileModel } from '../../server/container/dockerfileModel';
import { forgetDocumentState } from '../../server/engine/documentState';
import { Engine, initEngine } from '../../server/engine/engine';
import { LineIndex } from '../../server/engine/lineIndex';
import { effectiveCommand, instructionCommands } from '../../server/container/shell';
import { randomEdits } from '../helpers/randomEdits';

/*
 * A long Dockerfile is parsed in pieces cut at instruction lines, and an open
 * editor document reuses the pieces an edit did not touch. The model (every
 * instruction, range, argument and property) must be what a whole-file parse
 * gives.
 */

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'container');

function dockerfiles(dir = FIXTURES): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? dockerfiles(p) : /Dockerfile|Containerfile/.test(e.name) ? [p] : [];
  });
}

/** Everything the rules read of the model. */
function shape(model: DockerfileModel): unknown {
  return {
    escape: model.escapeChar,
    globalArgs: [...model.globalArgs],
    instructions: model.instructions.map((i) => ({
      keyword: i.keyword,
      range: i.range,
      keywordRange: i.keywordRange,
      offsets: [i.startOffset, i.endOffset, i.argsOffset],
      args: i.args.map((a) => [a.getValue(), a.getRange()]),
      properties: ['ENV', 'ARG', 'LABEL'].includes(i.keyword) ? properties(model, i) : [],
      // The lexed commands (kept and moved for unchanged instructions of an open document).
      commands: ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.keyword)
        ? instructionCommands(model, i).map(({ cmd, index }) => [index, cmd.start, cmd.end, effectiveCommand(cmd).name, cmd.words.map((w) => [w.value, w.start, w.end, w.subs, w.wholeSub, w.literal])])
        : [],
      stage: i.stage?.index,
    })),
    stages: model.stages.map((s) => ({ name: s.name, base: s.base.kind, image: s.imageArg?.getRange(), vars: [...s.vars] })),
  };
}

const build = (text: string, documentKey?: string, cut = true) => buildModel(text, new LineIndex(text), documentKey, cut);

/** Every fixture without heredocs or an escape directive, one after the other: a long multi-stage file. */
function longDockerfile(): string {
  return dockerfiles()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .filter((t) => !t.includes('<<') && !/^#\s*escape/im.test(t) && !t.includes('\0'))
    .map((t) => (t.endsWith('\n') ? t : `${t}\n`))
    .join('\n');
}

describe('Dockerfiles parsed piece by piece', () => {
  it('a long Dockerfile gives the model a whole-file parse gives', () => {
    const text = longDockerfile();
    assert.ok(text.length > 10_000, `${text.length} characters`);
    assert.ok((pieceStarts(text)?.length ?? 0) > 20, 'the file is cut into pieces');
    assert.deepEqual(shape(build(text)), shape(build(text, undefined, false)));
  });

  it('piece starts found from the previous version after an edit are those a scan of the whole text finds (random edits)', () => {
    // Continuations, comments and CRLF change which lines can start a piece; FROM always starts one.
    const snippets = ['x', '\n', ' \\\n', '\\', '\\\r\n', '\r\n', 'FROM alpine AS b\n', 'RUN a \\\n  b\n', '# c \\\n', '\n\n', 'ENV X=1\n', '# escape=`\n', ''];
    const base = longDockerfile();
    let previous = base;
    let starts = pieceStarts(base);
    let moved = 0;
    for (const [i, text] of [...randomEdits(base, snippets, 400, 11)].entries()) {
      const fresh = pieceStarts(text);
      const after = pieceStartsAfterEdit(previous, starts, text);
      assert.deepEqual(after, fresh, `edit ${i}`);
      if (fresh && starts && fresh.length > 20) moved++;
      previous = text;
      starts = after;
    }
    // Otherwise every version could have been scanned whole.
    assert.ok(moved > 300, `only ${moved} of 400 versions kept a cut file`);
  });

  it('an edited open document reuses untouched pieces and equals a whole-file parse (random edits)', () => {
    const key = 'file:///incremental/Dockerfile';
    const snippets = ['x', '\n', 'RUN apt-get install -y curl\n', 'FROM alpine:3.20 AS s\n', ' \\\n', 'RUN a \\\n', '\\', 'env X=1\n', '# c\n', 'ENV A=1 B="two"\n', 'USER app\n', '"', '$', ''];
    const base = longDockerfile();
    let i = 0;
    let cut = 0;
    try {
      for (const text of randomEdits(base, snippets, 150, 3)) {
        if (pieceStarts(text)) cut++;
        assert.deepEqual(shape(build(text, key)), shape(build(text, undefined, false)), `edit ${i++}`);
      }
      // Otherwise the test would pass by parsing every version whole.
      assert.ok(cut > 100, `only ${cut} of 150 versions were cut into pieces`);
    } finally {
      forgetDocumentState(key);
    }
  });

  it('the engine gives the same findings for an open Dockerfile as for a fresh analysis after edits', async () => {
    await initEngine();
    const engine = new Engine();
    const key = 'file:///incremental/engine/Dockerfile';
    const file = '/work/incremental/Dockerfile';
    const base = longDockerfile();
    const targeted = [
      base.replace(/^USER .*$/m, 'USER root'),
      `${base}\nFROM ubuntu:latest\nRUN curl -sSL https://example.com/install.sh | sh\n`,
      base.slice(0, Math.floor(base.length / 2)),
    ];
    // Typing before instructions whose findings, fixes and related ranges must move with them.
    const snippets = ['x', ' ', '\n', 'RUN sudo apt-get install -y curl\n', 'RUN curl -s https://x.sh | bash\n', 'ENV API_TOKEN=abc\n', '# c\n', '"', '$', ''];
    const compared = (findings: Array<{ ruleId: string; range: unknown; fingerprint: string; fixes: unknown; related?: unknown }>) =>
      findings.map((f) => [f.ruleId, f.range, f.fingerprint, f.fixes, f.related]);
    try {
      engine.analyze({ path: file, text: base, documentKey: key });
      let i = 0;
      for (const text of [...targeted, base, ...randomEdits(base, snippets, 120, 5)]) {
        const incremental = engine.analyze({ path: file, text, documentKey: key });
        const fresh = engine.analyze({ path: file, text });
        assert.ok(fresh.findings.length > 0);
        assert.deepEqual(compared(incremental.findings), compared(fresh.findings), `version ${i++}`);
      }
    } finally {
      forgetDocumentState(key);
    }
  });
});
