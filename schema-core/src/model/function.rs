//! Functions and procedures (`CREATE FUNCTION`, `CREATE PROCEDURE`) as
//! PostgreSQL's `pg_proc` holds them: keyed by name and identity signature,
//! argument types without modifiers, attributes at PostgreSQL's defaults when
//! unstated, and the body compared by a normalized form (whitespace, comments
//! and the dollar-quote tag do not count) while the user's text is kept.

use std::fmt;

use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::depends::Reads;
use super::{Directives, Expression, QualifiedName, Schema, SqlType, names};
use crate::diagnostic::Origin;

/// The pseudo-types and built-in types a function's signature may use that
/// columns do not (the model carries them by name, as `format_type` prints them).
pub const SIGNATURE_TYPES: &[&str] = &[
    "void",
    "record",
    "trigger",
    "event_trigger",
    "anyelement",
    "anyarray",
    "anynonarray",
    "anyenum",
    "anyrange",
    "anymultirange",
    "anycompatible",
    "anycompatiblearray",
    "anycompatiblenonarray",
    "anycompatiblerange",
    "anycompatiblemultirange",
    "internal",
    "cstring",
    "regclass",
    "regtype",
    "regproc",
    "regprocedure",
    "regnamespace",
    "regrole",
    "regconfig",
    "oid",
    "name",
    "refcursor",
];

/// Configuration parameters whose value is a list of names, which
/// PostgreSQL stores quoted as identifiers (`GUC_LIST_QUOTE`).
const LIST_QUOTED: &[&str] = &[
    "search_path",
    "temp_tablespaces",
    "session_preload_libraries",
    "shared_preload_libraries",
    "local_preload_libraries",
];

/// True when a configuration parameter's value is a list of names
/// (`search_path`): `SET` options store it quoted as identifiers, and it is
/// written back unquoted as a whole.
pub fn is_list_parameter(name: &str) -> bool {
    LIST_QUOTED.contains(&name)
}

/// A function or a procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// Qualified name (without the signature).
    pub name: QualifiedName,
    /// Function or procedure.
    pub kind: RoutineKind,
    /// Arguments in order, `OUT` ones included (`RETURNS TABLE` columns are
    /// in [`Returns::Table`]).
    pub args: Vec<Argument>,
    /// What it returns; `None` for a procedure.
    pub returns: Option<Returns>,
    /// `LANGUAGE`, folded (`sql`, `plpgsql`, ...).
    pub language: String,
    /// Its body (`prosrc`).
    pub body: Body,
    /// `IMMUTABLE | STABLE | VOLATILE` (`VOLATILE` unless stated).
    pub volatility: Volatility,
    /// `STRICT` (`RETURNS NULL ON NULL INPUT`).
    pub strict: bool,
    /// `SECURITY DEFINER`.
    pub security_definer: bool,
    /// `LEAKPROOF`.
    pub leakproof: bool,
    /// `PARALLEL` (`UNSAFE` unless stated).
    pub parallel: Parallel,
    /// `COST n`, canonical; `None` for PostgreSQL's default (1 for C and
    /// internal functions, 100 for others).
    pub cost: Option<String>,
    /// `ROWS n`, canonical; `None` for PostgreSQL's default (1000 for a set,
    /// none otherwise).
    pub rows: Option<String>,
    /// `SET name = value` options, as `pg_proc.proconfig` holds them.
    pub config: Vec<(String, String)>,
    /// `COMMENT ON FUNCTION`.
    pub comment: Option<String>,
    /// Where it is declared.
    pub origin: Origin,
    /// `-- schema:` directives written just before it.
    pub directives: Directives,
}

/// `FUNCTION` or `PROCEDURE` (`pg_proc.prokind` `f` or `p`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoutineKind {
    /// `CREATE FUNCTION`.
    Function,
    /// `CREATE PROCEDURE`.
    Procedure,
}

impl RoutineKind {
    /// `FUNCTION` or `PROCEDURE`.
    pub fn keyword(self) -> &'static str {
        match self {
            RoutineKind::Function => "FUNCTION",
            RoutineKind::Procedure => "PROCEDURE",
        }
    }

    /// `function` or `procedure`.
    pub fn describe(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
        }
    }
}

