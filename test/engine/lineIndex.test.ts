import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LineIndex } from '../../server/engine/lineIndex';
import { fileKindOf } from '../../server/engine/fileKinds';

test('positions and offsets round-trip for any text and line-ending mix', () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\n', '\r\n', '\r', ' ') }), fc.nat(), (text, n) => {
      const idx = new LineIndex(text);
      const offset = n % (text.length + 1);
      const pos = idx.positionAt(offset);
      // Offsets inside a \r\n pair map to the end of the line.
      const back = idx.offsetAt(pos);
      assert.ok(back === offset || (text[offset - 1] === '\r' && text[offset] === '\n'));
      assert.ok(pos.line < idx.lineCount);
    }),
  );
});

test('CRLF files keep CRLF for inserted lines', () => {
  assert.equal(new LineIndex('a\r\nb\r\n').eol, '\r\n');
  assert.equal(new LineIndex('a\nb').eol, '\n');
  assert.equal(new LineIndex('a\r\nb').lineText(0), 'a');
});

test('file kinds come from names: Dockerfile variants, code, manifests, dotenv', () => {
  assert.equal(fileKindOf('/x/Dockerfile'), 'dockerfile');
  assert.equal(fileKindOf('/x/Containerfile'), 'dockerfile');
  assert.equal(fileKindOf('/x/api.Dockerfile'), 'dockerfile');
  assert.equal(fileKindOf('/x/Dockerfile.prod'), 'dockerfile');
  assert.equal(fileKindOf('/x/a.mts'), 'typescript');
  assert.equal(fileKindOf('/x/a.tsx'), 'tsx');
  assert.equal(fileKindOf('/x/a.jsx'), 'javascript');
  assert.equal(fileKindOf('/x/deploy.yml'), 'yaml');
  assert.equal(fileKindOf('/x/.env'), 'text');
  assert.equal(fileKindOf('/x/.env.production'), 'text');
  assert.equal(fileKindOf('/x/image.png'), undefined);
  assert.equal(fileKindOf('/x/untitled', 'dockerfile'), 'dockerfile');
});
