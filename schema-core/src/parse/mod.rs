//! SQL text → located statements → the model.
//!
//! The file is tokenized a piece of whole statements at a time (`lexical`);
//! statements are parsed from those tokens so each keeps the line and column it
//! starts at, and a statement that fails to parse is reported and skipped so
//! that every error of a file is reported in one run.
//! [`apply`] turns each statement into a change of the model; the same code
//! reads `schema.sql` ([`Mode::Declarative`]) and replays migrations
//! ([`Mode::Migration`]).

pub mod alter_sequence;
pub mod apply;
pub mod column_storage;
pub mod composites;
pub mod domains;
pub mod functions;
pub mod keywords;
mod lexical;
pub mod maintenance;
pub mod others;
pub mod privileges;
mod tokens;
pub mod triggers;
pub mod views;

use std::sync::Arc;

use sqlparser::ast::{ObjectName, SqlOption, Statement};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Tokenizer, Whitespace};

pub use apply::{Mode, apply_statement};

use alter_sequence::ReadError;

/// A statement read by hand from the parser's tokens.
type HandReader = fn(&mut Parser<'_>) -> Result<ParsedStatement, ReadError>;

use crate::diagnostic::{Diagnostic, Origin, Source, codes};
use crate::directive::{self, Directive};
use crate::model::Schema;
use crate::model::depth;

/// Nesting limit handed to sqlparser: deep enough for real SQL, shallow enough
/// that hostile input cannot overflow the stack.
const RECURSION_LIMIT: usize = 50;

/// One statement with its place in the file.
#[derive(Debug, Clone)]
pub struct LocatedStatement {
    /// The parsed statement, or the raw words of one parsed by hand.
    pub statement: ParsedStatement,
    /// Where its first token is.
    pub origin: Origin,
    /// Line of its last token.
    pub end_line: u32,
    /// Its own text, as written: from its first token to its end (the `;`
    /// left out). Migrations carry data statements to other dialects verbatim.
    pub text: String,
}

/// A statement sqlparser parsed, or one of the few forms we read ourselves.
#[derive(Debug, Clone)]
pub enum ParsedStatement {
    /// Parsed by sqlparser.
    Sql(Box<Statement>),
    /// `VACUUM` or `ANALYZE`, read by hand ([`maintenance`]).
    Maintenance(maintenance::Maintenance),
    /// `ALTER SEQUENCE [IF EXISTS] name option... [RESTART ...] [OWNED BY
    /// table.column | NONE]` (sqlparser has no AST for it).
    AlterSequence {
        /// The sequence name parts.
        sequence: Vec<String>,
        /// `IF EXISTS`.
        if_exists: bool,
        /// The options it sets, in order, each where it is written.
        options: Vec<alter_sequence::LocatedOption>,
        /// `OWNED BY`: `Some(None)` for `OWNED BY NONE`, `None` without one.
        owned_by: Option<Option<Vec<String>>>,
        /// Where `RESTART [[WITH] n]` is: it sets the sequence's value, not
        /// its schema.
        restart: Option<(u32, u32)>,
    },
    /// `ALTER TABLE [IF EXISTS] [ONLY] t ALTER [COLUMN] c` with an identity
    /// form sqlparser does not read (`SET GENERATED`, `SET INCREMENT BY n`,
    /// `RESTART`, `DROP IDENTITY`).
    AlterIdentity {
        /// The table name parts.
        table: Vec<String>,
        /// `IF EXISTS` (of the table).
        if_exists: bool,
        /// The column.
        column: String,
        /// The column name's line and column.
        column_at: (u32, u32),
        /// What it does.
        alteration: alter_sequence::IdentityAlteration,
    },
    /// `ALTER SEQUENCE [IF EXISTS] name RENAME TO new` (read by hand too).
    RenameSequence {
        /// The sequence name parts.
        sequence: Vec<String>,
        /// `IF EXISTS`.
        if_exists: bool,
        /// The new name (in the same schema).
        new_name: String,
    },
    /// `ALTER INDEX parent ATTACH PARTITION child` (sqlparser has no AST for
    /// it): the child index becomes the parent's, on the partition.
    AttachIndexPartition {
        /// The partitioned table's index, name parts.
        index: Vec<String>,
        /// The partition's index, name parts.
        partition: Vec<String>,
    },
    /// `COMMENT ON CONSTRAINT name ON [DOMAIN] table IS {'text' | NULL}`
    /// (sqlparser has no AST for it).
    CommentOnConstraint {
        /// The constraint's name.
        constraint: sqlparser::ast::Ident,
        /// The table (or domain) it belongs to.
        table: sqlparser::ast::ObjectName,
        /// `ON DOMAIN`.
        domain: bool,
        /// The comment, `None` for `IS NULL`.
        comment: Option<String>,
    },
    /// `ALTER INDEX [IF EXISTS] name SET (...)` / `RESET (...)` (sqlparser
    /// reads only `RENAME` there): the index's storage parameters.
    AlterIndexOptions {
        /// The index name.
        index: ObjectName,
        /// `IF EXISTS`.
        if_exists: bool,
        /// `SET (name = value, ...)`; empty for `RESET`.
        set: Vec<SqlOption>,
        /// `RESET (name, ...)`; empty for `SET`.
        reset: Vec<ObjectName>,
    },
    /// `ALTER {SEQUENCE | TYPE | INDEX} name OWNER TO role`, which sqlparser does
    /// not read (an index's owner follows its table's: read and ignored).
    OwnerTo {
        /// `SEQUENCE`, `TYPE` or `INDEX`.
        kind: String,
        /// The object's name parts.
        name: Vec<String>,
        /// The new owner; `None` for `CURRENT_USER`, `CURRENT_ROLE` and
        /// `SESSION_USER` (the role that runs the migrations).
        owner: Option<String>,
    },
    /// `GRANT` or `REVOKE` of privileges (read by hand, see [`privileges`]).
    Grant(Box<privileges::GrantStatement>),
    /// `ALTER DEFAULT PRIVILEGES` (read by hand, see [`privileges`]).
    DefaultPrivileges(Box<privileges::DefaultPrivilegesStatement>),
    /// `CREATE | DROP | ALTER | COMMENT ON` a function or procedure (read by hand).
    Function(Box<functions::FunctionStatement>),
    /// `CREATE DOMAIN` (read by hand: sqlparser reads no `NOT NULL` there).
    CreateDomain(Box<domains::CreateDomain>),
    /// `ALTER DOMAIN` (read by hand: sqlparser has no AST for it).
    AlterDomain(Box<domains::AlterDomain>),
    /// `ALTER TYPE ... {ADD | DROP | ALTER | RENAME} ATTRIBUTE` (read by hand too).
    AlterAttributes(Box<composites::AlterAttributes>),
    /// `ALTER TABLE ... ALTER [COLUMN] c SET STORAGE s | SET COMPRESSION m`
    /// (read by hand: sqlparser does not read them).
    AlterColumnStorage(Box<column_storage::AlterColumnStorage>),
    /// `CREATE [OR REPLACE] [RECURSIVE] [MATERIALIZED] VIEW` (read by hand:
    /// sqlparser reads no `RECURSIVE`, `CHECK OPTION` or `WITH [NO] DATA`).
    CreateView(Box<views::CreateView>),
    /// `ALTER [MATERIALIZED] VIEW` (read by hand too).
    AlterView(Box<views::AlterView>),
    /// `CREATE [OR REPLACE] [CONSTRAINT] TRIGGER` (read by hand: sqlparser
    /// reads no literal arguments of the function).
    CreateTrigger(Box<triggers::CreateTrigger>),
    /// `COMMENT ON {TRIGGER | POLICY} name ON table IS ...` (read by hand:
    /// sqlparser has no AST for it).
    CommentOnTableObject(Box<triggers::CommentOnTableObject>),
    /// `CREATE | DROP | ALTER | COMMENT ON` an aggregate, operator, cast,
    /// collation, text-search object, event trigger, publication or rule
    /// (read by hand, carried verbatim: see [`others`]).
    Other(Box<others::OtherStatement>),
}

/// A whole file, split into statements, with its directive comments.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    /// The file.
    pub source: Arc<Source>,
    /// Statements in order.
    pub statements: Vec<LocatedStatement>,
    /// `-- schema:` directives with their lines, in order.
    pub directives: Vec<(u32, Directive)>,
    /// Identity options' `SEQUENCE NAME name` (which sqlparser does not read),
    /// taken out of the text: the line and column of `SEQUENCE`, and the name's
    /// parts. The statement that held one checks it is the name PostgreSQL
    /// would choose anyway, or refuses it.
    pub sequence_names: Vec<(u32, u32, Vec<String>)>,
    /// `ALTER [COLUMN] c [SET DATA] TYPE t COLLATE name` of `ALTER TABLE`
    /// (sqlparser reads no `COLLATE` there), taken out of the text: the line
    /// and column of the column's name, and the collation's name parts.
    pub type_collations: Vec<(u32, u32, Vec<String>)>,
    /// `COMPRESSION method` of column definitions (which sqlparser does not
    /// read), taken out of the text.
    pub column_compressions: Vec<column_storage::WrittenCompression>,
    /// The parameters of operator classes in `CREATE INDEX` key lists and `EXCLUDE` elements
    /// (`gist_trgm_ops (siglen = 32)`, which sqlparser does not read), taken
    /// out of the text: the line and column of the class's name, and the
    /// parameters as PostgreSQL stores them.
    pub opclass_parameters: OpclassParameters,
    /// A bound of how deep its expressions nest ([`depth`]), which decides
    /// whether applying it needs a stack of its own.
    pub deepest: usize,
}

impl ParsedFile {
    /// Directives on lines `after < line <= upto`.
    pub(crate) fn directives_between(&self, after: u32, upto: u32) -> Vec<Directive> {
        self.directives
            .iter()
            .filter(|(line, _)| *line > after && *line <= upto)
            .map(|(_, d)| d.clone())
            .collect()
    }

    /// Every directive of the file.
    pub(crate) fn all_directives(&self) -> Vec<Directive> {
        self.directives.iter().map(|(_, d)| d.clone()).collect()
    }
}