/// An argument's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgMode {
    /// `IN` (the default).
    In,
    /// `OUT`.
    Out,
    /// `INOUT`.
    InOut,
    /// `VARIADIC`.
    Variadic,
}

impl ArgMode {
    /// True for the modes of the identity signature (all but `OUT`).
    pub fn is_input(self) -> bool {
        !matches!(self, ArgMode::Out)
    }

    /// True for the modes that give a result column (`OUT`, `INOUT`).
    pub fn is_output(self) -> bool {
        matches!(self, ArgMode::Out | ArgMode::InOut)
    }

    /// The keyword, `None` for `IN`.
    pub fn keyword(self) -> Option<&'static str> {
        match self {
            ArgMode::In => None,
            ArgMode::Out => Some("OUT"),
            ArgMode::InOut => Some("INOUT"),
            ArgMode::Variadic => Some("VARIADIC"),
        }
    }
}

/// One argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// Mode.
    pub mode: ArgMode,
    /// Name, folded unless quoted; `None` when unnamed.
    pub name: Option<String>,
    /// Type, without modifiers (PostgreSQL drops them in signatures).
    pub ty: SqlType,
    /// `DEFAULT expr` (or `= expr`).
    pub default: Option<Expression>,
}

/// What a function returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Returns {
    /// `RETURNS [SETOF] type` (also what `OUT` arguments make it return).
    Type {
        /// `SETOF`.
        setof: bool,
        /// The type.
        ty: SqlType,
    },
    /// `RETURNS TABLE (name type, ...)`.
    Table(Vec<(String, SqlType)>),
}

impl Returns {
    /// True when it returns a set (`SETOF`, `TABLE`).
    pub fn is_set(&self) -> bool {
        match self {
            Returns::Type { setof, .. } => *setof,
            Returns::Table(_) => true,
        }
    }
}

impl fmt::Display for Returns {
    /// As `RETURNS` is written: `SETOF integer`, `TABLE(a integer, b text)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Returns::Type { setof, ty } => {
                if *setof {
                    f.write_str("SETOF ")?;
                }
                write!(f, "{ty}")
            }
            Returns::Table(columns) => {
                f.write_str("TABLE(")?;
                for (i, (name, ty)) in columns.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{} {ty}", names::quote_ident(name))?;
                }
                f.write_str(")")
            }
        }
    }
}

/// `IMMUTABLE | STABLE | VOLATILE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Volatility {
    /// `IMMUTABLE`.
    Immutable,
    /// `STABLE`.
    Stable,
    /// `VOLATILE` (the default).
    #[default]
    Volatile,
}

impl Volatility {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Volatility::Immutable => "IMMUTABLE",
            Volatility::Stable => "STABLE",
            Volatility::Volatile => "VOLATILE",
        }
    }
}

/// `PARALLEL { UNSAFE | RESTRICTED | SAFE }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Parallel {
    /// `UNSAFE` (the default).
    #[default]
    Unsafe,
    /// `RESTRICTED`.
    Restricted,
    /// `SAFE`.
    Safe,
}

impl Parallel {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Parallel::Unsafe => "UNSAFE",
            Parallel::Restricted => "RESTRICTED",
            Parallel::Safe => "SAFE",
        }
    }
}

/// A function's body: the text as written (inside its quotes), compared by
/// its normalized form; or a SQL-standard `RETURN expression`, compared by
/// the expression's canonical form.
#[derive(Debug, Clone)]
pub struct Body {
    text: String,
    normalized: String,
    /// `RETURN expression` (`pg_proc.prosqlbody`), not a string.
    standard: bool,
}

impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.standard == other.standard && self.normalized == other.normalized
    }
}
impl Eq for Body {}

impl Body {
    /// A body from its text (what is inside the quotes, unescaped).
    pub fn new(text: impl Into<String>) -> Self {
        let text = text.into();
        let normalized = normalize_body(&text);
        Body {
            text,
            normalized,
            standard: false,
        }
    }

    /// A SQL-standard body, `RETURN expression`.
    pub fn returning(expr: &Expression) -> Self {
        Body {
            text: format!("RETURN {}", expr.source()),
            normalized: format!("RETURN {}", expr.sql()),
            standard: true,
        }
    }

