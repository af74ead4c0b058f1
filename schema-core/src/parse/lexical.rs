//! What a byte scan of SQL text knows before any tokenizer: where strings, quoted
//! names, dollar-quoted bodies and comments are, which lines are psql
//! meta-commands, and where statements end (so a large file is tokenized a
//! piece at a time).

/// Where a scan of SQL text is: in code, or inside a token that may span lines.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lexical {
    Code,
    /// `'…'`; `escapes` for `E'…'`, where `\` escapes the next byte.
    Str {
        escapes: bool,
    },
    /// `"…"`.
    Ident,
    /// `-- …` to the end of the line.
    LineComment,
    /// `/* … */`, nested this deep.
    Block(u32),
    /// A dollar-quoted body whose tag is `text[start..end]`.
    Dollar(usize, usize),
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// One step of a [`Scan`]: the bytes `at..=last` were read, starting in
/// `was` and leaving the scan in `now`.
#[derive(Clone, Copy, Debug)]
struct Step {
    at: usize,
    last: usize,
    was: Lexical,
    now: Lexical,
}

impl Step {
    /// The byte read in code, when this step is one byte of code (not the
    /// start or end of a string, name, body or comment).
    fn code(&self, bytes: &[u8]) -> Option<u8> {
        (self.was == Lexical::Code && self.now == Lexical::Code && self.at == self.last)
            .then(|| bytes[self.at])
    }
}

/// Steps through SQL text as PostgreSQL's lexer sees quotes and comments. A
/// run of bytes that change nothing (in code: all but quotes, comment starts,
/// `$`, parentheses, `;` and, when `words` is set, `a`) is one step.
struct Scan<'t> {
    bytes: &'t [u8],
    i: usize,
    state: Lexical,
    /// Stop at each `a`, `A`, `s` and `S` in code (for the words `ATOMIC`
    /// and `STDIN`).
    words: bool,
}

impl<'t> Scan<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Scan {
            bytes,
            i: 0,
            state: Lexical::Code,
            words: false,
        }
    }

    /// Whether `b` may change the state, or matters to the scan's user.
    fn stops(&self, b: u8) -> bool {
        match self.state {
            Lexical::Code => {
                matches!(b, b'\'' | b'"' | b'-' | b'/' | b'$' | b'(' | b')' | b';')
                    || (self.words && matches!(b | 0x20, b'a' | b's'))
            }
            Lexical::Str { .. } => matches!(b, b'\'' | b'\\'),
            Lexical::Ident => b == b'"',
            Lexical::LineComment => b == b'\n',
            Lexical::Block(_) => matches!(b, b'*' | b'/'),
            Lexical::Dollar(..) => b == b'$',
        }
    }
}

impl Iterator for Scan<'_> {
    type Item = Step;

    fn next(&mut self) -> Option<Step> {
        let (bytes, i) = (self.bytes, self.i);
        let b = *bytes.get(i)?;
        let was = self.state;
        if !self.stops(b) {
            let run = bytes[i..].iter().position(|&c| self.stops(c));
            let last = run.map_or(bytes.len(), |n| i + n) - 1;
            self.i = last + 1;
            return Some(Step {
                at: i,
                last,
                was,
                now: was,
            });
        }
        let next = bytes.get(i + 1).copied();
        // The last byte this step consumes.
        let mut last = i;
        match self.state {
            Lexical::Code => match b {
                b'\'' => {
                    let escapes = i > 0
                        && matches!(bytes[i - 1], b'e' | b'E')
                        && (i < 2 || !is_word_byte(bytes[i - 2]));
                    self.state = Lexical::Str { escapes };
                }
                b'"' => self.state = Lexical::Ident,
                b'-' if next == Some(b'-') => {
                    self.state = Lexical::LineComment;
                    last = i + 1;
                }
                b'/' if next == Some(b'*') => {
                    self.state = Lexical::Block(1);
                    last = i + 1;
                }
                b'$' if i == 0 || !is_word_byte(bytes[i - 1]) => {
                    let close = bytes[i + 1..]
                        .iter()
                        .position(|c| !is_word_byte(*c))
                        .map(|p| i + 1 + p)
                        .filter(|&e| bytes[e] == b'$');
                    if let Some(end) = close
                        && !next.is_some_and(|n| n.is_ascii_digit())
                    {
                        self.state = Lexical::Dollar(i, end + 1);
                        last = end;
                    }
                }
                _ => {}
            },
            Lexical::Str { escapes } => match b {
                b'\\' if escapes => last = i + 1,
                b'\'' if next == Some(b'\'') => last = i + 1,
                b'\'' => self.state = Lexical::Code,
                _ => {}
            },
            Lexical::Ident => match b {
                b'"' if next == Some(b'"') => last = i + 1,
                b'"' => self.state = Lexical::Code,
                _ => {}
            },
            Lexical::LineComment => {
                if b == b'\n' {
                    self.state = Lexical::Code;
                }
            }
            Lexical::Block(depth) => {
                if b == b'*' && next == Some(b'/') {
                    self.state = if depth == 1 {
                        Lexical::Code
                    } else {
                        Lexical::Block(depth - 1)
                    };
                    last = i + 1;
                } else if b == b'/' && next == Some(b'*') {
                    self.state = Lexical::Block(depth + 1);
                    last = i + 1;
                }
            }
            Lexical::Dollar(start, end) => {
                if bytes[i..].starts_with(&bytes[start..end]) {
                    self.state = Lexical::Code;
                    last = i + (end - start) - 1;
                }
            }
        }
        let last = last.min(bytes.len() - 1);
        self.i = last + 1;
        Some(Step {
            at: i,
            last,
            was,
            now: self.state,
        })
    }
}

