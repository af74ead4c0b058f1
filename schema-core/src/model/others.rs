//! The remaining PostgreSQL object kinds (aggregates, operators, casts,
//! collations, text-search objects, event triggers, publications and rules),
//! carried as the user's own statements: keyed by the identity PostgreSQL
//! gives them, compared by a normalized text (whitespace, comments and the case
//! of unquoted words do not count), written back verbatim. Their owner is not
//! modelled (`ALTER ... OWNER TO` is read and ignored, as for types).

use std::fmt;

use sqlparser::tokenizer::{Token, Tokenizer};

use super::{DEFAULT_SCHEMA, Directives, QualifiedName, names};
use crate::diagnostic::Origin;

/// The kinds of objects carried as statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OtherKind {
    /// `CREATE COLLATION`.
    Collation,
    /// `CREATE TEXT SEARCH PARSER`.
    TextSearchParser,
    /// `CREATE TEXT SEARCH TEMPLATE`.
    TextSearchTemplate,
    /// `CREATE TEXT SEARCH DICTIONARY`.
    TextSearchDictionary,
    /// `CREATE TEXT SEARCH CONFIGURATION`.
    TextSearchConfiguration,
    /// `CREATE OPERATOR`.
    Operator,
    /// `CREATE CAST`.
    Cast,
    /// `CREATE AGGREGATE`.
    Aggregate,
    /// `CREATE EVENT TRIGGER`.
    EventTrigger,
    /// `CREATE PUBLICATION`.
    Publication,
    /// `CREATE RULE`.
    Rule,
}

impl OtherKind {
    /// Every kind.
    pub const ALL: [OtherKind; 11] = [
        OtherKind::Collation,
        OtherKind::TextSearchParser,
        OtherKind::TextSearchTemplate,
        OtherKind::TextSearchDictionary,
        OtherKind::TextSearchConfiguration,
        OtherKind::Operator,
        OtherKind::Cast,
        OtherKind::Aggregate,
        OtherKind::EventTrigger,
        OtherKind::Publication,
        OtherKind::Rule,
    ];

    /// The SQL words that name the kind (`TEXT SEARCH CONFIGURATION`).
    pub fn keyword(self) -> &'static str {
        match self {
            OtherKind::Collation => "COLLATION",
            OtherKind::TextSearchParser => "TEXT SEARCH PARSER",
            OtherKind::TextSearchTemplate => "TEXT SEARCH TEMPLATE",
            OtherKind::TextSearchDictionary => "TEXT SEARCH DICTIONARY",
            OtherKind::TextSearchConfiguration => "TEXT SEARCH CONFIGURATION",
            OtherKind::Operator => "OPERATOR",
            OtherKind::Cast => "CAST",
            OtherKind::Aggregate => "AGGREGATE",
            OtherKind::EventTrigger => "EVENT TRIGGER",
            OtherKind::Publication => "PUBLICATION",
            OtherKind::Rule => "RULE",
        }
    }

    /// The kind in prose (`text search configuration`).
    pub fn describe(self) -> String {
        self.keyword().to_ascii_lowercase()
    }

    /// True for the kinds whose names belong to no schema (PostgreSQL's
    /// event triggers, publications and casts are global).
    pub fn is_global(self) -> bool {
        matches!(
            self,
            OtherKind::Cast | OtherKind::EventTrigger | OtherKind::Publication
        )
    }

    /// True when `ALTER <kind> ... RENAME TO` exists in PostgreSQL.
    pub fn can_rename(self) -> bool {
        !matches!(self, OtherKind::Cast | OtherKind::Operator)
    }

    /// True when `ALTER <kind> ... SET SCHEMA` exists in PostgreSQL.
    pub fn can_set_schema(self) -> bool {
        !self.is_global() && self != OtherKind::Rule
    }
}

impl fmt::Display for OtherKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// Who an object is: its kind, schema and name, and what else PostgreSQL's
/// identity of it holds (an aggregate's or operator's argument types, a
/// cast's types, a rule's table).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OtherIdentity {
    /// The kind.
    pub kind: OtherKind,
    /// Its schema; empty for a global kind.
    pub schema: String,
    /// Its name (an operator's symbol; empty for a cast).
    pub name: String,
    /// The rest of the identity, canonical: `integer, text` for an aggregate
    /// (`*` for none, `... ORDER BY ...` for an ordered-set one), `integer,
    /// integer` for an operator (`NONE` for a missing side), `text AS
    /// integer` for a cast; empty otherwise.
    pub args: String,
    /// A rule's table.
    pub table: Option<QualifiedName>,
}