    /// A SQL-standard `BEGIN ATOMIC ... END` body, as a live database prints
    /// it (schema.sql cannot declare one yet: it is refused there).
    pub fn standard(text: &str) -> Self {
        Body {
            text: text.to_string(),
            normalized: normalize_body(text),
            standard: true,
        }
    }

    /// True for a SQL-standard body (`RETURN expression`), written after
    /// the attributes rather than as `AS 'string'`.
    pub fn is_standard(&self) -> bool {
        self.standard
    }

    /// The text as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The normalized form it compares by.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// The body as a dollar-quoted string whose tag does not occur in it.
    pub fn quoted(&self) -> String {
        let mut tag = String::new();
        let mut n = 0u32;
        while self.text.contains(&format!("${tag}$")) || self.text.ends_with('$') && tag.is_empty()
        {
            n += 1;
            tag = if n == 1 {
                "body".to_string()
            } else {
                format!("body{n}")
            };
        }
        format!("${tag}${}${tag}$", self.text)
    }
}

/// A body's normalized form: its tokens with comments left out and every
/// run of whitespace one space (a string literal's contents count in full,
/// and so does the tag of a dollar-quoted string inside it). Text the
/// tokenizer cannot read (a PL/Perl body, say) is compared with its runs of
/// whitespace made one space.
pub fn normalize_body(text: &str) -> String {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, text).tokenize() else {
        return text.split_whitespace().collect::<Vec<_>>().join(" ");
    };
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for t in &tokens {
        match t {
            Token::Whitespace(
                Whitespace::Space
                | Whitespace::Tab
                | Whitespace::Newline
                | Whitespace::SingleLineComment { .. }
                | Whitespace::MultiLineComment(_),
            ) => space = true,
            other => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push_str(&other.to_string());
            }
        }
    }
    out
}

/// A number of `COST` or `ROWS` in canonical form (as `float4` holds it), or
/// `None` when it is not a non-negative number.
pub fn canonical_number(text: &str) -> Option<String> {
    let value: f32 = text.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0).then(|| format!("{value}"))
}

/// A type of a signature as PostgreSQL keeps it: modifiers dropped
/// (`varchar(10)` is `character varying`, `numeric(5, 2)` is `numeric`).
pub fn signature_type(ty: SqlType) -> SqlType {
    match ty {
        SqlType::Numeric { .. } => SqlType::Numeric {
            precision: None,
            scale: None,
        },
        SqlType::Varchar(_) => SqlType::Varchar(None),
        SqlType::Char(_) => SqlType::Builtin("character"),
        SqlType::Bit(_) => SqlType::Builtin("bit"),
        SqlType::VarBit(_) => SqlType::VarBit(None),
        SqlType::Time { with_time_zone, .. } => SqlType::Time {
            precision: None,
            with_time_zone,
        },
        SqlType::Timestamp { with_time_zone, .. } => SqlType::Timestamp {
            precision: None,
            with_time_zone,
        },
        SqlType::Interval { .. } => SqlType::Interval {
            precision: None,
            fields: None,
        },
        SqlType::Array(inner) => SqlType::Array(Box::new(signature_type(*inner))),
        SqlType::Named(n) if n.schema == super::DEFAULT_SCHEMA => {
            match SIGNATURE_TYPES.iter().find(|t| **t == n.name) {
                Some(t) => SqlType::Builtin(t),
                None => SqlType::Named(n),
            }
        }
        other => other,
    }
}

impl Function {
    /// The key of the schema's function map: the name with the identity
    /// signature (`f(integer, text)`), in the function's schema.
    pub fn key(&self) -> QualifiedName {
        key_of(
            &self.name,
            self.args
                .iter()
                .filter(|a| a.mode.is_input())
                .map(|a| &a.ty),
        )
    }

    /// `name(type, ...)`: the identity signature, as `DROP FUNCTION` and
    /// `COMMENT ON FUNCTION` name it.
    pub fn signature(&self) -> String {
        format!("{}({})", self.name, self.identity_types())
    }