fn line_col(token: &TokenWithSpan) -> (u32, u32) {
    let loc = token.span.start;
    (
        u32::try_from(loc.line).unwrap_or(u32::MAX),
        u32::try_from(loc.column).unwrap_or(u32::MAX),
    )
}

/// psql meta-commands (`\restrict`, `\connect`, ...) are not SQL: blank them out,
/// keeping every other byte where it was so locations stay right. A line is a
/// meta-command only when it starts with `\` outside any string, quoted name,
/// dollar-quoted body or comment (a string may well hold a line starting
/// with `\`).
fn blank_meta_commands(text: &str) -> Option<String> {
    if !text.lines().any(|l| l.starts_with('\\')) {
        return None;
    }
    let meta = lexical::meta_command_lines(text);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if meta.get(i).copied().unwrap_or(false) {
            let body = line.trim_end_matches(['\n', '\r']);
            out.extend(std::iter::repeat_n(' ', body.chars().count()));
            out.push_str(&line[body.len()..]);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

/// Finds `Line: N, Column: M` in a sqlparser message.
fn location_in_message(message: &str) -> Option<(u32, u32)> {
    let at = message.rfind("Line: ")?;
    let rest = &message[at + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// Strips sqlparser's trailing location from a message (we show it ourselves).
fn clean_message(message: &str) -> String {
    let m = message.trim_start_matches("sql parser error: ");
    match m.rfind(" at Line: ") {
        Some(i) => m[..i].to_string(),
        None => m.to_string(),
    }
}

/// Leading keywords of the statement at the parser's position, e.g. `CREATE VIEW`.
fn statement_kind(parser: &Parser<'_>) -> String {
    let mut words = Vec::new();
    for n in 0..5 {
        match parser.peek_nth_token(n).token {
            Token::Word(w) if w.keyword != Keyword::NoKeyword && w.quote_style.is_none() => {
                words.push(w.value.to_ascii_uppercase());
            }
            _ => break,
        }
    }
    words.join(" ")
}

/// The leading unquoted words of the statement at the parser's position, upper
/// case, keywords or not (`CREATE SUBSCRIPTION`).
fn leading_words(parser: &Parser<'_>) -> String {
    let mut words = Vec::new();
    for n in 0..3 {
        match parser.peek_nth_token(n).token {
            Token::Word(w) if w.quote_style.is_none() => words.push(w.value.to_ascii_uppercase()),
            _ => break,
        }
    }
    words.join(" ")
}

/// Statement kinds we reject before sqlparser sees them (it may not parse them at all).
fn is_unsupported_kind(kind: &str) -> bool {
    const KINDS: &[&str] = &[
        "CREATE OR REPLACE",
        "CREATE FUNCTION",
        "CREATE PROCEDURE",
        // `CREATE OPERATOR CLASS | FAMILY` (operators themselves are read
        // by `others` before this list is looked at).
        "CREATE OPERATOR",
        "CREATE TEXT SEARCH",
        "CREATE SUBSCRIPTION",
        "ALTER SUBSCRIPTION",
        "CREATE SERVER",
        "CREATE FOREIGN",
        "CREATE ROLE",
        "CREATE USER",
        "ALTER FUNCTION",
        "DO",
    ];
    KINDS.iter().any(|k| {
        kind.strip_prefix(k)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
    })
}

/// Skips to just past the next `;` (or to the end).
fn skip_statement(parser: &mut Parser<'_>) -> u32 {
    let mut last_line = 0;
    loop {
        let t = parser.next_token();
        if t.span.start.line > 0 {
            last_line = line_col(&t).0;
        }
        match t.token {
            Token::SemiColon | Token::EOF => return last_line,
            _ => {}
        }
    }
}

fn word_value(t: &Token) -> Option<String> {
    match t {
        Token::Word(w) => Some(if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_ascii_lowercase()
        }),
        _ => None,
    }
}

/// A dotted name starting at `significant[at]` (indexes into `tokens` of the
/// tokens that are not whitespace): its parts (none when no name starts
/// there) and the position after it.
fn dotted_name_in(
    tokens: &[TokenWithSpan],
    significant: &[usize],
    mut at: usize,
) -> (Vec<String>, usize) {
    let mut parts = Vec::new();
    while let Some(v) = significant
        .get(at)
        .and_then(|&i| word_value(&tokens[i].token))
    {
        parts.push(v);
        at += 1;
        if significant
            .get(at)
            .is_some_and(|&i| tokens[i].token == Token::Period)
        {
            at += 1;
        } else {
            break;
        }
    }
    (parts, at)
}

/// A dotted name starting at token `n`: its parts and the token after it.
fn peek_dotted_name(parser: &Parser<'_>, mut n: usize) -> Option<(Vec<String>, usize)> {
    let mut name = Vec::new();
    loop {
        name.push(word_value(&parser.peek_nth_token(n).token)?);
        n += 1;
        if name.len() > 3 {
            return None;
        }
        if parser.peek_nth_token(n).token == Token::Period {
            n += 1;
        } else {
            return Some((name, n));
        }
    }
}

/// Reads `ALTER INDEX name ATTACH PARTITION name` without consuming
/// anything; `None` when the statement is another form.
fn peek_attach_index_partition(parser: &Parser<'_>) -> Option<ParsedStatement> {
    let keyword = |n: usize, k: Keyword| matches!(parser.peek_nth_token(n).token, Token::Word(w) if w.keyword == k && w.quote_style.is_none());
    if !(keyword(0, Keyword::ALTER) && keyword(1, Keyword::INDEX)) {
        return None;
    }
    let (index, n) = peek_dotted_name(parser, 2)?;
    if !(keyword(n, Keyword::ATTACH) && keyword(n + 1, Keyword::PARTITION)) {
        return None;
    }
    let (partition, n) = peek_dotted_name(parser, n + 2)?;
    matches!(
        parser.peek_nth_token(n).token,
        Token::SemiColon | Token::EOF
    )
    .then_some(ParsedStatement::AttachIndexPartition { index, partition })
}

/// The positions of the tokens that are not whitespace or comments: the
/// token scans below step over these.
fn significant_tokens(tokens: &[TokenWithSpan]) -> Vec<usize> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| !matches!(t.token, Token::Whitespace(_)))
        .map(|(i, _)| i)
        .collect()
}

/// `CREATE INDEX ... ON ONLY table` (pg_dump's form for a partitioned table,
/// whose partitions' indexes it attaches one by one) ends where `ON table`
/// ends once every partition's index is attached, and sqlparser does not read
/// `ONLY` there: blank it (keeping every location). The file's own text,
/// which PostgreSQL runs, keeps it.
fn blank_create_index_on_only(tokens: &mut [TokenWithSpan]) {
    let words = significant_tokens(tokens);
    let is = |i: usize, word: &str| {
        matches!(&tokens[i].token, Token::Word(w)
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    };
    let mut in_create_index = false;
    let mut blank = Vec::new();
    for (k, &i) in words.iter().enumerate() {
        if tokens[i].token == Token::SemiColon {
            in_create_index = false;
        } else if is(i, "index")
            && k > 0
            && (is(words[k - 1], "create") || is(words[k - 1], "unique"))
        {
            in_create_index = true;
        } else if in_create_index && is(i, "on") && words.get(k + 1).is_some_and(|&j| is(j, "only"))
        {
            blank.push(words[k + 1]);
            in_create_index = false;
        }
    }
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
}

/// Reads one `CREATE INDEX` statement as `pg_get_indexdef` prints it
/// (introspection): `ON ONLY` and operator class parameters are taken out as
/// for a file, and the parameters returned beside the statement.
///
/// # Errors
/// sqlparser's message when the text cannot be read.
pub fn read_index_definition(sql: &str) -> Result<(Statement, OpclassParameters), String> {
    let dialect = PostgreSqlDialect {};
    let mut tokens = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| e.to_string())?;
    blank_create_index_on_only(&mut tokens);
    let parameters = blank_opclass_parameters(&mut tokens);
    let statement = Parser::new(&dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens)
        .parse_statement()
        .map_err(|e| e.to_string())?;
    Ok((statement, parameters))
}

/// Operator class parameters found in a text: per class, the line and column
/// of its name and the parameters.
pub type OpclassParameters = Vec<(u32, u32, crate::model::StorageParameters)>;

/// The parameters recorded for the operator class named by `name` (found by
/// the location of its first part).
pub fn opclass_parameters_of(
    found: &OpclassParameters,
    name: &ObjectName,
) -> Option<crate::model::StorageParameters> {
    use sqlparser::ast::Spanned;
    let at = name.span().start;
    let (line, column) = (u32::try_from(at.line).ok()?, u32::try_from(at.column).ok()?);
    found
        .iter()
        .find(|(l, c, _)| *l == line && *c == column)
        .map(|(_, _, p)| p.clone())
}

/// Takes the parameters of operator classes out of `CREATE INDEX` key lists
/// and `EXCLUDE` element lists (`(title gist_trgm_ops (siglen = 32))`),
/// keeping every location, and
/// returns where each class's name was with its parameters. A class is a
/// (possibly dotted) name right after a key's column, expression or
/// collation, at the first level of the key list; a `(` after a name that
/// follows `(` or `,` is a function call and stays. A list that is not
/// `name = value, ...` stays too, and sqlparser refuses it by name.
fn blank_opclass_parameters(tokens: &mut [TokenWithSpan]) -> OpclassParameters {
    let significant = significant_tokens(tokens);
    let is = |k: usize, word: Keyword| {
        significant.get(k).is_some_and(|&i| {
            matches!(&tokens[i].token, Token::Word(w) if w.quote_style.is_none() && w.keyword == word)
        })
    };
    let mut found = Vec::new();
    let mut blank = Vec::new();
    let mut k = 0;
    while k < significant.len() {
        let starts_index = is(k, Keyword::INDEX)
            && k > 0
            && (is(k - 1, Keyword::CREATE) || is(k - 1, Keyword::UNIQUE));
        let starts_exclusion = is(k, Keyword::EXCLUDE);
        k += 1;
        if starts_exclusion {
            // `EXCLUDE [USING method] (`: the element list follows at once.
            if is(k, Keyword::USING) {
                k += 2;
            }
        } else if !starts_index {
            continue;
        }
        // The key list: the first `(` of the statement after `INDEX`.
        while let Some(&i) = significant.get(k) {
            if starts_exclusion || matches!(tokens[i].token, Token::LParen | Token::SemiColon) {
                break;
            }
            k += 1;
        }
        if significant
            .get(k)
            .is_none_or(|&i| tokens[i].token != Token::LParen)
        {
            continue;
        }
        let mut depth = 1usize;
        k += 1;
        while let Some(&i) = significant.get(k) {
            match &tokens[i].token {
                Token::LParen if depth == 1 => {
                    if let Some((name_at, end, parameters)) =
                        opclass_parameters_here(tokens, &significant, k)
                    {
                        let (line, column) = line_col(&tokens[significant[name_at]]);
                        found.push((line, column, parameters));
                        blank.extend(significant[k..=end].iter().copied());
                        k = end + 1;
                        continue;
                    }
                    depth += 1;
                }
                Token::LParen => depth += 1,
                Token::RParen => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Token::SemiColon => break,
                _ => {}
            }
            k += 1;
        }
    }
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
    found
}

/// At the `(` of `significant[open]` on the first level of a key list: when
/// it follows an operator class's name, the index (in `significant`) of the
/// name's first part, of the closing `)`, and the parameters.
fn opclass_parameters_here(
    tokens: &[TokenWithSpan],
    significant: &[usize],
    open: usize,
) -> Option<(usize, usize, crate::model::StorageParameters)> {
    let token = |k: usize| significant.get(k).map(|&i| &tokens[i].token);
    let is_word = |k: usize| matches!(token(k), Some(Token::Word(_)));
    // The dotted name before `(`.
    let mut first = open.checked_sub(1)?;
    if !is_word(first) {
        return None;
    }
    while first >= 2 && token(first - 1) == Some(&Token::Period) && is_word(first - 2) {
        first -= 2;
    }
    // A class follows a column, an expression's `)` or a collation's name;
    // a name after `(`, `,` or `COLLATE` is a function or a collation.
    match token(first.checked_sub(1)?)? {
        Token::RParen => {}
        Token::Word(w) if !(w.quote_style.is_none() && w.keyword == Keyword::COLLATE) => {}
        _ => return None,
    }
    let mut parameters = crate::model::StorageParameters::default();
    let mut k = open + 1;
    loop {
        let Some(Token::Word(name)) = token(k) else {
            return None;
        };
        let name = if name.quote_style.is_some() {
            name.value.clone()
        } else {
            name.value.to_lowercase()
        };
        if token(k + 1) != Some(&Token::Eq) {
            return None;
        }
        k += 2;
        let negative = token(k) == Some(&Token::Minus);
        if negative || token(k) == Some(&Token::Plus) {
            k += 1;
        }
        let value = match token(k)? {
            Token::Number(n, _) if negative => format!("-{n}"),
            Token::Number(n, _) => n.clone(),
            Token::SingleQuotedString(v) if !negative => v.clone(),
            Token::Word(w) if !negative && w.quote_style.is_none() => w.value.to_lowercase(),
            _ => return None,
        };
        parameters.set(&name, &value);
        k += 1;
        match token(k)? {
            Token::Comma => k += 1,
            Token::RParen => return Some((first, k, parameters)),
            _ => return None,
        }
    }
}

/// Reads `ALTER {SEQUENCE | TYPE | INDEX} [IF EXISTS] name OWNER TO role` without
/// consuming anything; `None` when the statement is another form.
fn peek_owner_to(parser: &Parser<'_>) -> Option<ParsedStatement> {
    let word = |n: usize| match parser.peek_nth_token(n).token {
        Token::Word(w) => Some(w),
        _ => None,
    };
    let kind = word(1)?;
    if !matches!(
        kind.keyword,
        Keyword::SEQUENCE | Keyword::TYPE | Keyword::INDEX
    ) {
        return None;
    }
    let mut n = 2;
    if word(2).is_some_and(|w| w.keyword == Keyword::IF)
        && word(3).is_some_and(|w| w.keyword == Keyword::EXISTS)
    {
        n = 4;
    }
    let (name, n) = peek_dotted_name(parser, n)?;
    let owner = word(n)?;
    let to = word(n + 1)?;
    let role = word(n + 2)?;
    let end = parser.peek_nth_token(n + 3).token;
    (owner.keyword == Keyword::OWNER
        && to.keyword == Keyword::TO
        && matches!(end, Token::SemiColon | Token::EOF))
    .then(|| ParsedStatement::OwnerTo {
        kind: kind.value.to_ascii_uppercase(),
        name,
        owner: match role.keyword {
            _ if role.quote_style.is_some() => Some(role.value.clone()),
            Keyword::CURRENT_USER | Keyword::CURRENT_ROLE | Keyword::SESSION_USER => None,
            _ => Some(role.value.to_ascii_lowercase()),
        },
    })
}

/// Whether the statement is `ALTER INDEX [IF EXISTS] name SET (` or `RESET (`,
/// without consuming anything.
fn peek_alter_index_options(parser: &Parser<'_>) -> bool {
    let is = |n: usize, k: Keyword| matches!(parser.peek_nth_token(n).token, Token::Word(w) if w.keyword == k && w.quote_style.is_none());
    let mut n = if is(2, Keyword::IF) && is(3, Keyword::EXISTS) {
        4
    } else {
        2
    };
    loop {
        if word_value(&parser.peek_nth_token(n).token).is_none() {
            return false;
        }
        n += 1;
        if parser.peek_nth_token(n).token == Token::Period {
            n += 1;
        } else {
            break;
        }
    }
    (is(n, Keyword::SET) || is(n, Keyword::RESET))
        && parser.peek_nth_token(n + 1).token == Token::LParen
}

/// Reads `ALTER INDEX [IF EXISTS] name SET (...)` / `RESET (...)` with
/// sqlparser's own readers of names and options.
fn parse_alter_index_options(parser: &mut Parser<'_>) -> Result<ParsedStatement, ParserError> {
    parser.expect_keyword(Keyword::ALTER)?;
    parser.expect_keyword(Keyword::INDEX)?;
    let if_exists = parser.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
    let index = parser.parse_object_name(false)?;
    let (mut set, mut reset) = (Vec::new(), Vec::new());
    if parser.parse_keyword(Keyword::SET) {
        parser.expect_token(&Token::LParen)?;
        set = parser.parse_comma_separated(Parser::parse_sql_option)?;
    } else {
        parser.expect_keyword(Keyword::RESET)?;
        parser.expect_token(&Token::LParen)?;
        reset = parser.parse_comma_separated(|p| p.parse_object_name(false))?;
    }
    parser.expect_token(&Token::RParen)?;
    Ok(ParsedStatement::AlterIndexOptions {
        index,
        if_exists,
        set,
        reset,
    })
}

/// Reads the end of a `COMMENT ON ...` statement read by hand: `IS 'text'`
/// (any string literal) or `IS NULL`.
pub(crate) fn parse_comment_is(parser: &mut Parser<'_>) -> Result<Option<String>, ParserError> {
    parser.expect_keyword_is(Keyword::IS)?;
    if parser.parse_keyword(Keyword::NULL) {
        return Ok(None);
    }
    let next = parser.next_token();
    match next.token {
        Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => Ok(Some(s)),
        Token::DollarQuotedString(d) => Ok(Some(d.value)),
        _ => parser.expected("a string literal or NULL", next),
    }
}

/// Reads `COMMENT ON CONSTRAINT name ON [DOMAIN] table IS {'text' | NULL}`.
fn parse_comment_on_constraint(parser: &mut Parser<'_>) -> Result<ParsedStatement, ParserError> {
    parser.expect_keyword_is(Keyword::COMMENT)?;
    parser.expect_keyword_is(Keyword::ON)?;
    parser.expect_keyword_is(Keyword::CONSTRAINT)?;
    let constraint = parser.parse_identifier()?;
    parser.expect_keyword_is(Keyword::ON)?;
    let domain = parser.parse_keyword(Keyword::DOMAIN);
    let table = parser.parse_object_name(false)?;
    let comment = parse_comment_is(parser)?;
    Ok(ParsedStatement::CommentOnConstraint {
        constraint,
        table,
        domain,
        comment,
    })
}

/// `DROP INDEX CONCURRENTLY` changes the schema as `DROP INDEX` does, and
/// sqlparser does not read the word there: blank it (keeping every location).
/// The file's own text, which PostgreSQL runs, keeps it.
/// For each of `keywords`, true when an unquoted word of `tokens` is it.
fn words_present<const N: usize>(tokens: &[TokenWithSpan], keywords: [Keyword; N]) -> [bool; N] {
    let mut found = [false; N];
    for t in tokens {
        if let Token::Word(w) = &t.token {
            if w.quote_style.is_none() && w.keyword != Keyword::NoKeyword {
                for (f, k) in found.iter_mut().zip(&keywords) {
                    *f |= w.keyword == *k;
                }
            }
        }
    }
    found
}

fn blank_drop_index_concurrently(tokens: &mut [TokenWithSpan]) {
    let words = significant_tokens(tokens);
    let is = |i: usize, word: &str| {
        matches!(&tokens[i].token, Token::Word(w)
            if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    };
    let blank: Vec<usize> = words
        .windows(3)
        .filter(|w| is(w[0], "drop") && is(w[1], "index") && is(w[2], "concurrently"))
        .map(|w| w[2])
        .collect();
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
}

/// Byte offsets of a text's lines, to cut a statement's text out by the
/// locations of its tokens.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// The location of a byte offset (on a character's start).
    fn location(&self, offset: usize) -> Location {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        Location::new(line as u64, column as u64 + 1)
    }

    /// The byte offset of a location (the text's end for an empty one).
    fn offset(&self, at: Location) -> usize {
        let Some(&start) = usize::try_from(at.line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| self.starts.get(l))
        else {
            return self.text.len();
        };
        let skip = usize::try_from(at.column).unwrap_or(1).saturating_sub(1);
        self.text[start..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| start + i)
    }

    /// The text from the start of `first` to the end of `last`.
    fn between(&self, first: &TokenWithSpan, last: &TokenWithSpan) -> &'t str {
        let (from, to) = (self.offset(first.span.start), self.offset(last.span.end));
        self.text.get(from..to.max(from)).unwrap_or("")
    }
}