impl OtherIdentity {
    /// The identity as `DROP <kind>` and `COMMENT ON <kind>` write it.
    pub fn sql(&self) -> String {
        let qualified = if self.schema.is_empty() {
            names::quote_ident(&self.name)
        } else {
            QualifiedName::new(self.schema.clone(), self.name.clone()).to_string()
        };
        match self.kind {
            OtherKind::Aggregate => format!("{qualified}({})", self.args),
            OtherKind::Operator => {
                if self.schema == DEFAULT_SCHEMA {
                    format!("{} ({})", self.name, self.args)
                } else {
                    format!(
                        "{}.{} ({})",
                        names::quote_ident(&self.schema),
                        self.name,
                        self.args
                    )
                }
            }
            OtherKind::Cast => format!("({})", self.args),
            OtherKind::Rule => match &self.table {
                Some(t) => format!("{} ON {t}", names::quote_ident(&self.name)),
                None => names::quote_ident(&self.name),
            },
            _ => qualified,
        }
    }

    /// The key the object has in [`Schema::others`](super::Schema::others): its schema (a rule's
    /// table's), and its kind and identity.
    pub fn key(&self) -> QualifiedName {
        let schema = match &self.table {
            Some(t) => t.schema.clone(),
            None => self.schema.clone(),
        };
        QualifiedName::new(schema, format!("{} {}", self.kind.keyword(), self.sql()))
    }
}

impl fmt::Display for OtherIdentity {
    /// `collation german`, `aggregate myavg(integer)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind.describe(), self.sql())
    }
}

/// One statement of an object as written, and where its name (and a rule's
/// table) is in it, so a rename rewrites the name and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherText {
    /// The statement, without its `;`.
    pub text: String,
    /// The byte range of the object's (possibly qualified) name in `text`.
    pub name_at: Option<(usize, usize)>,
    /// The byte range of a rule's table's name in `text`.
    pub table_at: Option<(usize, usize)>,
}

impl OtherText {
    /// A statement whose name is at `name_at`.
    pub fn new(text: impl Into<String>, name_at: Option<(usize, usize)>) -> OtherText {
        OtherText {
            text: text.into(),
            name_at,
            table_at: None,
        }
    }

    /// The statement with its name replaced by `name` (when its place is known).
    pub fn renamed(&self, name: &str) -> OtherText {
        self.replaced(self.name_at, name)
    }

    /// The statement with its rule's table replaced by `table` (when its place is known).
    pub fn retabled(&self, table: &str) -> OtherText {
        self.replaced(self.table_at, table)
    }

    /// The statement with `range` replaced by `by`, the other range moved along.
    pub fn replaced(&self, range: Option<(usize, usize)>, by: &str) -> OtherText {
        let Some((from, to)) = range.filter(|(f, t)| f <= t && self.text.get(*f..*t).is_some())
        else {
            return self.clone();
        };
        let mut text = String::with_capacity(self.text.len() + by.len());
        text.push_str(&self.text[..from]);
        text.push_str(by);
        text.push_str(&self.text[to..]);
        let shift = |r: Option<(usize, usize)>| {
            r.map(|(a, b)| {
                if r == range {
                    (from, from + by.len())
                } else if a >= to {
                    (a - to + from + by.len(), b - to + from + by.len())
                } else {
                    (a, b)
                }
            })
        };
        OtherText {
            text,
            name_at: shift(self.name_at),
            table_at: shift(self.table_at),
        }
    }
}