    /// The input argument types, comma separated.
    pub fn identity_types(&self) -> String {
        self.args
            .iter()
            .filter(|a| a.mode.is_input())
            .map(|a| a.ty.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// True when `CREATE OR REPLACE` can turn `self` into `to` (one
    /// signature): same kind, same result type and `OUT` arguments, no
    /// input argument renamed, no default removed.
    pub fn replaceable_by(&self, to: &Function) -> bool {
        self.replace_refusal(to).is_none()
    }

    /// Why PostgreSQL refuses `CREATE OR REPLACE` from `self` to `to`, in
    /// its words; `None` when it accepts it.
    pub fn replace_refusal(&self, to: &Function) -> Option<String> {
        if self.kind != to.kind {
            return Some(format!(
                "cannot change routine kind: `{}` is a {}",
                self.signature(),
                self.kind.describe()
            ));
        }
        if self.returns != to.returns {
            return Some("cannot change return type of existing function".to_string());
        }
        let outputs = |f: &Function| -> Vec<(Option<String>, SqlType)> {
            f.args
                .iter()
                .filter(|a| a.mode.is_output())
                .map(|a| (a.name.clone(), a.ty.clone()))
                .collect()
        };
        if outputs(self) != outputs(to) {
            return Some(
                "cannot change return type of existing function (its OUT parameters differ)"
                    .to_string(),
            );
        }
        let inputs = |f: &Function| -> Vec<(Option<String>, ArgMode)> {
            f.args
                .iter()
                .filter(|a| a.mode.is_input())
                .map(|a| (a.name.clone(), a.mode))
                .collect()
        };
        for ((old, old_mode), (new, new_mode)) in inputs(self).into_iter().zip(inputs(to)) {
            if old_mode != new_mode {
                return Some("cannot change the mode of an input parameter".to_string());
            }
            if let Some(old) = old.filter(|o| !o.is_empty())
                && new.as_deref() != Some(old.as_str())
            {
                return Some(format!("cannot change name of input parameter \"{old}\""));
            }
        }
        let defaults = |f: &Function| f.args.iter().filter(|a| a.default.is_some()).count();
        if defaults(to) < defaults(self) {
            return Some("cannot remove parameter defaults from existing function".to_string());
        }
        None
    }

    /// What the function reads from `schema`: for `LANGUAGE sql`, the names
    /// its body mentions; for other languages, the types of its signature and
    /// the names its body mentions (both over-approximate). The types of the
    /// signature and of the argument defaults count in every language.
    pub fn reads(&self, schema: &Schema) -> Reads {
        let mut out = self.body_reads(schema);
        let mut types: Vec<&SqlType> = self.args.iter().map(|a| &a.ty).collect();
        match &self.returns {
            Some(Returns::Type { ty, .. }) => types.push(ty),
            Some(Returns::Table(columns)) => types.extend(columns.iter().map(|(_, t)| t)),
            None => {}
        }
        for ty in types {
            let mut ty = ty;
            while let SqlType::Array(inner) = ty {
                ty = inner;
            }
            if let SqlType::Named(n) = ty {
                if schema.tables.contains_key(n) {
                    out.relations.insert(n.clone());
                } else {
                    out.types.insert(n.clone());
                }
            }
        }
        for a in &self.args {
            if let Some(d) = &a.default {
                out.extend(Reads::of_sql(d.sql(), schema));
            }
        }
        out
    }

    /// True when its body reads a relation of `schema` (a `LANGUAGE sql`
    /// body is checked against the catalog when created, so it must come
    /// after the tables it reads).
    pub fn body_reads_relation(&self, schema: &Schema) -> bool {
        !self.body_reads(schema).relations.is_empty()
    }

    /// True when its body names a view of `schema`.
    pub fn body_reads_view(&self, schema: &Schema) -> bool {
        super::depends::mentioned_names(self.body.text())
            .into_iter()
            .any(|n| {
                let key = match n.parts.as_slice() {
                    [one] => QualifiedName::public(one.clone()),
                    [s, one] | [_, s, one] => QualifiedName::new(s.clone(), one.clone()),
                    _ => return false,
                };
                !n.is_call
                    && schema.views.contains_key(&key)
                    && !(n.parts.len() == 1
                        && self
                            .args
                            .iter()
                            .any(|a| a.name.as_deref() == Some(key.name.as_str())))
            })
    }

    /// What its body reads: the names it mentions, but for its own
    /// arguments' names (`SELECT lower(t)` in `f(t text)` reads no table `t`).
    pub fn body_reads(&self, schema: &Schema) -> Reads {
        let names: Vec<_> = super::depends::mentioned_names(self.body.text())
            .into_iter()
            .filter(|n| {
                !matches!(n.parts.as_slice(), [one] if !n.is_call
                    && self.args.iter().any(|a| a.name.as_deref() == Some(one.as_str())))
            })
            .collect();
        Reads::resolve(&names, schema)
    }
}

/// Renames type `old` to `new` in every function's signature (as `ALTER
/// TYPE ... RENAME TO` does), keying the functions again.
pub(crate) fn rename_type_in_functions(
    schema: &mut Schema,
    old: &QualifiedName,
    new: &QualifiedName,
) {
    use super::mentions::{rename_type, uses_type};
    let users: Vec<QualifiedName> = schema
        .functions
        .iter()
        .filter(|(_, f)| {
            f.args.iter().any(|a| uses_type(&a.ty, old))
                || match &f.returns {
                    Some(Returns::Type { ty, .. }) => uses_type(ty, old),
                    Some(Returns::Table(columns)) => columns.iter().any(|(_, t)| uses_type(t, old)),
                    None => false,
                }
        })
        .map(|(k, _)| k.clone())
        .collect();
    for key in users {
        let Some(mut f) = schema.functions.remove(&key) else {
            continue;
        };
        for a in &mut f.args {
            rename_type(&mut a.ty, old, new);
        }
        match &mut f.returns {
            Some(Returns::Type { ty, .. }) => rename_type(ty, old, new),
            Some(Returns::Table(columns)) => {
                for (_, t) in columns {
                    rename_type(t, old, new);
                }
            }
            None => {}
        }
        // Its grants and owner follow the new key.
        schema.rename_acl(&key, &f.key());
        schema.functions.insert(f.key(), f);
    }
}

/// The key of function `name` with input argument types `types`.
pub fn key_of<'t>(name: &QualifiedName, types: impl Iterator<Item = &'t SqlType>) -> QualifiedName {
    let types: Vec<String> = types.map(ToString::to_string).collect();
    QualifiedName::new(
        name.schema.clone(),
        format!("{}({})", name.name, types.join(", ")),
    )
}

/// The bare function name of a key made by [`key_of`].
pub fn name_of_key(key: &QualifiedName) -> QualifiedName {
    let name = key
        .name
        .split_once('(')
        .map_or(key.name.as_str(), |(n, _)| n);
    QualifiedName::new(key.schema.clone(), name)
}

impl super::Indexed for Function {
    fn held_names(&self) -> impl Iterator<Item = &str> {
        std::iter::empty()
    }

