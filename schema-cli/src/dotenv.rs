//! The project's `.env` file, read as sqlx-cli and diesel_cli read it: the
//! first `.env` in the current directory or one of its parents gives the
//! variables the environment does not set.
//!
//! Precedence, highest first: a command-line flag (`--database-url`), the
//! process environment, the `.env` file, the built-in default. The file is not
//! loaded into the process environment: the commands ask [`var`], which looks
//! at the environment first and at the file second.
//!
//! The format: one `KEY=VALUE` a line, optionally after `export `; blank lines
//! and lines starting with `#` are skipped; a value is bare (up to a ` #`
//! comment, no spaces inside), in single quotes (taken as written) or in
//! double quotes (`\n`, `\r`, `\t`, `\"`, `\\` and `\$` escapes). There is no
//! `${VAR}` expansion and no value spans lines. A key given twice takes its
//! last value. Anything else is an error naming the file, the line and the
//! column.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use schema_core::diagnostic::{Diagnostic, Origin, Source, codes};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = ".env";

/// A `.env` file, read.
#[derive(Debug, Default)]
pub(crate) struct DotEnv {
    /// The file as shown to the user (`.env`, `../.env`); `None` when there is none.
    pub(crate) shown: Option<String>,
    /// Its variables in file order (a later one of the same key wins).
    pub(crate) vars: Vec<Var>,
}

/// One `KEY=VALUE` of a `.env` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Var {
    /// The name.
    pub(crate) key: String,
    /// The value, quotes and escapes taken out.
    pub(crate) value: String,
    /// Its 1-based line.
    pub(crate) line: u32,
}

impl DotEnv {
    /// The value the file gives `key`, if any (its last one).
    pub(crate) fn get(&self, key: &str) -> Option<&Var> {
        self.vars.iter().rev().find(|v| v.key == key)
    }
}

/// The `.env` read at start-up (see [`init`]).
static LOADED: OnceLock<DotEnv> = OnceLock::new();

/// Finds and reads the `.env` of `dir` or its nearest ancestor, and keeps it
/// for [`var`]. A file that is there but cannot be read, or is malformed, is an
/// error; no file is none.
pub(crate) fn init(dir: &Path) -> Result<(), Diagnostic> {
    let loaded = load(dir)?;
    let _ = LOADED.set(loaded);
    Ok(())
}

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SetBy {
    /// The process environment.
    Environment,
    /// A line of the `.env` file: the file as shown to the user, and the line.
    File(String, u32),
}

impl std::fmt::Display for SetBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetBy::Environment => f.write_str("the environment"),
            SetBy::File(shown, line) => write!(f, "{shown}:{line}"),
        }
    }
}

/// `key`'s value: the environment's (a set, non-Unicode value counts as set
/// and is returned lossily), else the `.env` file's.
pub(crate) fn var(key: &str) -> Option<(String, SetBy)> {
    if let Some(value) = std::env::var_os(key) {
        return Some((value.to_string_lossy().into_owned(), SetBy::Environment));
    }
    let loaded = LOADED.get()?;
    let var = loaded.get(key)?;
    let shown = loaded.shown.as_deref().unwrap_or(FILE_NAME);
    Some((var.value.clone(), SetBy::File(shown.to_string(), var.line)))
}

/// The `.env` of `dir` or of its nearest ancestor that has one.
fn load(dir: &Path) -> Result<DotEnv, Diagnostic> {
    let Some((path, shown)) = find(dir) else {
        return Ok(DotEnv::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Diagnostic::error(codes::IO, format!("cannot read `{shown}`: {e}"))
            .note(format!("the file is `{}`", path.display()))
            .help(format!(
                "make `{shown}` a readable UTF-8 file of `KEY=VALUE` lines, or remove it"
            ))
    })?;
    let vars = parse(&Source::new(shown.clone(), text))?;
    Ok(DotEnv {
        shown: Some(shown),
        vars,
    })
}

/// The first `.env` (a file) in `dir` or one of its ancestors, and how to
/// show it relative to `dir` (`.env`, `../.env`, ...).
fn find(dir: &Path) -> Option<(PathBuf, String)> {
    let mut shown = String::new();
    for ancestor in dir.ancestors() {
        let candidate = ancestor.join(FILE_NAME);
        if candidate.is_file() {
            return Some((candidate, format!("{shown}{FILE_NAME}")));
        }
        shown.push_str("../");
    }
    None
}

/// The variables of a `.env` file's text, or the error at its first bad line.
pub(crate) fn parse(source: &Arc<Source>) -> Result<Vec<Var>, Diagnostic> {
    let mut vars = Vec::new();
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    for (index, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        if let Some((key, value)) = parse_line(line).map_err(|bad| bad.at(source, number))? {
            vars.push(Var {
                key,
                value,
                line: number,
            });
        }
    }
    Ok(vars)
}