/// Takes `SEQUENCE NAME name` out of identity options (`AS IDENTITY (SEQUENCE
/// NAME s START WITH 1 ...)`, as pg_dump writes them), keeping every location,
/// and returns where each was with its name. Left in place when it is the only
/// option (the parentheses would be empty): it is then refused by name.
fn blank_sequence_names(tokens: &mut [TokenWithSpan]) -> Vec<(u32, u32, Vec<String>)> {
    let significant = significant_tokens(tokens);
    let is = |i: usize, word: Keyword| matches!(&tokens[i].token, Token::Word(w) if w.quote_style.is_none() && w.keyword == word);
    let mut found = Vec::new();
    let mut blank = Vec::new();
    let mut k = 0;
    while k + 2 < significant.len() {
        let (seq, name) = (significant[k], significant[k + 1]);
        if !(is(seq, Keyword::SEQUENCE) && is(name, Keyword::NAME)) {
            k += 1;
            continue;
        }
        let (parts, end) = dotted_name_in(tokens, &significant, k + 2);
        let opens = k > 0 && tokens[significant[k - 1]].token == Token::LParen;
        let closes = significant
            .get(end)
            .is_none_or(|&i| tokens[i].token == Token::RParen);
        if parts.is_empty() || (opens && closes) {
            k = end.max(k + 1);
            continue;
        }
        let (line, column) = line_col(&tokens[seq]);
        found.push((line, column, parts));
        blank.extend(significant[k..end].iter().copied());
        k = end;
    }
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
    found
}