    fn references(&self) -> impl Iterator<Item = &QualifiedName> {
        std::iter::empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_compare_without_whitespace_comments_and_tags() {
        let a = Body::new("\n  SELECT a +  b; -- sum\n");
        let b = Body::new("SELECT a + b; /* the sum */");
        assert_eq!(a, b);
        let c = Body::new("SELECT 'a  b'");
        let d = Body::new("SELECT 'a b'");
        assert_ne!(c, d, "a string literal's contents count");
        let e = Body::new("SELECT a + c;");
        assert_ne!(a, e);
    }

    #[test]
    fn quoted_bodies_pick_a_tag_not_in_the_body() {
        assert_eq!(Body::new("SELECT 1").quoted(), "$$SELECT 1$$");
        assert_eq!(
            Body::new("SELECT $$x$$").quoted(),
            "$body$SELECT $$x$$$body$"
        );
        assert_eq!(
            Body::new("SELECT $$x$$, $body$y$body$").quoted(),
            "$body2$SELECT $$x$$, $body$y$body$$body2$"
        );
    }

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(canonical_number("100").as_deref(), Some("100"));
        assert_eq!(canonical_number("1e3").as_deref(), Some("1000"));
        assert_eq!(canonical_number("0.50").as_deref(), Some("0.5"));
        assert_eq!(canonical_number("-1"), None);
    }
}
