//! What a part of the model mentions: the columns an expression or an index
//! uses, the tables a table references, the types a column uses; and renaming
//! a column or a type inside them. Read by replay, diff and rendering alike.

use super::{ConstraintKind, Expression, Index, IndexPart, QualifiedName, SqlType, Table};

/// True when `t` has a foreign key to `target`.
pub(crate) fn references(t: &Table, target: &QualifiedName) -> bool {
    t.constraints
        .values()
        .any(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == *target))
}

/// True when `ty` is the type `name`, or an array of it.
pub(crate) fn uses_type(ty: &SqlType, name: &QualifiedName) -> bool {
    match ty {
        SqlType::Named(n) => n == name,
        SqlType::Array(inner) => uses_type(inner, name),
        _ => false,
    }
}

/// Renames type `old` to `new` inside `ty` (the type itself or its elements).
pub(crate) fn rename_type(ty: &mut SqlType, old: &QualifiedName, new: &QualifiedName) {
    match ty {
        SqlType::Named(n) if n == old => *n = new.clone(),
        SqlType::Array(inner) => rename_type(inner, old, new),
        _ => {}
    }
}

/// The positions of the words that name a cast's target type (`x::name`,
/// `x::schema.name`): types, not columns.
fn cast_targets(tokens: &[sqlparser::tokenizer::Token]) -> Vec<usize> {
    use sqlparser::tokenizer::{Token, Whitespace};
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if !matches!(t, Token::DoubleColon) {
            continue;
        }
        let mut j = i + 1;
        while matches!(tokens.get(j), Some(Token::Whitespace(Whitespace::Space))) {
            j += 1;
        }
        if matches!(tokens.get(j), Some(Token::Word(_))) {
            out.push(j);
            if matches!(tokens.get(j + 1), Some(Token::Period))
                && matches!(tokens.get(j + 2), Some(Token::Word(_)))
            {
                out.push(j + 2);
            }
        }
    }
    out
}

/// The identifiers of an expression, as the tokenizer sees them (cast
/// targets left out: they name types).
fn expression_words(expr: &Expression) -> Vec<(String, bool)> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let Ok(tokens) = Tokenizer::new(&dialect, expr.sql()).tokenize() else {
        return Vec::new();
    };
    let types = cast_targets(&tokens);
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if types.contains(&i) {
            continue;
        }
        if let Token::Word(w) = t {
            let is_call = matches!(tokens.get(i + 1), Some(Token::LParen));
            let value = if w.quote_style.is_some() {
                w.value.clone()
            } else {
                w.value.to_ascii_lowercase()
            };
            out.push((value, is_call));
        }
    }
    out
}

/// True when `expr` refers to column `column`.
pub(crate) fn expression_mentions(expr: &Expression, column: &str) -> bool {
    expression_words(expr)
        .iter()
        .any(|(w, is_call)| !is_call && w == column)
}

/// True when index `index` uses `column` (a key, a key expression, `INCLUDE`
/// or the predicate).
pub(crate) fn index_mentions(index: &Index, column: &str) -> bool {
    index.include.iter().any(|c| c == column)
        || index.keys.iter().any(|k| match &k.part {
            IndexPart::Column(c) => c == column,
            IndexPart::Expression(e) => expression_mentions(e, column),
        })
        || index
            .predicate
            .as_ref()
            .is_some_and(|p| expression_mentions(p, column))
}

/// True when exclusion constraint `x` uses `column` (an element's column or
/// expression, `INCLUDE` or the predicate).
pub(crate) fn exclusion_mentions(x: &super::Exclusion, column: &str) -> bool {
    x.include.iter().any(|c| c == column)
        || x.elements.iter().any(|e| match &e.key.part {
            IndexPart::Column(c) => c == column,
            IndexPart::Expression(ex) => expression_mentions(ex, column),
        })
        || x.predicate
            .as_ref()
            .is_some_and(|p| expression_mentions(p, column))
}

/// Renames column `old` to `new` everywhere in exclusion constraint `x`.
pub(crate) fn rename_in_exclusion(x: &mut super::Exclusion, old: &str, new: &str) {
    for c in &mut x.include {
        if c == old {
            *c = new.to_string();
        }
    }
    for e in &mut x.elements {
        match &mut e.key.part {
            IndexPart::Column(c) if c == old => *c = new.to_string(),
            IndexPart::Expression(ex) => *ex = rename_in_expression(ex, old, new),
            IndexPart::Column(_) => {}
        }
    }
    if let Some(p) = &mut x.predicate {
        *p = rename_in_expression(p, old, new);
    }
}