/// What is wrong with a line, and where (a 0-based char column).
#[derive(Debug, PartialEq, Eq)]
struct Bad {
    column: usize,
    message: String,
    help: String,
}

impl Bad {
    fn new(column: usize, message: impl Into<String>, help: impl Into<String>) -> Self {
        Bad {
            column,
            message: message.into(),
            help: help.into(),
        }
    }

    fn at(self, source: &Arc<Source>, line: u32) -> Diagnostic {
        let column = u32::try_from(self.column + 1).unwrap_or(u32::MAX);
        let origin = Origin::new(source, line, column);
        Diagnostic::error(
            codes::SYNTAX,
            format!("malformed line in `{}`: {}", source.path, self.message),
        )
        .at(&origin)
        .help(format!(
            "{}; each line of `{}` is `KEY=VALUE`, `export KEY=VALUE`, a `#` comment or blank",
            self.help, source.path
        ))
    }
}

/// One line: `None` for a blank or comment line, else its key and value.
fn parse_line(line: &str) -> Result<Option<(String, String)>, Bad> {
    let chars: Vec<char> = line.chars().collect();
    let mut at = skip_spaces(&chars, 0);
    if at == chars.len() || chars[at] == '#' {
        return Ok(None);
    }
    // `export KEY=...`: the word and at least one space (`export=1` is a key).
    let rest: String = chars[at..].iter().collect();
    if let Some(after) = rest.strip_prefix("export")
        && after.starts_with([' ', '\t'])
    {
        at = skip_spaces(&chars, at + "export".len());
    }
    let key_start = at;
    while at < chars.len() && (chars[at].is_ascii_alphanumeric() || chars[at] == '_') {
        at += 1;
    }
    let key: String = chars[key_start..at].iter().collect();
    if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(Bad::new(
            key_start,
            "expected a variable name",
            "a name is letters, digits and `_`, not starting with a digit",
        ));
    }
    at = skip_spaces(&chars, at);
    if chars.get(at) != Some(&'=') {
        return Err(Bad::new(
            at,
            format!("expected `=` after `{key}`"),
            format!("write `{key}=value`"),
        ));
    }
    at = skip_spaces(&chars, at + 1);
    let value = match chars.get(at) {
        Some('\'') => quoted(&chars, at, '\'')?,
        Some('"') => quoted(&chars, at, '"')?,
        _ => bare(&chars, at)?,
    };
    Ok(Some((key, value)))
}

fn skip_spaces(chars: &[char], mut at: usize) -> usize {
    while at < chars.len() && matches!(chars[at], ' ' | '\t') {
        at += 1;
    }
    at
}

/// The end of a line after a value: only spaces, then maybe a `#` comment.
fn end_of_line(chars: &[char], at: usize) -> Result<(), Bad> {
    let at = skip_spaces(chars, at);
    match chars.get(at) {
        None | Some('#') => Ok(()),
        Some(_) => Err(Bad::new(
            at,
            "unexpected text after the value",
            "quote the whole value, or start a comment with ` #`",
        )),
    }
}

/// A bare value: up to a comment (`#` after a space) or the end of the line.
fn bare(chars: &[char], start: usize) -> Result<String, Bad> {
    let mut at = start;
    while at < chars.len() && !matches!(chars[at], ' ' | '\t') {
        if matches!(chars[at], '\'' | '"' | '\\') {
            return Err(Bad::new(
                at,
                format!("`{}` in an unquoted value", chars[at]),
                "put the whole value in quotes: single quotes take it as written",
            ));
        }
        at += 1;
    }
    let value: String = chars[start..at].iter().collect();
    let after = skip_spaces(chars, at);
    if after < chars.len() && chars[after] != '#' {
        return Err(Bad::new(
            after,
            "a space in an unquoted value",
            "put the value in quotes (`KEY=\"a b\"`), or start a comment with ` #`",
        ));
    }
    Ok(value)
}

/// A value in `quote`s starting at `start`; double quotes take escapes.
fn quoted(chars: &[char], start: usize, quote: char) -> Result<String, Bad> {
    let mut value = String::new();
    let mut at = start + 1;
    while at < chars.len() {
        let c = chars[at];
        if c == quote {
            end_of_line(chars, at + 1)?;
            return Ok(value);
        }
        if c == '\\' && quote == '"' {
            let escaped = match chars.get(at + 1) {
                Some('n') => '\n',
                Some('r') => '\r',
                Some('t') => '\t',
                Some('"') => '"',
                Some('\\') => '\\',
                Some('$') => '$',
                Some(other) => {
                    return Err(Bad::new(
                        at,
                        format!("unknown escape `\\{other}`"),
                        "the escapes are `\\n`, `\\r`, `\\t`, `\\\"`, `\\\\` and `\\$`; write `\\\\` for a backslash",
                    ));
                }
                None => break,
            };
            value.push(escaped);
            at += 2;
            continue;
        }
        value.push(c);
        at += 1;
    }
    Err(Bad::new(
        start,
        format!("this quote `{quote}` is not closed on its line"),
        format!("end the value with `{quote}` (a value cannot span lines)"),
    ))
}