/// Takes `COLLATE name` out of `ALTER [COLUMN] c [SET DATA] TYPE t COLLATE
/// name` (an `ALTER TABLE` operation sqlparser cannot read whole), keeping
/// every location, and returns where each column name was with the
/// collation's name parts. `ALTER` must follow a name or a comma (not start a
/// statement), and the type runs to the first `COLLATE`, `USING`, `,` or `;`
/// outside parentheses.
fn blank_type_collations(tokens: &mut [TokenWithSpan]) -> Vec<(u32, u32, Vec<String>)> {
    let significant = significant_tokens(tokens);
    let keyword = |k: usize, word: Keyword| {
        significant.get(k).is_some_and(|&i| {
            matches!(&tokens[i].token, Token::Word(w) if w.quote_style.is_none() && w.keyword == word)
        })
    };
    let mut found = Vec::new();
    let mut blank = Vec::new();
    for k in 1..significant.len() {
        let after_name = matches!(
            tokens[significant[k - 1]].token,
            Token::Word(_) | Token::Comma
        );
        if !keyword(k, Keyword::ALTER) || !after_name || keyword(k - 1, Keyword::ALTER) {
            continue;
        }
        let mut c = k + 1;
        if keyword(c, Keyword::COLUMN) {
            c += 1;
        }
        let Some(&column) = significant.get(c) else {
            continue;
        };
        if word_value(&tokens[column].token).is_none() {
            continue;
        }
        let mut t = c + 1;
        if keyword(t, Keyword::SET) && keyword(t + 1, Keyword::DATA) {
            t += 2;
        }
        if !keyword(t, Keyword::TYPE) {
            continue;
        }
        let mut depth = 0usize;
        let mut end = t + 1;
        while let Some(&i) = significant.get(end) {
            match &tokens[i].token {
                Token::LParen => depth += 1,
                Token::RParen => depth = depth.saturating_sub(1),
                Token::Comma | Token::SemiColon if depth == 0 => break,
                Token::Word(w)
                    if depth == 0
                        && w.quote_style.is_none()
                        && matches!(w.keyword, Keyword::COLLATE | Keyword::USING) =>
                {
                    break;
                }
                _ => {}
            }
            end += 1;
        }
        if !keyword(end, Keyword::COLLATE) {
            continue;
        }
        let (parts, stop) = dotted_name_in(tokens, &significant, end + 1);
        if parts.is_empty() {
            continue;
        }
        let (line, col) = line_col(&tokens[column]);
        found.push((line, col, parts));
        blank.extend(significant[end..stop].iter().copied());
    }
    for i in blank {
        tokens[i].token = Token::Whitespace(Whitespace::Space);
    }
    found
}

/// Splits a file into located statements and directives. Errors do not stop it:
/// a statement that fails is reported and skipped.
pub fn parse_file(source: &Arc<Source>) -> (ParsedFile, Vec<Diagnostic>) {
    parse_file_each(source, None)
}

/// A statement handed over as soon as it is read, with the file it is in
/// (its directives and other facts of the whole file, but no statements).
pub(crate) type Each<'e> = &'e mut dyn FnMut(&ParsedFile, LocatedStatement);

/// The least bytes of text tokenized at once. A file's tokens take about twenty
/// times its bytes, so a large file is tokenized and parsed a piece of whole
/// statements at a time (`lexical::statement_pieces`).
const PIECE_BYTES: usize = 64 * 1024;

/// [`parse_file`], handing each statement to `each` as soon as it is read
/// instead of keeping it, when given: a syntax tree is several times its text,
/// and a large schema.sql applied one statement at a time keeps one alive.
pub(crate) fn parse_file_each(
    source: &Arc<Source>,
    each: Option<Each<'_>>,
) -> (ParsedFile, Vec<Diagnostic>) {
    parse_in_pieces(source, each, PIECE_BYTES)
}

/// [`parse_file_each`], tokenizing pieces of at least `least` bytes.
fn parse_in_pieces(
    source: &Arc<Source>,
    mut each: Option<Each<'_>>,
    least: usize,
) -> (ParsedFile, Vec<Diagnostic>) {
    let mut hand_over = |file: &mut ParsedFile| {
        if let Some(each) = each.as_mut() {
            for statement in std::mem::take(&mut file.statements) {
                each(file, statement);
            }
        }
    };
    let mut diagnostics = Vec::new();
    let mut file = ParsedFile {
        source: Arc::clone(source),
        statements: Vec::new(),
        directives: Vec::new(),
        sequence_names: Vec::new(),
        type_collations: Vec::new(),
        column_compressions: Vec::new(),
        opclass_parameters: Vec::new(),
        deepest: 0,
    };
    let blanked = blank_meta_commands(&source.text);
    let text = blanked.as_deref().unwrap_or(&source.text);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = Lines::new(text);
    let pieces = lexical::statement_pieces(text, least);
    // Directives that speak for the whole file must be known before its first
    // statement applies: when the marker is past the first piece, a first
    // pass reads the comments of every piece (tokens dropped as it goes).
    let late_directives = pieces.len() > 1
        && pieces
            .first()
            .is_some_and(|p| text[p.end..].contains(directive::MARKER));
    if late_directives {
        let mut read = Pieces::new(text, &lines, &pieces);
        while let Some(Ok(tokens)) = read.next() {
            read_directives(&tokens, &mut file, &mut diagnostics);
        }
    }
    for tokens in Pieces::new(text, &lines, &pieces) {
        match tokens {
            Ok(tokens) => {
                if !late_directives {
                    read_directives(&tokens, &mut file, &mut diagnostics);
                }
                parse_tokens(tokens, &mut file, &mut diagnostics, &lines, &mut hand_over);
            }
            Err(e) => {
                let line = u32::try_from(e.location.line).unwrap_or(1);
                let col = u32::try_from(e.location.column).unwrap_or(1);
                diagnostics.push(
                    Diagnostic::error(codes::SYNTAX, format!("cannot read SQL: {}", e.message))
                        .at(&Origin::clamped(source, line, col))
                        .help(
                            "check quotes and comments: every `'`, `\"`, `$$` and `/*` must be closed",
                        ),
                );
            }
        }
    }
    hand_over(&mut file);
    (file, diagnostics)
}

/// The tokens of a file's pieces, in order. A piece ends with its statement's
/// `;`; when its tokens do not (the byte scan read a quote otherwise than the
/// tokenizer), the rest of the file is tokenized at once, as a file always
/// was. A tokenizer error ends the pieces.
struct Pieces<'a> {
    text: &'a str,
    lines: &'a Lines<'a>,
    pieces: &'a [std::ops::Range<usize>],
    next: usize,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str, lines: &'a Lines<'a>, pieces: &'a [std::ops::Range<usize>]) -> Self {
        Pieces {
            text,
            lines,
            pieces,
            next: 0,
        }
    }
}

impl Iterator for Pieces<'_> {
    type Item = Result<Vec<TokenWithSpan>, sqlparser::tokenizer::TokenizerError>;

    fn next(&mut self) -> Option<Self::Item> {
        let piece = self.pieces.get(self.next)?.clone();
        let last = self.next + 1 == self.pieces.len();
        let read = tokenize_at(self.text, self.lines, piece.clone())
            .ok()
            .filter(|tokens| last || ends_statement(tokens));
        if let Some(tokens) = read {
            self.next += 1;
            return Some(Ok(tokens));
        }
        self.next = self.pieces.len();
        Some(tokenize_at(
            self.text,
            self.lines,
            piece.start..self.text.len(),
        ))
    }
}