/// An aggregate, operator, cast, collation, text-search object, event
/// trigger, publication or rule.
#[derive(Debug, Clone)]
pub struct OtherObject {
    /// Who it is.
    pub identity: OtherIdentity,
    /// Its `CREATE` statement, then the `ALTER`s that changed it (a
    /// text-search configuration's mappings, a publication's tables), verbatim.
    /// Empty for an object read from a live database.
    pub statements: Vec<OtherText>,
    /// The statements' normalized form ([`normalize`]), what declared and
    /// migrated objects are compared by.
    pub normalized: String,
    /// What the database holds for it, as one canonical text read from the
    /// catalogs: set on live objects, and on declared ones whose definition
    /// was read back from the database; compared when both sides have it.
    pub facts: Option<String>,
    /// `COMMENT ON`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

impl PartialEq for OtherObject {
    fn eq(&self, other: &Self) -> bool {
        self.identity == other.identity
            && self.same_definition(other)
            && self.comment == other.comment
    }
}
impl Eq for OtherObject {}

impl OtherObject {
    /// A new object from its `CREATE` statement.
    pub fn new(identity: OtherIdentity, create: OtherText, origin: Origin) -> OtherObject {
        let normalized = normalize_statement(identity.kind, &create.text);
        OtherObject {
            identity,
            statements: vec![create],
            normalized,
            facts: None,
            comment: None,
            origin,
            directives: Directives::default(),
        }
    }

    /// The key in [`Schema::others`](super::Schema::others).
    pub fn key(&self) -> QualifiedName {
        self.identity.key()
    }

    /// Adds a statement that changed it.
    pub fn push(&mut self, statement: OtherText) {
        self.normalized.push_str("; ");
        self.normalized
            .push_str(&normalize_statement(self.identity.kind, &statement.text));
        self.statements.push(statement);
    }

    /// True when both define the same object: by the catalog's facts when
    /// both have them, by the normalized statements when both have them,
    /// else (a live object against a declared one not read back) by key alone.
    pub fn same_definition(&self, other: &OtherObject) -> bool {
        match (&self.facts, &other.facts) {
            (Some(a), Some(b)) => a == b,
            _ if self.statements.is_empty() || other.statements.is_empty() => true,
            _ => self.normalized == other.normalized,
        }
    }

    /// The object under a new identity (a rename or a move), every statement
    /// naming it rewritten to `written` (the new name as it is written there).
    pub fn renamed(&self, identity: OtherIdentity, written: &str) -> OtherObject {
        let statements: Vec<OtherText> =
            self.statements.iter().map(|s| s.renamed(written)).collect();
        let normalized = statements
            .iter()
            .map(|s| normalize_statement(identity.kind, &s.text))
            .collect::<Vec<_>>()
            .join("; ");
        OtherObject {
            identity,
            statements,
            normalized,
            ..self.clone()
        }
    }

    /// The object after table `old` was renamed or moved to `new`: a rule on
    /// it is on `new`, and every name in its statements that refers to `old`
    /// (a publication's tables, the tables a rule's commands use) is
    /// rewritten to `new` (PostgreSQL follows the table itself).
    pub fn retabled(&self, old: &QualifiedName, new: &QualifiedName) -> OtherObject {
        let written = new.to_string();
        let on_old = self.identity.table.as_ref() == Some(old);
        let statements: Vec<OtherText> = self
            .statements
            .iter()
            .map(|s| {
                let mut s = if on_old {
                    s.retabled(&written)
                } else {
                    s.clone()
                };
                let mut mentions = table_mentions(&s.text, old);
                mentions.retain(|m| Some(*m) != s.table_at && Some(*m) != s.name_at);
                // From the end, so the ranges before stay where they are.
                for range in mentions.into_iter().rev() {
                    s = s.replaced(Some(range), &written);
                }
                s
            })
            .collect();
        let normalized = statements
            .iter()
            .map(|s| normalize_statement(self.identity.kind, &s.text))
            .collect::<Vec<_>>()
            .join("; ");
        let mut identity = self.identity.clone();
        if on_old {
            identity.table = Some(new.clone());
            identity.schema.clone_from(&new.schema);
        }
        OtherObject {
            identity,
            statements,
            normalized,
            ..self.clone()
        }
    }