/// Renames column `old` to `new` inside an expression, in its canonical text
/// and in the spelling it is written back in.
pub(crate) fn rename_in_expression(expr: &Expression, old: &str, new: &str) -> Expression {
    let (Some(sql), Some(source)) = (
        rename_words(expr.sql(), old, new),
        rename_words(expr.source(), old, new),
    ) else {
        return expr.clone();
    };
    match Expression::parse(&sql) {
        Ok(canonical) => Expression::from_parts(canonical.sql().to_string(), source),
        Err(_) => expr.clone(),
    }
}

/// `text` with every column reference `old` (not a function name) written `new`.
fn rename_words(text: &str, old: &str, new: &str) -> Option<String> {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, text).tokenize().ok()?;
    let types = cast_targets(&tokens);
    let mut out = String::new();
    for (i, t) in tokens.iter().enumerate() {
        match t {
            Token::Word(w)
                if !matches!(tokens.get(i + 1), Some(Token::LParen))
                    && !types.contains(&i)
                    && (if w.quote_style.is_some() {
                        w.value == old
                    } else {
                        w.value.to_ascii_lowercase() == old
                    }) =>
            {
                out.push_str(&super::names::quote_ident(new));
            }
            other => out.push_str(&other.to_string()),
        }
    }
    Some(out)
}

/// Renames type `old` to `new` where `expr` casts to it (`::old`, `::old[]`,
/// `CAST(x AS old)`), in its canonical text and in the spelling it is
/// written back in, as PostgreSQL's stored expression follows the type.
pub(crate) fn rename_type_in_expression(
    expr: &Expression,
    old: &QualifiedName,
    new: &QualifiedName,
) -> Expression {
    let (Some((sql, true)), Some((source, _))) = (
        rename_cast_targets(expr.sql(), old, new),
        rename_cast_targets(expr.source(), old, new),
    ) else {
        return expr.clone();
    };
    match Expression::parse(&sql) {
        Ok(canonical) => Expression::from_parts(canonical.sql().to_string(), source),
        Err(_) => expr.clone(),
    }
}

/// True when `expr` casts to type `name` (see [`rename_type_in_expression`]).
pub(crate) fn expression_casts_to(expr: &Expression, name: &QualifiedName) -> bool {
    rename_cast_targets(expr.sql(), name, name).is_some_and(|(_, found)| found)
}

/// `text` with every cast target naming type `old` (unqualified when `old`
/// is in the default schema, else qualified) written `new`, and whether
/// there was one.
fn rename_cast_targets(
    text: &str,
    old: &QualifiedName,
    new: &QualifiedName,
) -> Option<(String, bool)> {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let tokens = Tokenizer::new(&dialect, text).tokenize().ok()?;
    let word = |t: &Token| match t {
        Token::Word(w) if w.quote_style.is_some() => Some(w.value.clone()),
        Token::Word(w) => Some(w.value.to_ascii_lowercase()),
        _ => None,
    };
    let is_space = |t: &Token| matches!(t, Token::Whitespace(Whitespace::Space));
    let mut out = String::new();
    let mut found = false;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        out.push_str(&t.to_string());
        i += 1;
        let casts = matches!(t, Token::DoubleColon)
            || matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("as"));
        if !casts {
            continue;
        }
        // The type name starts after any spaces.
        let mut j = i;
        while tokens.get(j).is_some_and(is_space) {
            j += 1;
        }
        let Some(first) = tokens.get(j).and_then(word) else {
            continue;
        };
        let qualified = matches!(tokens.get(j + 1), Some(Token::Period));
        let (matches, end) = if qualified {
            let second = tokens.get(j + 2).and_then(word);
            (
                first == old.schema && second.as_deref() == Some(old.name.as_str()),
                j + 3,
            )
        } else {
            (
                old.schema == super::DEFAULT_SCHEMA && first == old.name,
                j + 1,
            )
        };
        if !matches {
            continue;
        }
        found = true;
        for t in &tokens[i..j] {
            out.push_str(&t.to_string());
        }
        if qualified || new.schema != super::DEFAULT_SCHEMA {
            out.push_str(&super::names::quote_ident(&new.schema));
            out.push('.');
        }
        out.push_str(&super::names::quote_ident(&new.name));
        i = end;
    }
    Some((out, found))
}