/// True when a piece's tokens end where the statements of the whole file's
/// tokens would end too: at a `;` outside parentheses (never closing more than
/// it opened), with no `ATOMIC` (a `BEGIN ATOMIC ... END` body's `;` are its
/// own) and no `STDIN` (the tokenizer takes the lines after `COPY ... FROM
/// stdin;` as data, which a piece ending at that `;` would not) in the piece.
/// The tokens of a piece that starts where a statement starts are the whole
/// file's tokens up to there, so this holds whatever the byte scan made of the
/// text.
fn ends_statement(tokens: &[TokenWithSpan]) -> bool {
    let mut depth = 0i64;
    for t in tokens {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Word(w)
                if w.quote_style.is_none()
                    && (w.value.eq_ignore_ascii_case("atomic")
                        || w.value.eq_ignore_ascii_case("stdin")) =>
            {
                return false;
            }
            Token::CopyData { .. } => return false,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0 && tokens.last().is_some_and(|t| t.token == Token::SemiColon)
}

/// The `-- schema:` directives of a piece's comments, into `file`.
fn read_directives(
    tokens: &[TokenWithSpan],
    file: &mut ParsedFile,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for t in tokens {
        if let Token::Whitespace(Whitespace::SingleLineComment { comment, .. }) = &t.token {
            let (line, col) = line_col(t);
            let origin = Origin::new(&file.source, line, col);
            match directive::parse_comment(comment, &origin) {
                Ok(found) => file.directives.extend(found.into_iter().map(|d| (line, d))),
                Err(d) => diagnostics.push(d),
            }
        }
    }
}

/// Tokenizes `text[range]`, every location counted in the whole text.
fn tokenize_at(
    text: &str,
    lines: &Lines<'_>,
    range: std::ops::Range<usize>,
) -> Result<Vec<TokenWithSpan>, sqlparser::tokenizer::TokenizerError> {
    let origin = lines.location(range.start);
    let shift = |at: &mut Location| {
        if at.line == 1 {
            at.column += origin.column - 1;
        }
        if at.line >= 1 {
            at.line += origin.line - 1;
        }
    };
    // DDL runs 2 to 4 bytes a token (each space of an indent is a token):
    // room for most of a piece's tokens at once, rather than a dozen
    // doublings of an 88-byte-a-token vector, each copying what came before.
    // Capped at what a piece of DDL needs (2.9 MB): a large piece may be one
    // token (COPY data, a long literal), and the room would be reserved for
    // nothing.
    let mut tokens = Vec::with_capacity((range.len() / 2 + 16).min(PIECE_BYTES / 2));
    // Most DDL is read by the fast path; a piece it cannot read whole goes to
    // sqlparser's tokenizer, which gives the same tokens where both read.
    if !tokens::tokenize_common(&text[range.clone()], &mut tokens) {
        tokens.clear();
        Tokenizer::new(&PostgreSqlDialect {}, &text[range])
            .tokenize_with_location_into_buf(&mut tokens)
            .map_err(|mut e| {
                shift(&mut e.location);
                e
            })?;
    }
    if origin.line > 1 || origin.column > 1 {
        for t in &mut tokens {
            shift(&mut t.span.start);
            shift(&mut t.span.end);
        }
    }
    Ok(tokens)
}

/// Parses the statements of one piece of a file's tokens into `file`,
/// with the facts the passes below take out of the text.
fn parse_tokens(
    mut tokens: Vec<TokenWithSpan>,
    file: &mut ParsedFile,
    diagnostics: &mut Vec<Diagnostic>,
    lines: &Lines<'_>,
    hand_over: &mut dyn FnMut(&mut ParsedFile),
) {
    let source = &Arc::clone(&file.source);
    let dialect = PostgreSqlDialect {};
    // Each pass below looks for a keyword most files never use: one look at
    // the words first, and a pass runs only where its keyword is.
    let [concurrently, only, sequence, collate, compression, storage] = words_present(
        &tokens,
        [
            Keyword::CONCURRENTLY,
            Keyword::ONLY,
            Keyword::SEQUENCE,
            Keyword::COLLATE,
            Keyword::COMPRESSION,
            Keyword::STORAGE,
        ],
    );
    if concurrently {
        blank_drop_index_concurrently(&mut tokens);
    }
    if only {
        blank_create_index_on_only(&mut tokens);
    }
    if sequence {
        file.sequence_names
            .extend(blank_sequence_names(&mut tokens));
    }
    if collate {
        file.type_collations
            .extend(blank_type_collations(&mut tokens));
    }
    if compression {
        file.column_compressions
            .extend(column_storage::blank_column_compressions(&mut tokens));
    }
    let storage_statements = if storage || compression {
        column_storage::alter_storage_statements(&tokens)
    } else {
        Vec::new()
    };
    file.opclass_parameters
        .extend(blank_opclass_parameters(&mut tokens));
    let (too_deep, deepest) = depth::scan(&tokens, depth::MAX_DEPTH);
    file.deepest = file.deepest.max(deepest);
    let mut parser = Parser::new(&dialect)
        .with_recursion_limit(RECURSION_LIMIT)
        .with_tokens_with_locations(tokens);
    loop {
        hand_over(file);
        while parser.consume_token(&Token::SemiColon) {}
        let start = parser.peek_token();
        if start.token == Token::EOF {
            break;
        }
        let (line, col) = line_col(&start);
        let origin = Origin::new(source, line, col);
        let kind = statement_kind(&parser);
        if let Some(deep) = too_deep.iter().find(|d| d.start == start.span.start) {
            diagnostics.push(too_deep_error(deep, &kind, source, &origin));
            skip_statement(&mut parser);
            continue;
        }
        if functions::is_function_statement(&kind) {
            match functions::parse(&mut parser) {
                Ok(statement) => {
                    let text = lines
                        .between(&start, parser.get_current_token())
                        .to_string();
                    let next = parser.peek_token();
                    let end_line = skip_statement_end(&mut parser, &next, source, diagnostics);
                    file.statements.push(LocatedStatement {
                        statement: ParsedStatement::Function(Box::new(statement)),
                        origin,
                        end_line: end_line.max(line),
                        text,
                    });
                }
                Err(e) => {
                    diagnostics.push(functions::read_error(e, &kind, source, &origin));
                    skip_statement(&mut parser);
                }
            }
            continue;
        }
        if let Some(other) = others::statement_kind(&parser) {
            match others::parse(&mut parser, other) {
                Ok(mut statement) => {
                    let last = parser.get_current_token().clone();
                    let text = lines.between(&start, &last).to_string();
                    let base = lines.offset(start.span.start);
                    let range = |(a, b): (Location, Location)| {
                        let from = lines.offset(a).checked_sub(base)?;
                        let to = lines.offset(b).checked_sub(base)?;
                        (from <= to && to <= text.len()).then_some((from, to))
                    };
                    statement.name_at = others::name_span(&statement).and_then(range);
                    statement.table_at = others::table_span(&statement).and_then(range);
                    let next = parser.peek_token();
                    let end_line = skip_statement_end(&mut parser, &next, source, diagnostics);
                    file.statements.push(LocatedStatement {
                        statement: ParsedStatement::Other(Box::new(statement)),
                        origin,
                        end_line: end_line.max(line),
                        text,
                    });
                }
                Err(e) => {
                    diagnostics.push(others::read_error(e, &kind, source, &origin));
                    skip_statement(&mut parser);
                }
            }
            continue;
        }
        let view = views::is_create_view(&parser);
        let trigger = triggers::is_create_trigger(&kind);
        // Words sqlparser has no keyword for (`SUBSCRIPTION`) count too.
        let words = leading_words(&parser);
        let refused = [&kind, &words].into_iter().find(|k| is_unsupported_kind(k));
        if let Some(refused) = refused.filter(|_| !view && !trigger) {
            diagnostics.push(unsupported_statement(refused, &origin));
            skip_statement(&mut parser);
            continue;
        }
        if let Some(statement) = kind
            .starts_with("ALTER ")
            .then(|| peek_owner_to(&parser).or_else(|| peek_attach_index_partition(&parser)))
            .flatten()
        {
            let end_line = skip_statement(&mut parser).max(line);
            file.statements.push(LocatedStatement {
                statement,
                origin,
                end_line,
                text: lines
                    .between(&start, parser.get_current_token())
                    .to_string(),
            });
            continue;
        }
        let alter_view = views::is_alter_view(&parser);
        let attributes = kind.starts_with("ALTER TYPE") && composites::is_alter_attributes(&parser);
        let comment_on_constraint = kind.starts_with("COMMENT ON CONSTRAINT");
        let comment_on_table_object =
            kind.starts_with("COMMENT ON TRIGGER") || kind.starts_with("COMMENT ON POLICY");
        let index_options = kind.starts_with("ALTER INDEX") && peek_alter_index_options(&parser);
        if view
            || alter_view
            || attributes
            || trigger
            || comment_on_table_object
            || comment_on_constraint
            || index_options
            || kind.starts_with("CREATE DOMAIN")
            || kind.starts_with("ALTER DOMAIN")
        {
            let read = if view {
                views::parse_create_view(&mut parser, &|a, b| lines.between(a, b).to_string())
                    .map(|v| ParsedStatement::CreateView(Box::new(v)))
            } else if alter_view {
                views::parse_alter_view(&mut parser)
                    .map(|v| ParsedStatement::AlterView(Box::new(v)))
            } else if attributes {
                composites::parse_alter_attributes(&mut parser)
                    .map(|a| ParsedStatement::AlterAttributes(Box::new(a)))
            } else if trigger {
                triggers::parse_create_trigger(&mut parser)
                    .map(|t| ParsedStatement::CreateTrigger(Box::new(t)))
            } else if comment_on_table_object {
                triggers::parse_comment_on_table_object(&mut parser)
                    .map(|c| ParsedStatement::CommentOnTableObject(Box::new(c)))
            } else if comment_on_constraint {
                parse_comment_on_constraint(&mut parser)
            } else if index_options {
                parse_alter_index_options(&mut parser)
            } else if kind.starts_with("CREATE") {
                domains::parse_create_domain(&mut parser)
                    .map(|d| ParsedStatement::CreateDomain(Box::new(d)))
            } else {
                domains::parse_alter_domain(&mut parser)
                    .map(|d| ParsedStatement::AlterDomain(Box::new(d)))
            };
            match read {
                Ok(statement) => {
                    let text = lines
                        .between(&start, parser.get_current_token())
                        .to_string();
                    let next = parser.peek_token();
                    let end_line = skip_statement_end(&mut parser, &next, source, diagnostics);
                    file.statements.push(LocatedStatement {
                        statement,
                        origin,
                        end_line: end_line.max(line),
                        text,
                    });
                }
                Err(e) => {
                    diagnostics.push(syntax_error(&e, &kind, source, &origin));
                    skip_statement(&mut parser);
                }
            }
            continue;
        }
        let defaults = kind.starts_with("ALTER DEFAULT PRIVILEGES");
        if kind.starts_with("GRANT") || kind.starts_with("REVOKE") || defaults {
            let read = if defaults {
                privileges::parse_alter_default_privileges(&mut parser)
                    .map(|d| ParsedStatement::DefaultPrivileges(Box::new(d)))
            } else {
                privileges::parse_grant(&mut parser).map(|g| ParsedStatement::Grant(Box::new(g)))
            };
            match read {
                Ok(statement) => {
                    let end_line = end_line_before(&parser).max(line);
                    file.statements.push(LocatedStatement {
                        statement,
                        origin,
                        end_line,
                        text: lines
                            .between(&start, parser.get_current_token())
                            .to_string(),
                    });
                }
                Err(e) => diagnostics.push(privileges_read_error(e, &kind, source, &origin)),
            }
            skip_statement(&mut parser);
            continue;
        }
        let by_hand = if kind.starts_with("ALTER SEQUENCE") {
            Some(alter_sequence::parse_alter_sequence as HandReader)
        } else if kind.starts_with("VACUUM")
            || kind.starts_with("ANALYZE")
            || kind.starts_with("ANALYSE")
        {
            Some(maintenance::parse_maintenance as HandReader)
        } else if kind.starts_with("ALTER TABLE") && storage_statements.contains(&start.span.start)
        {
            Some(column_storage::parse_alter_column_storage as HandReader)
        } else if kind.starts_with("ALTER TABLE") && alter_sequence::peek_alter_identity(&parser) {
            Some(alter_sequence::parse_alter_identity as HandReader)
        } else {
            None
        };
        if let Some(read) = by_hand {
            match read(&mut parser) {
                Ok(statement) => {
                    let end_line = end_line_before(&parser).max(line);
                    file.statements.push(LocatedStatement {
                        statement,
                        origin,
                        end_line,
                        text: lines
                            .between(&start, parser.get_current_token())
                            .to_string(),
                    });
                }
                Err(e) => {
                    let maintenance = kind.starts_with("VACUUM") || kind.starts_with("ANALY");
                    diagnostics.push(hand_read_error(
                        e,
                        &kind,
                        source,
                        &origin,
                        if maintenance {
                            "write `VACUUM [FULL] [FREEZE] [VERBOSE] [ANALYZE] [table [(columns)], ...]`, `VACUUM (option [value], ...) [table, ...]` or `ANALYZE [VERBOSE] [table [(columns)], ...]`"
                        } else {
                            "write `ALTER SEQUENCE name [AS type] [INCREMENT BY n] [MINVALUE n | NO MINVALUE] [MAXVALUE n | NO MAXVALUE] [START WITH n] [CACHE n] [[NO] CYCLE] [OWNED BY table.column | NONE]`, or for an identity column `ALTER TABLE t ALTER COLUMN c SET GENERATED ALWAYS | SET INCREMENT BY n | ... | DROP IDENTITY`"
                        },
                        "remove it; if the database needs it, apply it from a separate SQL file run after migrations",
                    ));
                }
            }
            skip_statement(&mut parser);
            continue;
        }
        match parser.parse_statement() {
            Ok(statement) => {
                let text = lines
                    .between(&start, parser.get_current_token())
                    .to_string();
                let next = parser.peek_token();
                let (next_line, next_column) = line_col(&next);
                if let Some(clause) = (!matches!(next.token, Token::SemiColon | Token::EOF))
                    .then(|| unreadable_clause(source, next_line, next_column))
                    .flatten()
                {
                    // The statement goes on with a clause sqlparser cannot
                    // read: refuse the whole statement, never apply a part.
                    let at = Origin::clamped(source, next_line, next_column);
                    diagnostics.push(unreadable_clause_error(clause, &kind, &at, &origin));
                    skip_statement(&mut parser);
                    continue;
                }
                let end_line = skip_statement_end(&mut parser, &next, source, diagnostics);
                file.statements.push(LocatedStatement {
                    statement: ParsedStatement::Sql(Box::new(statement)),
                    origin,
                    end_line: end_line.max(line),
                    text,
                });
            }
            Err(e) => {
                diagnostics.push(syntax_error(&e, &kind, source, &origin));
                skip_statement(&mut parser);
            }
        }
    }
}

/// The line a statement read up to the parser's position ends on: the line
/// of the `;` next, or at the end of the file (no `;`) the last line of its
/// last token (the parser's end-of-file token has no line).
fn end_line_before(parser: &Parser<'_>) -> u32 {
    let next = parser.peek_token();
    if next.token == Token::EOF {
        u32::try_from(parser.get_current_token().span.end.line).unwrap_or(u32::MAX)
    } else {
        line_col(&next).0
    }
}

/// After a statement: expect `;` or the end; otherwise report and skip the rest.
fn skip_statement_end(
    parser: &mut Parser<'_>,
    next: &TokenWithSpan,
    source: &Arc<Source>,
    diagnostics: &mut Vec<Diagnostic>,
) -> u32 {
    match &next.token {
        Token::SemiColon => {
            let line = line_col(next).0;
            parser.next_token();
            line
        }
        Token::EOF => end_line_before(parser),
        other => {
            let (line, col) = line_col(next);
            diagnostics.push(
                Diagnostic::error(
                    codes::SYNTAX,
                    format!("expected `;` after the statement, found `{other}`"),
                )
                .at(&Origin::new(source, line, col))
                .help("end each statement with `;`"),
            );
            skip_statement(parser)
        }
    }
}

/// PostgreSQL clauses sqlparser cannot read, by their first words: a parse
/// that stops at one names the clause as not supported rather than as bad SQL.
const UNREADABLE_CLAUSES: &[(&str, &str, &str)] = &[
    ("tablespace", "", "TABLESPACE"),
    ("collate", "", "COLLATE"),
    ("sequence", "name", "SEQUENCE NAME"),
    ("set", "statistics", "SET STATISTICS"),
    ("set", "tablespace", "SET TABLESPACE"),
    ("set", "access", "SET ACCESS METHOD"),
    ("set", "without", "SET WITHOUT"),
    ("using", "index", "USING INDEX TABLESPACE"),
    ("cluster", "on", "CLUSTER ON"),
    // A constraint's index parameters: sqlparser does not read them.
    ("with", "", "WITH (...) of a constraint's index"),
];

/// Line `line` (1-based) of `source`, as diagnostics count columns: without
/// the byte order mark on the first line.
fn line_at(source: &Source, line: u32) -> Option<&str> {
    let text = source
        .text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    Some(if line == 1 {
        text.strip_prefix('\u{feff}').unwrap_or(text)
    } else {
        text
    })
}

/// The clause starting at `line:column` of `source`, when it is one sqlparser
/// cannot read.
fn unreadable_clause(source: &Source, line: u32, column: u32) -> Option<&'static str> {
    let text = line_at(source, line)?;
    let rest: String = text
        .chars()
        .skip(usize::try_from(column).ok()?.saturating_sub(1))
        .collect();
    let mut words = rest
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase);
    let first = words.next()?;
    let second = words.next().unwrap_or_default();
    UNREADABLE_CLAUSES
        .iter()
        .find(|(a, b, _)| *a == first && (b.is_empty() || *b == second))
        .map(|(_, _, clause)| *clause)
}

