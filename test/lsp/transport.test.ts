import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { diagnosticsReusingEncoder } from '../../server/lsp/transport';

const encode = async (msg: Message) => JSON.parse(Buffer.from(await diagnosticsReusingEncoder.encode(msg, { charset: 'utf-8' })).toString('utf8'));

const diagnostic: fc.Arbitrary<Diagnostic> = fc.record(
  {
    range: fc.record({ start: fc.record({ line: fc.nat(), character: fc.nat() }), end: fc.record({ line: fc.nat(), character: fc.nat() }) }),
    severity: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
    code: fc.string(),
    source: fc.constant('Fourfold'),
    // Quotes, backslashes, control characters and non-ASCII text must survive the encoding.
    message: fc.string({ unit: 'grapheme' }),
    data: fc.record({ fingerprint: fc.string({ unit: fc.constantFrom(...'0123456789abcdef') }), ruleId: fc.string() }),
  },
  { requiredKeys: ['range', 'message'] },
);

test('publishDiagnostics assembled from each diagnostic\'s kept JSON decodes to the message itself', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(diagnostic, { maxLength: 20 }), fc.webUrl(), fc.option(fc.integer(), { nil: undefined }), async (diagnostics, uri, version) => {
      const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, diagnostics, ...(version === undefined ? {} : { version }) } } as Message;
      const expected = JSON.parse(JSON.stringify(msg));
      assert.deepEqual(await encode(msg), expected);
      // Again, now from the kept JSON of the same diagnostics, in another order.
      const reordered = { ...msg, params: { uri, diagnostics: [...diagnostics].reverse(), version } } as Message;
      assert.deepEqual(await encode(reordered), JSON.parse(JSON.stringify(reordered)));
    }),
    { numRuns: 200 },
  );
});

test('other messages are encoded as the library does', async () => {
  const messages: Message[] = [
    { jsonrpc: '2.0', id: 1, result: { capabilities: {} } } as Message,
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'hello "world"' } } as Message,
    // A publish with a field this encoder does not know is left to JSON.stringify.
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a', diagnostics: [], extra: true } } as Message,
  ];
  for (const msg of messages) assert.deepEqual(await encode(msg), JSON.parse(JSON.stringify(msg)));
});
