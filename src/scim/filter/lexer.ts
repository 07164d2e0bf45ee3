// On-demand tokens for the filter grammar (grammar.md). Lazy, so an error names the first token the
// parser could not use (e.g. the unquoted `akadmin` in `userName eq akadmin`), not a later character.

export type TokenKind = '(' | ')' | '[' | ']' | 'string' | 'number' | 'word' | 'subAttr' | 'end';

export interface Token {
  kind: TokenKind;
  /** 0-based offset of the token's first character. */
  pos: number;
  /** Source text of the token. */
  text: string;
  /** Decoded literal for 'string' and 'number'. */
  value?: string | number;
}

/** Thrown by the lexer and parser; the public entry points turn it into a ScimError. */
export class SyntaxProblem {
  constructor(readonly pos: number, readonly message: string) {}
}

// attrPath characters (RFC 7644 §3.4.2.2 ATTRNAME, URN ":" and ".", "$ref"); a word is a maximal run.
const WORD_CHAR = /[A-Za-z0-9_\-.:$]/;
const WORD_START = /[A-Za-z$]/;
const NUMBER_RUN = /[0-9A-Za-z_.:$+-]/;
// RFC 7159 §6 number.
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const SPACE = /[ \t\r\n]/;

export class Lexer {
  private index = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const token = this.peek();
    this.peeked = undefined;
    return token;
  }

  private read(): Token {
    const s = this.text;
    while (this.index < s.length && SPACE.test(s[this.index])) this.index++;
    const pos = this.index;
    if (pos >= s.length) return { kind: 'end', pos, text: '' };
    const c = s[pos];
    if (c === '(' || c === ')' || c === '[' || c === ']') {
      this.index++;
      return { kind: c, pos, text: c };
    }
    if (c === '"') return this.readString(pos);
    if (c === '-' || (c >= '0' && c <= '9')) return this.readNumber(pos);
    if (c === '.' && pos > 0 && s[pos - 1] === ']') {
      // `emails[type eq "work"].value`: a sub-attribute straight after a value filter.
      const end = this.runEnd(pos + 1, WORD_CHAR);
      this.index = end;
      return { kind: 'subAttr', pos, text: s.slice(pos + 1, end) };
    }
    if (WORD_START.test(c)) {
      const end = this.runEnd(pos, WORD_CHAR);
      this.index = end;
      return { kind: 'word', pos, text: s.slice(pos, end) };
    }
    throw new SyntaxProblem(pos, `unexpected character ${JSON.stringify(c)}`);
  }

  private runEnd(from: number, chars: RegExp): number {
    let end = from;
    while (end < this.text.length && chars.test(this.text[end])) end++;
    return end;
  }

  // compValue strings are JSON strings (RFC 7644 §3.4.2.2, RFC 7159 §7): find the closing quote,
  // then let JSON.parse check escapes and control characters.
  private readString(pos: number): Token {
    const s = this.text;
    let i = pos + 1;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    if (i >= s.length) throw new SyntaxProblem(pos, 'unterminated string (missing closing ")');
    const text = s.slice(pos, i + 1);
    this.index = i + 1;
    try {
      return { kind: 'string', pos, text, value: JSON.parse(text) as string };
    } catch {
      throw new SyntaxProblem(pos, 'invalid JSON string (bad escape or unescaped control character)');
    }
  }

  private readNumber(pos: number): Token {
    const end = this.runEnd(pos, NUMBER_RUN);
    const text = this.text.slice(pos, end);
    this.index = end;
    if (!JSON_NUMBER.test(text)) {
      throw new SyntaxProblem(pos, `expected a number but found ${JSON.stringify(text)}; string values need double quotes`);
    }
    const value = Number(text);
    if (!Number.isFinite(value)) throw new SyntaxProblem(pos, `number ${text} is out of range`);
    return { kind: 'number', pos, text, value };
  }
}