/// The help for a column's `STORAGE` or `COMPRESSION` where PostgreSQL 15
/// does not read it, when one starts at `line:column` of `source`.
fn misplaced_column_clause(source: &Source, line: u32, column: u32) -> Option<&'static str> {
    let text = line_at(source, line)?;
    let rest: String = text
        .chars()
        .skip(usize::try_from(column).ok()?.saturating_sub(1))
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    match rest.to_ascii_lowercase().as_str() {
        "storage" => Some(
            "PostgreSQL 15 has no `STORAGE` in a column definition: write `ALTER TABLE t ALTER COLUMN c SET STORAGE {PLAIN | EXTERNAL | EXTENDED | MAIN}` after the `CREATE TABLE`",
        ),
        "compression" => Some(
            "write `COMPRESSION method` right after the column's type, before `COLLATE`, `DEFAULT` and constraints",
        ),
        _ => None,
    }
}

/// Whether `line:column` of `source` is a `(` right after a name: the
/// parameters of an index key's operator class.
fn parameters_at(source: &Source, line: u32, column: u32) -> bool {
    let Some(text) = line_at(source, line) else {
        return false;
    };
    let at = usize::try_from(column).unwrap_or(0).saturating_sub(1);
    let chars: Vec<char> = text.chars().collect();
    at > 0
        && chars.get(at) == Some(&'(')
        && chars
            .get(at - 1)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
}

/// The error for a clause sqlparser cannot read, at `origin`.
fn unreadable_clause_error(
    clause: &str,
    kind: &str,
    origin: &Origin,
    start: &Origin,
) -> Diagnostic {
    let mut d = Diagnostic::error(
        codes::UNSUPPORTED_FEATURE,
        format!("`{clause}` is not supported yet: the schema model does not carry it"),
    )
    .at(origin)
    .note(
        "it is refused rather than dropped, so the database never silently differs from this file",
    );
    if !kind.is_empty() && origin.line != start.line {
        d = d.related(start, format!("in this `{kind}` statement"));
    }
    d.help(format!(
        "remove `{clause}`; if the database needs it, apply it from a separate SQL file run after migrations"
    ))
}