#[cfg(test)]
mod tests {
    use super::{Bad, DotEnv, find, parse, parse_line};
    use schema_core::diagnostic::Source;

    fn ok(line: &str) -> Option<(String, String)> {
        match parse_line(line) {
            Ok(v) => v,
            Err(bad) => panic!("`{line}` should parse: {bad:?}"),
        }
    }

    fn pair(k: &str, v: &str) -> Option<(String, String)> {
        Some((k.to_string(), v.to_string()))
    }

    fn column_of_error(line: &str) -> usize {
        match parse_line(line) {
            Ok(v) => panic!("`{line}` should be refused, got {v:?}"),
            Err(Bad { column, .. }) => column,
        }
    }

    #[test]
    fn keys_values_export_quotes_and_comments() {
        assert_eq!(ok(""), None);
        assert_eq!(ok("   "), None);
        assert_eq!(ok("# DATABASE_URL=x"), None);
        assert_eq!(ok("  # indented comment"), None);
        assert_eq!(
            ok("DATABASE_URL=postgres://u@h:5432/db"),
            pair("DATABASE_URL", "postgres://u@h:5432/db")
        );
        assert_eq!(ok("export A=1"), pair("A", "1"));
        assert_eq!(ok("export\tA = 1   # one"), pair("A", "1"));
        assert_eq!(ok("export=1"), pair("export", "1"));
        assert_eq!(ok("A="), pair("A", ""));
        assert_eq!(ok("A=x#y"), pair("A", "x#y"));
        assert_eq!(ok("A='a b # $HOME \\n'"), pair("A", "a b # $HOME \\n"));
        assert_eq!(
            ok("A=\"a\\tb\\n\\\"c\\\" \\\\ \\$x\""),
            pair("A", "a\tb\n\"c\" \\ $x")
        );
        assert_eq!(ok("A=\"x\" # comment"), pair("A", "x"));
        assert_eq!(ok("A=''"), pair("A", ""));
    }

    #[test]
    fn a_malformed_line_is_refused_at_its_column() {
        assert_eq!(column_of_error("A B=1"), 2);
        assert_eq!(column_of_error("=1"), 0);
        assert_eq!(column_of_error("1A=1"), 0);
        assert_eq!(column_of_error("JUST_A_NAME"), 11);
        assert_eq!(column_of_error("A=hello world"), 8);
        assert_eq!(column_of_error("A='open"), 2);
        assert_eq!(column_of_error("A=\"open\\\""), 2);
        assert_eq!(column_of_error("A='x' y"), 6);
        assert_eq!(column_of_error("A=\"\\q\""), 3);
        assert_eq!(column_of_error("A=it's"), 4);
        assert_eq!(column_of_error("  -A=1"), 2);
    }

    #[test]
    fn the_error_names_the_file_line_and_column_and_quotes_the_line() {
        let source = Source::new(".env", "# comment\nA=1\r\nB=two words\n");
        let error = match parse(&source) {
            Ok(vars) => panic!("should be refused, got {vars:?}"),
            Err(e) => e.render(false),
        };
        assert!(error.contains("malformed line in `.env`"), "{error}");
        assert!(error.contains("--> .env:3:7"), "{error}");
        assert!(error.contains("B=two words"), "{error}");
        assert!(error.contains("help: put the value in quotes"), "{error}");
    }

    #[test]
    fn the_last_value_of_a_key_wins_and_a_bom_is_skipped() {
        let source = Source::new(".env", "\u{feff}A=1\nB=2\nA=3\n");
        let vars = parse(&source).expect("parses");
        let env = DotEnv {
            shown: Some(".env".to_string()),
            vars,
        };
        let value = |key: &str| env.get(key).map(|v| (v.value.as_str(), v.line));
        assert_eq!(value("A"), Some(("3", 3)));
        assert_eq!(value("B"), Some(("2", 2)));
        assert_eq!(value("C"), None);
    }

    #[test]
    fn the_nearest_file_is_found_and_shown_relative() {
        let dir = std::env::temp_dir().join(format!("schema-dotenv-{}", std::process::id()));
        let deep = dir.join("a/b");
        std::fs::create_dir_all(&deep).expect("mkdir");
        std::fs::write(dir.join(".env"), "A=outer\n").expect("write");
        let found = find(&deep).map(|(_, shown)| shown);
        std::fs::write(dir.join("a/.env"), "A=inner\n").expect("write");
        let nearer = find(&deep).map(|(_, shown)| shown);
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(found.as_deref(), Some("../../.env"));
        assert_eq!(nearer.as_deref(), Some("../.env"));
    }
}
