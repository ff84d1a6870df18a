import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lex, spanAt } from '../../server/cloud/lexer';

const strings = (text: string, lang: 'python' | 'js') => lex(text, lang).strings.map((s) => text.slice(s.contentStart, s.contentEnd));
const comments = (text: string, lang: 'python' | 'js') => lex(text, lang).comments.map((c) => text.slice(c.start, c.end));

describe('cloud lexer (strings and comments only)', () => {
  test('Python: prefixes, triple quotes, escapes, and # inside strings', () => {
    const text = `x = rb"a\\"b"  # c "not a string"\ny = '''multi\nline # not a comment'''\nz = f"{v}" + u'w'\nidentifier_r"q"\n`;
    assert.deepEqual(strings(text, 'python'), ['a\\"b', 'multi\nline # not a comment', '{v}', 'w', 'q']);
    assert.deepEqual(comments(text, 'python'), ['# c "not a string"']);
    const spans = lex(text, 'python').strings;
    assert.equal(spans[0].prefix, 'rb');
    assert.equal(spans[2].interpolated, true);
    assert.equal(spans[4].prefix, '', 'a prefix must be the whole identifier');
  });

  test('JavaScript: comments, regex literals with quotes, templates with substitutions', () => {
    const text = "const a = 'x'; // it's\nconst r = /\"[']/g; /* 'no' */ const b = `t${f('in')}u`; const c = `plain`;\nconst d = 4 / 2 / 1; const e = \"q\";\n";
    assert.deepEqual(strings(text, 'js'), ['x', 'in', 'plain', 'q']);
    assert.deepEqual(comments(text, 'js'), ["// it's", "/* 'no' */"]);
  });

  test('unterminated constructs end at the line or the file, never throw', () => {
    for (const text of ['"abc\nx = 1', "'''abc", '`${`${', '/* open', 'a = /[/', '\\', '']) {
      for (const lang of ['python', 'js'] as const) assert.doesNotThrow(() => lex(text, lang));
    }
    assert.deepEqual(strings('x = "abc\ny = "d"\n', 'python'), ['abc', 'd']);
  });

  test('spanAt finds the containing span by binary search', () => {
    const text = `a = "one" # two\nb = "three"\n`;
    const l = lex(text, 'python');
    assert.equal(text.slice(spanAt(l.strings, text.indexOf('hre'))!.contentStart, spanAt(l.strings, text.indexOf('hre'))!.contentEnd), 'three');
    assert.ok(spanAt(l.comments, text.indexOf('two')));
    assert.equal(spanAt(l.strings, text.indexOf('b =')), undefined);
  });
});