fn syntax_error(e: &ParserError, kind: &str, source: &Arc<Source>, start: &Origin) -> Diagnostic {
    let text = e.to_string();
    let origin = location_in_message(&text)
        .filter(|(l, _)| *l > 0)
        .map(|(l, c)| Origin::clamped(source, l, c))
        .unwrap_or_else(|| start.clone());
    if let Some(clause) = unreadable_clause(source, origin.line, origin.column) {
        return unreadable_clause_error(clause, kind, &origin, start);
    }
    if let Some(help) = misplaced_column_clause(source, origin.line, origin.column) {
        let mut d = Diagnostic::error(codes::SYNTAX, clean_message(&text))
            .at(&origin)
            .help(help);
        if !kind.is_empty() && origin.line != start.line {
            d = d.related(start, format!("in this `{kind}` statement"));
        }
        return d;
    }
    if kind.starts_with("CREATE")
        && kind.contains("INDEX")
        && parameters_at(source, origin.line, origin.column)
    {
        // `gist_trgm_ops(siglen = 32)`: sqlparser reads no operator class parameters.
        return unreadable_clause_error("operator class parameters", kind, &origin, start);
    }
    let mut d = Diagnostic::error(codes::SYNTAX, clean_message(&text)).at(&origin);
    if !kind.is_empty() && origin.line != start.line {
        d = d.related(start, format!("in this `{kind}` statement"));
    }
    if matches!(e, ParserError::RecursionLimitExceeded) {
        d = d.help(format!(
            "the expression nests deeper than {RECURSION_LIMIT} levels; simplify it"
        ));
    } else {
        d = d.help("schema.sql and migrations are PostgreSQL DDL; fix the statement so PostgreSQL would accept it");
    }
    d
}

/// The error for a statement whose expressions nest past [`depth::MAX_DEPTH`]:
/// refused before it is parsed, so that no walk of its tree can overflow the stack.
fn too_deep_error(
    deep: &depth::TooDeep,
    kind: &str,
    source: &Arc<Source>,
    start: &Origin,
) -> Diagnostic {
    let line = u32::try_from(deep.at.line).unwrap_or(u32::MAX);
    let col = u32::try_from(deep.at.column).unwrap_or(u32::MAX);
    let mut d = Diagnostic::error(codes::UNSUPPORTED_FEATURE, deep.message())
        .at(&Origin::clamped(source, line, col))
        .label("the limit is passed here");
    if !kind.is_empty() {
        d = d.related(start, format!("in this `{kind}` statement"));
    }
    d.note(
        "each operator of a chain (`a OR b OR ...`, `x || y || ...`, `v::t::u`) nests \
         one level deeper; the limit keeps the analysis within its stack",
    )
    .help(
        "split the expression: e.g. `a IN (1, 2, ...)` instead of `a = 1 OR a = 2 OR ...`, \
         or several CHECK constraints instead of one",
    )
}

/// The error for a statement kind the model does not cover.
/// The diagnostic of a statement read by hand that could not be read:
/// `syntax_help` says how the statement is written, `refused_help` what to
/// do about a clause the model does not carry.
fn hand_read_error(
    e: ReadError,
    kind: &str,
    source: &Arc<Source>,
    origin: &Origin,
    syntax_help: &str,
    refused_help: &str,
) -> Diagnostic {
    match e {
        ReadError::Syntax(message, line, column) => Diagnostic::error(codes::SYNTAX, message)
            .at(&Origin::clamped(source, line, column))
            .related(origin, format!("in this `{kind}`"))
            .help(syntax_help.to_string()),
        ReadError::Refused(clause, line, column) => Diagnostic::error(
            codes::UNSUPPORTED_FEATURE,
            format!("`{clause}` is not supported yet: the schema model does not carry it"),
        )
        .at(&Origin::clamped(source, line, column))
        .related(origin, format!("in this `{kind}`"))
        .note("it is refused rather than dropped, so the database never silently differs from this file")
        .help(refused_help.to_string()),
    }
}

/// The diagnostic of a `GRANT` or `REVOKE` that could not be read.
fn privileges_read_error(
    e: ReadError,
    kind: &str,
    source: &Arc<Source>,
    origin: &Origin,
) -> Diagnostic {
    hand_read_error(
        e,
        kind,
        source,
        origin,
        "write `GRANT privilege [(column, ...)], ... ON [TABLE | SEQUENCE | SCHEMA | FUNCTION | PROCEDURE | ROUTINE | TYPE | DOMAIN] name, ... TO role, ... [WITH GRANT OPTION]` or `REVOKE [GRANT OPTION FOR] privilege, ... ON ... FROM role, ...`",
        "remove it; if the database needs it, apply it from a separate SQL file run after migrations, or write `-- schema: ignore(privileges)` in schema.sql to leave every privilege to that file",
    )
}

pub(crate) fn unsupported_statement(kind: &str, origin: &Origin) -> Diagnostic {
    let kind = if kind.is_empty() {
        "this statement"
    } else {
        kind
    };
    Diagnostic::error(
        codes::UNSUPPORTED_STATEMENT,
        format!("`{kind}` is not supported here"),
    )
    .at(origin)
    .note("the schema model covers schemas, extensions, tables (partitioned too), columns, constraints, indexes, enum and composite types, domains, sequences, views and materialized views, functions and procedures, triggers, row-level security policies, privileges, owners and comments, and carries aggregates, operators, casts, collations, text-search objects, event triggers, publications and rules as written")
    .help("keep other objects (operator classes and families, roles, subscriptions, foreign servers, `DO` blocks, ...) in a separate SQL file run after migrations")
}

/// Parses a declarative schema file (schema.sql, or a `pg_dump --schema-only`).
///
/// # Errors
/// Every diagnostic of the file; a schema is returned only when there are none.
pub fn parse_schema(source: &Arc<Source>) -> Result<Schema, Vec<Diagnostic>> {
    // On a big stack: sqlparser recurses at every parenthesis, and the
    // caller's thread may have as little as 2 MiB (see `crate::stack`).
    crate::stack::on_big_stack(|| parse_schema_here(source))
}

fn parse_schema_here(source: &Arc<Source>) -> Result<Schema, Vec<Diagnostic>> {
    let mut schema = Schema::new();
    let diagnostics = apply::parse_and_apply(source, &mut schema, Mode::Declarative);
    if diagnostics.iter().any(Diagnostic::is_error) {
        Err(diagnostics)
    } else {
        Ok(schema)
    }
}

/// Parses declarative SQL given as a string (tests, tools).
///
/// # Errors
/// As [`parse_schema`].
pub fn parse_schema_str(path: &str, text: &str) -> Result<Schema, Vec<Diagnostic>> {
    parse_schema(&Source::new(path, text))
}