/// For each line of `text`: true when it starts with `\` in code, outside
/// every string, quoted identifier, dollar-quoted body and comment.
pub(super) fn meta_command_lines(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut lines = vec![bytes.first() == Some(&b'\\')];
    for step in Scan::new(bytes) {
        // Each newline this step consumed starts a line, in the state it left.
        for at in step.at..=step.last {
            if bytes[at] == b'\n' {
                lines.push(step.now == Lexical::Code && bytes.get(at + 1) == Some(&b'\\'));
            }
        }
    }
    lines
}

/// Splits `text` into pieces of at least `least` bytes (the last may be
/// shorter) that each end just after a statement's `;`: a `;` in code, outside
/// parentheses. Splitting errs on the side of fewer pieces: after the word
/// `ATOMIC` (a `BEGIN ATOMIC ... END` body holds `;` of its own) or `STDIN`
/// (the tokenizer reads the lines after `COPY ... FROM stdin;` as its data)
/// the rest of the text is one piece. Each piece is tokenized on its own, and its tokens
/// decide: a piece whose tokens do not end a statement (`ends_statement` in
/// the parser) is read again with the rest of the file.
pub(super) fn statement_pieces(text: &str, least: usize) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    if bytes.len() <= least {
        // No piece but the last could be shorter than `least`: one piece.
        return (!bytes.is_empty())
            .then_some(0..bytes.len())
            .into_iter()
            .collect();
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    let mut depth = 0usize;
    let mut scan = Scan::new(bytes);
    // Only a text that holds the letters needs its words looked at.
    scan.words = bytes.windows(5).any(|w| {
        (matches!(w[0] | 0x20, b'a' | b's'))
            && (w.eq_ignore_ascii_case(b"stdin") || w.eq_ignore_ascii_case(b"atomi"))
    });
    for step in scan {
        let Some(b) = step.code(bytes) else {
            continue;
        };
        match b {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b';' if depth == 0 && step.at + 1 - from >= least => {
                pieces.push(from..step.at + 1);
                from = step.at + 1;
            }
            b'a' | b'A' | b's' | b'S' if step.at == 0 || !is_word_byte(bytes[step.at - 1]) => {
                let word = bytes[step.at..]
                    .iter()
                    .position(|c| !is_word_byte(*c))
                    .map_or(&bytes[step.at..], |n| &bytes[step.at..step.at + n]);
                if word.eq_ignore_ascii_case(b"atomic") || word.eq_ignore_ascii_case(b"stdin") {
                    break;
                }
            }
            _ => {}
        }
    }
    if from < bytes.len() {
        pieces.push(from..bytes.len());
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::statement_pieces;

    fn pieces(text: &str, least: usize) -> Vec<&str> {
        statement_pieces(text, least)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn pieces_end_at_statement_ends_only() {
        let text = "create table a (x text default ';');\n\
                    create rule r as on insert to a do also (insert into b values (1); insert into c values (2));\n\
                    comment on table a is $x$;$x$; -- ; here\n\
                    /* ; /* ; */ ; */ select E'\\';'; select \"a;b\" from t;\n\
                    select 1";
        assert_eq!(
            pieces(text, 1),
            [
                "create table a (x text default ';');",
                "\ncreate rule r as on insert to a do also (insert into b values (1); insert into c values (2));",
                "\ncomment on table a is $x$;$x$;",
                " -- ; here\n/* ; /* ; */ ; */ select E'\\';';",
                " select \"a;b\" from t;",
                "\nselect 1",
            ]
        );
        assert_eq!(pieces(text, 1).concat(), text);
        assert_eq!(pieces(text, 80).len(), 3);
        assert_eq!(pieces(text, 10_000), [text]);
        assert!(pieces("", 1).is_empty());
    }

    #[test]
    fn nothing_is_split_after_atomic() {
        let text = "select 1; create function f() returns int language sql begin atomic; select 1; end; select 2; select 3;";
        assert_eq!(
            pieces(text, 1),
            [
                "select 1;",
                " create function f() returns int language sql begin atomic; select 1; end; select 2; select 3;"
            ]
        );
        // A word that merely starts with it, or a quoted one, does not stop it.
        assert_eq!(pieces("select atomics; select \"atomic\"; x;", 1).len(), 3);
        // Nor after `COPY ... FROM stdin;`, whose data lines follow it.
        let copy = "select 1; copy t (a) from stdin;\n1;2\n\\.\nselect 2;";
        assert_eq!(
            pieces(copy, 1),
            ["select 1;", " copy t (a) from stdin;\n1;2\n\\.\nselect 2;"]
        );
    }
}