    /// Its statements as one script (each ended by `;`), with its comment.
    pub fn create_sql(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .statements
            .iter()
            .map(|s| format!("{};", s.text.trim_end()))
            .collect();
        if let Some(c) = &self.comment {
            out.push(comment_sql(&self.identity, Some(c)));
        }
        out
    }
}

/// A type of an identity (an aggregate's, operator's or cast's) as
/// PostgreSQL's `format_type` prints it, modifiers dropped; a type the model
/// does not know is kept as written, lower-cased.
pub fn canonical_type(data_type: &sqlparser::ast::DataType) -> String {
    let text = data_type.to_string();
    let lower = text.to_ascii_lowercase();
    if let Some(t) = super::function::SIGNATURE_TYPES
        .iter()
        .find(|t| **t == lower)
    {
        return (*t).to_string();
    }
    if lower == "\"any\"" || lower == "any" {
        return "\"any\"".to_string();
    }
    match super::types::TypeSpec::from_ast(data_type) {
        Ok(spec) => super::function::signature_type(spec.ty).to_string(),
        Err(_) => lower,
    }
}

/// The byte ranges in `text` of the (possibly qualified) names that refer to
/// table `table` (an unqualified one in the default schema); a name followed
/// by `(` is a call, not a table.
pub fn table_mentions(text: &str, table: &QualifiedName) -> Vec<(usize, usize)> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize_with_location() else {
        return Vec::new();
    };
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let offset = |l: sqlparser::tokenizer::Location| -> Option<usize> {
        let start = *starts.get(usize::try_from(l.line).ok()?.checked_sub(1)?)?;
        let skip = usize::try_from(l.column).ok()?.checked_sub(1)?;
        Some(
            text[start..]
                .char_indices()
                .nth(skip)
                .map_or(text.len(), |(i, _)| start + i),
        )
    };
    let tokens: Vec<_> = tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let fold = |w: &sqlparser::tokenizer::Word| {
        if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_ascii_lowercase()
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Token::Word(first) = &tokens[i].token else {
            i += 1;
            continue;
        };
        if i > 0 && tokens[i - 1].token == Token::Period {
            i += 1;
            continue;
        }
        let mut parts = vec![fold(first)];
        let mut j = i;
        while parts.len() < 3
            && tokens.get(j + 1).map(|t| &t.token) == Some(&Token::Period)
            && let Some(Token::Word(w)) = tokens.get(j + 2).map(|t| &t.token)
        {
            parts.push(fold(w));
            j += 2;
        }
        let call = tokens.get(j + 1).map(|t| &t.token) == Some(&Token::LParen);
        let name = match parts.as_slice() {
            [n] => Some(QualifiedName::public(n.clone())),
            [s, n] => Some(QualifiedName::new(s.clone(), n.clone())),
            _ => None,
        };
        if !call && name.as_ref() == Some(table) {
            if let (Some(a), Some(b)) = (offset(tokens[i].span.start), offset(tokens[j].span.end)) {
                out.push((a, b));
            }
        }
        i = j + 1;
    }
    out
}

/// `COMMENT ON <kind> <identity> IS ...;`.
pub fn comment_sql(identity: &OtherIdentity, comment: Option<&str>) -> String {
    let value = match comment {
        Some(c) => format!("'{}'", c.replace('\'', "''")),
        None => "NULL".to_string(),
    };
    format!(
        "COMMENT ON {} {} IS {value};",
        identity.kind.keyword(),
        identity.sql()
    )
}

/// `DROP <kind> <identity>;`.
pub fn drop_sql(identity: &OtherIdentity) -> String {
    format!("DROP {} {};", identity.kind.keyword(), identity.sql())
}

/// [`normalize`] for a statement of an object of `kind`, the items of its
/// `(key = value, ...)` option list (a collation's, a text-search object's,
/// an operator's, an aggregate's last list) sorted, so that their order does
/// not count either.
pub fn normalize_statement(kind: OtherKind, text: &str) -> String {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize() else {
        return normalize(text);
    };
    let pieces: Vec<String> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_) | Token::SemiColon))
        .map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            other => other.to_string(),
        })
        .collect();
    let has_options = matches!(
        kind,
        OtherKind::Collation
            | OtherKind::TextSearchParser
            | OtherKind::TextSearchTemplate
            | OtherKind::TextSearchDictionary
            | OtherKind::TextSearchConfiguration
            | OtherKind::Operator
            | OtherKind::Aggregate
    );
    let is_create = pieces.first().is_some_and(|p| p == "create");
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, p) in pieces.iter().enumerate() {
        match p.as_str() {
            "(" => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            ")" if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push((start, i));
                }
            }
            _ => {}
        }
    }
    let group = if kind == OtherKind::Aggregate {
        groups.last()
    } else {
        groups.first()
    };
    let Some(&(open, close)) = group.filter(|_| has_options && is_create) else {
        return pieces.join(" ");
    };
    let mut items: Vec<Vec<&str>> = vec![Vec::new()];
    let mut depth = 0usize;
    for p in &pieces[open + 1..close] {
        match p.as_str() {
            "," if depth == 0 => {
                items.push(Vec::new());
                continue;
            }
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Some(item) = items.last_mut() {
            item.push(p);
        }
    }
    // Only a list of `key = value` (or a bare key) is an option list.
    if !items.iter().all(|i| i.len() == 1 || i.get(1) == Some(&"=")) {
        return pieces.join(" ");
    }
    let mut joined: Vec<String> = items.iter().map(|i| i.join(" ")).collect();
    joined.sort();
    let mut out: Vec<String> = pieces[..=open].to_vec();
    out.push(joined.join(" , "));
    out.extend(pieces[close..].iter().cloned());
    out.join(" ")
}