/// Every SQL file of this repository (fixtures of pg_dump output, peers'
/// histories, examples, hostile inputs), for tests that read them all; more
/// than 100, or the walk went wrong.
#[cfg(test)]
pub(crate) fn repository_sql_files() -> Vec<std::path::PathBuf> {
    fn sql_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if path.is_dir() && name != "target" && name != ".git" {
                sql_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    sql_files(&root, &mut files);
    assert!(
        files.len() > 100,
        "{} files under {}",
        files.len(),
        root.display()
    );
    files
}

/// A reproducible stream of numbers below the `n` each call gives (xorshift
/// from `seed`), for tests of random texts.
#[cfg(test)]
pub(crate) fn random_below(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        usize::try_from(state % n as u64).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_keep_their_line_and_column() {
        let src = Source::new(
            "s.sql",
            "-- c\n\n  create table a (id int primary key);\ncreate table b (id int primary key);\n",
        );
        let (file, diags) = parse_file(&src);
        assert!(diags.is_empty(), "{diags:?}");
        let places: Vec<(u32, u32)> = file
            .statements
            .iter()
            .map(|s| (s.origin.line, s.origin.column))
            .collect();
        assert_eq!(places, vec![(3, 3), (4, 1)]);
    }

    #[test]
    fn statements_keep_their_own_text() {
        let src = Source::new(
            "s.sql",
            "insert into t values ('a;b', 'é') -- c\n;\n  update t\n   set a = 1 ;alter sequence s owned by none;delete from t",
        );
        let (file, diags) = parse_file(&src);
        assert!(diags.is_empty(), "{diags:?}");
        let texts: Vec<&str> = file.statements.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "insert into t values ('a;b', 'é')",
                "update t\n   set a = 1",
                "alter sequence s owned by none",
                "delete from t"
            ]
        );
    }

    #[test]
    fn every_bad_statement_is_reported_not_only_the_first() {
        let src = Source::new(
            "s.sql",
            "create table a (id int primary key;\ncreate subscription s connection 'dbname=x' publication p;\ncreate tabel c ();\ncreate table d (id int primary key);\n",
        );
        let (file, diags) = parse_file(&src);
        assert_eq!(diags.len(), 3, "{diags:#?}");
        assert_eq!(diags[1].code, codes::UNSUPPORTED_STATEMENT);
        assert!(diags[1].message.contains("CREATE SUBSCRIPTION"));
        assert_eq!(diags[1].origin.as_ref().map(|o| o.line), Some(2));
        assert_eq!(file.statements.len(), 1);
    }

    #[test]
    fn what_is_not_a_schema_object_stays_refused_where_it_is_written() {
        for (sql, kind) in [
            ("CREATE ROLE app LOGIN", "CREATE ROLE"),
            ("CREATE USER app", "CREATE USER"),
            (
                "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p",
                "CREATE SUBSCRIPTION",
            ),
            ("CREATE SERVER s FOREIGN DATA WRAPPER w", "CREATE SERVER"),
            ("CREATE FOREIGN DATA WRAPPER w", "CREATE FOREIGN"),
            ("DO $$ BEGIN END $$", "DO"),
            (
                "CREATE OPERATOR CLASS c FOR TYPE int USING btree AS OPERATOR 1 <",
                "CREATE OPERATOR",
            ),
        ] {
            let src = Source::new("s.sql", format!("SELECT 1;\n  {sql};\n"));
            let (_, diags) = parse_file(&src);
            assert_eq!(diags.len(), 1, "{sql}: {diags:#?}");
            assert_eq!(diags[0].code, codes::UNSUPPORTED_STATEMENT, "{sql}");
            assert!(
                diags[0].message.contains(kind),
                "{sql}: {}",
                diags[0].message
            );
            assert_eq!(
                diags[0].origin.as_ref().map(|o| (o.line, o.column)),
                Some((2, 3)),
                "{sql}"
            );
            assert!(
                diags[0]
                    .help
                    .as_deref()
                    .is_some_and(|h| h.contains("separate SQL file"))
            );
        }
    }

    #[test]
    fn psql_meta_commands_are_blanked() {
        let src = Source::new(
            "d.sql",
            "\\restrict abc\ncreate table a (id int primary key);\n\\unrestrict abc\n",
        );
        let (file, diags) = parse_file(&src);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(file.statements[0].origin.line, 2);
    }

    /// Tokenizing a file a piece at a time reads what tokenizing it at once
    /// does: statements, texts, locations, directives, the facts taken out of
    /// the text, and the errors.
    #[test]
    fn pieces_read_as_the_whole_file() {
        let deep = format!(
            "create table d (x int check ({}1{}));\n",
            "(".repeat(300),
            ")".repeat(300)
        );
        let text = format!(
            "\u{feff}-- schema: model = Thing\ncreate table a (id int primary key, \"na;me\" text default 'x;y', \
             é text collate \"C\" compression pglz);\n\
             \\connect db\n\
             create function f() returns int language plpgsql as $body$ begin return 1; end; $body$;\n\
             create table b (id bigint generated always as identity (sequence name b_seq start with 5), v text);\n\
             alter table b alter column v type text collate \"C\";\n\
             alter table b alter column v set storage external;\n\
             create index b_v on b using gist (v gist_trgm_ops (siglen = 32));\n\
             select $1$x;y$1$;\n\
             create table broken (x int,, y int);\n\
             {deep}\
             create view v as select 1 as one; comment on table a is E'it\\'s; fine';\n\
             -- schema: allow(wide_table)\n\
             create table c (\n  x int\n);\n\
             create function g() returns int language sql begin atomic; select 1; end;\n\
             create table after_atomic (x int);\n\
             select 'unterminated;\n"
        );
        let cut = text.rfind("select 'unterminated").unwrap_or(text.len());
        let source = Source::new("pieces.sql", &text[..cut]);
        let whole = super::parse_in_pieces(&source, None, usize::MAX);
        // Errors come in the file's order (the analysis sorts them anyway).
        let sorted = |d: &[Diagnostic]| {
            let mut d: Vec<String> = d.iter().map(|d| format!("{d:?}")).collect();
            d.sort();
            d
        };
        for least in [1, 7, 100] {
            let pieces = super::parse_in_pieces(&source, None, least);
            assert_eq!(
                format!("{:?}", pieces.0),
                format!("{:?}", whole.0),
                "pieces of {least}"
            );
            assert_eq!(sorted(&pieces.1), sorted(&whole.1), "pieces of {least}");
        }
        let (file, diags) = whole;
        let names = format!("{:?}", file.statements);
        assert!(file.statements.len() >= 10, "{}", file.statements.len());
        assert!(names.contains("after_atomic") && !names.contains("broken"));
        assert!(diags.len() >= 2, "{diags:?}");
        // A string never closed is the same error; the statements before it
        // are read (at once, the file gave none).
        let source = Source::new("pieces.sql", text.as_str());
        let (file, diags) = super::parse_in_pieces(&source, None, usize::MAX);
        assert!(file.statements.is_empty() && diags.len() == 1, "{diags:?}");
        let (pieces, piece_diags) = super::parse_in_pieces(&source, None, 1);
        // Up to `$1$x;y$1$`, which the byte scan reads otherwise: from there
        // on the rest is tokenized at once.
        let last = pieces.statements.last().map(|s| s.text.as_str());
        assert!(
            last.is_some_and(|t| t.starts_with("create index b_v")),
            "{last:?}"
        );
        assert_eq!(
            format!("{:?}", piece_diags.last()),
            format!("{:?}", diags.first())
        );
    }

    /// Every SQL file of this repository (fixtures of pg_dump output, peers'
    /// histories, examples, hostile inputs) reads the same a statement a
    /// piece at a time as at once.
    #[test]
    fn every_sql_file_of_the_repository_reads_the_same_in_pieces() {
        let files = repository_sql_files();
        let sorted = |d: &[Diagnostic]| {
            let mut d: Vec<String> = d.iter().map(|d| format!("{d:?}")).collect();
            d.sort();
            d
        };
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let source = Source::new(path.display().to_string(), text);
            let whole = super::parse_in_pieces(&source, None, usize::MAX);
            let pieces = super::parse_in_pieces(&source, None, 1);
            let unreadable = whole
                .1
                .iter()
                .any(|d| d.message.starts_with("cannot read SQL"));
            if unreadable {
                // The same error; the statements before it are read in pieces.
                assert_eq!(whole.1.len(), 1, "{}", path.display());
                assert!(
                    sorted(&pieces.1).contains(&sorted(&whole.1)[0]),
                    "{}",
                    path.display()
                );
            } else {
                assert_eq!(
                    format!("{:?}", pieces.0),
                    format!("{:?}", whole.0),
                    "{}",
                    path.display()
                );
                assert_eq!(sorted(&pieces.1), sorted(&whole.1), "{}", path.display());
            }
        }
    }

    /// Random texts of the fragments the byte scan and the tokenizer might
    /// read otherwise (quotes of every kind, `$1$`, nested comments, `;` in
    /// parentheses, `ATOMIC`): read in pieces of one byte, each reads as the
    /// whole text does, or fails with the same tokenizer error. (With a scan
    /// that splits at every `;`, it still does: the tokens decide.)
    #[test]
    fn random_tricky_texts_read_the_same_in_pieces() {
        const FRAGMENTS: &[&str] = &[
            "create table t (a int);",
            "select 1;",
            ";",
            " ",
            "\n",
            "'",
            "''",
            "'a;b'",
            "E'\\'';",
            "e'\\\\'",
            "x'",
            "\"",
            "\"q;\"",
            "\"\"",
            "$$",
            "$$;$$",
            "$q$",
            "$q$;$q$",
            "$1$",
            "$1",
            "a$b$",
            "--",
            "-- c;\n",
            "-- schema: allow(missing_primary_key)\n",
            "/*",
            "*/",
            "/* ; /* ; */ ; */",
            "(",
            ")",
            "(;)",
            "begin atomic",
            "atomic",
            "end;",
            "create function f() returns int language sql begin atomic select 1; end;",
            "\\x\n",
            "é;",
            "U&'\\0041';",
            "B'01';",
            "insert into t values (1);",
            "/",
            "-",
            "*",
            "create index i on t (a);",
            "comment on table t is 'x';",
            "create rule r as on insert to t do also (insert into a values (1); insert into b values (2));",
            "(select $1$)$1$;",
            "(select a$$q$ from t; select $q$);",
            "1$q$)$q$;",
            "copy t (a) from stdin;\n",
            "1\t;x\n",
            "\\.\n",
            "copy t from stdin;",
        ];
        let mut random = random_below(0x9e37_79b9_7f4a_7c15);
        let sorted = |d: &[Diagnostic]| {
            let mut d: Vec<String> = d.iter().map(|d| format!("{d:?}")).collect();
            d.sort();
            d
        };
        for case in 0..3000 {
            let len = 1 + random(24);
            let text: String = (0..len)
                .map(|_| FRAGMENTS[random(FRAGMENTS.len())])
                .collect();
            let source = Source::new("random.sql", text.as_str());
            let whole = super::parse_in_pieces(&source, None, usize::MAX);
            let pieces = super::parse_in_pieces(&source, None, 1);
            if whole
                .1
                .iter()
                .any(|d| d.message.starts_with("cannot read SQL"))
            {
                assert!(
                    sorted(&pieces.1).contains(&sorted(&whole.1)[0]),
                    "case {case}: {text:?}"
                );
            } else {
                assert_eq!(
                    format!("{:?}", pieces.0),
                    format!("{:?}", whole.0),
                    "case {case}: {text:?}"
                );
                assert_eq!(sorted(&pieces.1), sorted(&whole.1), "case {case}: {text:?}");
            }
        }
    }

    /// A statement handed over from the first piece already sees the
    /// directives of the whole file (`ignore(privileges)` speaks for all of it).
    #[test]
    fn each_statement_sees_every_directive() {
        let text =
            "create table a (x int);\ncreate table b (x int);\n-- schema: ignore(privileges)\n";
        let source = Source::new("late.sql", text);
        for least in [1, usize::MAX] {
            let mut seen = Vec::new();
            let (file, diags) = super::parse_in_pieces(
                &source,
                Some(&mut |file: &ParsedFile, _| seen.push(file.directives.len())),
                least,
            );
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(
                (seen, file.directives.len()),
                (vec![1, 1], 1),
                "pieces of {least}"
            );
        }
    }

    /// A last statement without `;` ends on its own last line, not on its
    /// first (a directive inside it is its own, not the whole file's).
    #[test]
    fn a_last_statement_without_a_semicolon_ends_on_its_last_line() {
        let text = "create table a (x int);\ncreate table b (\n  -- schema: allow(missing_primary_key)\n  x int\n)\n\n";
        let (file, diags) = parse_file(&Source::new("end.sql", text));
        assert!(diags.is_empty(), "{diags:?}");
        let ends: Vec<u32> = file.statements.iter().map(|s| s.end_line).collect();
        assert_eq!(ends, [1, 5]);
        let text = "grant select on a to public";
        let (file, _) = parse_file(&Source::new("end.sql", text));
        assert_eq!(file.statements.first().map(|s| s.end_line), Some(1));
    }

    #[test]
    fn only_lines_starting_in_code_are_meta_commands() {
        let text = "\\restrict abc\nCREATE TABLE t (a text DEFAULT 'x\n\\y', \"b\n\\c\" int);\n\
                    COMMENT ON TABLE t IS $q$\n\\d t\n$q$;\n/* a\n\\b */ -- c\n\\connect db\n\
                    SELECT E'\\'\n\\x';\n\\unrestrict abc";
        assert_eq!(
            super::lexical::meta_command_lines(text),
            [
                true, false, false, false, false, false, false, false, false, true, false, false,
                true
            ]
        );
        let blanked = super::blank_meta_commands(text).unwrap_or_default();
        assert_eq!(blanked.len(), text.len());
        assert!(blanked.contains("'x\n\\y'") && blanked.contains("$q$\n\\d t\n$q$"));
        assert!(!blanked.contains("\\restrict") && !blanked.contains("\\connect"));
    }
}