/// A statement's normalized form: its tokens without whitespace and comments,
/// unquoted words lower-cased, one space between tokens. Text the tokenizer
/// cannot read is compared with its runs of whitespace made one space.
pub fn normalize(text: &str) -> String {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize() else {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut out = String::with_capacity(text.len());
    for t in &tokens {
        let piece = match t {
            Token::Whitespace(_) => continue,
            Token::SemiColon => continue,
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_lowercase(),
            other => other.to_string(),
        };
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kind: OtherKind, schema: &str, name: &str, args: &str) -> OtherIdentity {
        OtherIdentity {
            kind,
            schema: schema.into(),
            name: name.into(),
            args: args.into(),
            table: None,
        }
    }

    #[test]
    fn identities_are_written_as_drop_takes_them() {
        assert_eq!(
            id(OtherKind::Aggregate, "public", "myavg", "integer").sql(),
            "myavg(integer)"
        );
        assert_eq!(
            id(OtherKind::Operator, "app", "===", "integer, NONE").sql(),
            "app.=== (integer, NONE)"
        );
        assert_eq!(
            id(OtherKind::Cast, "", "", "text AS integer").sql(),
            "(text AS integer)"
        );
        assert_eq!(
            id(OtherKind::Collation, "public", "German", "").sql(),
            "\"German\""
        );
        let mut rule = id(OtherKind::Rule, "", "r", "");
        rule.table = Some(QualifiedName::new("app", "t"));
        assert_eq!(rule.sql(), "r ON app.t");
        assert_eq!(rule.key().schema, "app");
    }

    #[test]
    fn normalized_text_ignores_layout_and_case() {
        assert_eq!(
            normalize("CREATE  COLLATION x (provider = icu, -- c\n locale = 'de')"),
            normalize("create collation X (PROVIDER=icu,locale='de');")
        );
        assert_ne!(normalize("locale = 'de'"), normalize("locale = 'DE'"));
        assert_ne!(normalize("\"X\""), normalize("x"));
        let n = |sql| normalize_statement(OtherKind::Aggregate, sql);
        assert_eq!(
            n("CREATE AGGREGATE a (int) (SFUNC = f, STYPE = int, INITCOND = '0')"),
            n("create aggregate a (int) (initcond='0', stype=int, sfunc=f)")
        );
        assert_ne!(
            n("CREATE AGGREGATE a (int) (SFUNC = f, STYPE = int)"),
            n("CREATE AGGREGATE a (int) (SFUNC = g, STYPE = int)")
        );
        let c = |sql| normalize_statement(OtherKind::Collation, sql);
        assert_eq!(
            c("CREATE COLLATION x (provider = icu, locale = 'de')"),
            c("CREATE COLLATION x (LOCALE = 'de', PROVIDER = icu)")
        );
        // Not an option list: kept in order.
        assert_ne!(
            c("CREATE COLLATION x (a b, c)"),
            c("CREATE COLLATION x (c, a b)")
        );
    }

    #[test]
    fn renames_rewrite_the_name_only() {
        let t = OtherText::new("CREATE COLLATION a.x (locale = 'x')", Some((17, 20)));
        assert_eq!(t.renamed("b.y").text, "CREATE COLLATION b.y (locale = 'x')");
        let bad = OtherText::new("short", Some((3, 99)));
        assert_eq!(bad.renamed("zzz").text, "short");
        let rule = OtherText {
            text: "CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING".into(),
            name_at: Some((12, 13)),
            table_at: Some((30, 31)),
        };
        let both = rule.renamed("rr").retabled("app.u");
        assert_eq!(
            both.text,
            "CREATE RULE rr AS ON DELETE TO app.u DO INSTEAD NOTHING"
        );
        assert_eq!(both.retabled("t").renamed("r").text, rule.text);
    }
}
