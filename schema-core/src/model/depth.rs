//! A bound on how deep an expression tree can be, read from the tokens before
//! the parser builds the tree.
//!
//! sqlparser's recursion limit stops nested parentheses and prefix operators,
//! but a flat chain (`a OR b OR c ..`, `x || y || ..`, `v::a::b::..`) is parsed
//! in a loop into a left-deep tree as deep as the chain is long, which every
//! recursive walk (canonical form, rendering, `Clone`, `Drop`) then follows.
//! So the depth is bounded here: an upper bound of the tree's depth is the
//! number of operators on the way to each token (the operators before it in
//! its own bracket level and in each enclosing one, not counting siblings
//! separated by commas) plus the number of enclosing brackets.

use sqlparser::ast::Expr;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Location, Token, TokenWithSpan, Whitespace};

/// The deepest expression accepted. Deep enough for any schema written by hand
/// (a CHECK listing a thousand alternatives); with it, the analysis needs well
/// under the stack the CLI and the macros give it.
pub(crate) const MAX_DEPTH: usize = 1000;

/// A statement whose expressions may nest deeper than [`MAX_DEPTH`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    /// Where the statement starts (its first token).
    pub start: Location,
    /// Where the depth first passes the limit.
    pub at: Location,
    /// The statement's greatest depth.
    pub depth: usize,
}

impl TooDeep {
    /// What to tell the user.
    pub fn message(&self) -> String {
        format!(
            "expression nested {} deep; limit is {MAX_DEPTH}",
            self.depth
        )
    }
}

/// True for a token that makes a node above the operands around it.
fn is_operator(token: &Token) -> bool {
    match token {
        Token::Word(w) => {
            w.quote_style.is_none()
                && matches!(
                    w.keyword,
                    Keyword::AND
                        | Keyword::OR
                        | Keyword::XOR
                        | Keyword::NOT
                        | Keyword::IS
                        | Keyword::LIKE
                        | Keyword::ILIKE
                        | Keyword::SIMILAR
                        | Keyword::BETWEEN
                        | Keyword::IN
                        | Keyword::COLLATE
                        | Keyword::AT
                        | Keyword::OVERLAPS
                        | Keyword::OPERATOR
                )
        }
        Token::EOF
        | Token::Number(..)
        | Token::Char(_)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::TripleSingleQuotedString(_)
        | Token::TripleDoubleQuotedString(_)
        | Token::DollarQuotedString(_)
        | Token::SingleQuotedByteStringLiteral(_)
        | Token::DoubleQuotedByteStringLiteral(_)
        | Token::TripleSingleQuotedByteStringLiteral(_)
        | Token::TripleDoubleQuotedByteStringLiteral(_)
        | Token::SingleQuotedRawStringLiteral(_)
        | Token::DoubleQuotedRawStringLiteral(_)
        | Token::TripleSingleQuotedRawStringLiteral(_)
        | Token::TripleDoubleQuotedRawStringLiteral(_)
        | Token::NationalStringLiteral(_)
        | Token::QuoteDelimitedStringLiteral(_)
        | Token::NationalQuoteDelimitedStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::UnicodeStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::Comma
        | Token::Whitespace(_)
        | Token::LParen
        | Token::RParen
        | Token::LBracket
        | Token::RBracket
        | Token::LBrace
        | Token::RBrace
        | Token::Period
        | Token::Colon
        | Token::SemiColon
        | Token::Placeholder(_) => false,
        _ => true,
    }
}

/// Every statement of `tokens` (split at `;`) whose expressions may nest
/// deeper than `limit`.
pub(crate) fn too_deep(tokens: &[TokenWithSpan], limit: usize) -> Vec<TooDeep> {
    scan(tokens, limit).0
}

/// [`too_deep`], and the greatest depth of all the statements.
pub fn scan(tokens: &[TokenWithSpan], limit: usize) -> (Vec<TooDeep>, usize) {
    let mut found = Vec::new();
    let mut overall = 0usize;
    let mut start: Option<Location> = None;
    // Operators counted in each open bracket level (the outermost first).
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut at: Option<Location> = None;
    for t in tokens {
        match &t.token {
            Token::Whitespace(
                Whitespace::Space
                | Whitespace::Newline
                | Whitespace::Tab
                | Whitespace::SingleLineComment { .. }
                | Whitespace::MultiLineComment(_),
            ) => continue,
            Token::SemiColon | Token::EOF => {
                overall = overall.max(deepest);
                if let (Some(start), Some(at)) = (start, at) {
                    found.push(TooDeep {
                        start,
                        at,
                        depth: deepest,
                    });
                }
                start = None;
                levels = vec![0];
                depth = 0;
                deepest = 0;
                at = None;
                continue;
            }
            _ => {}
        }
        start.get_or_insert(t.span.start);
        match &t.token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                levels.push(0);
                depth += 1;
            }
            Token::RParen | Token::RBracket | Token::RBrace if levels.len() > 1 => {
                let closed = levels.pop().unwrap_or(0);
                depth = depth.saturating_sub(closed + 1);
            }
            Token::Comma => {
                if let Some(top) = levels.last_mut() {
                    depth = depth.saturating_sub(*top);
                    *top = 0;
                }
            }
            other if is_operator(other) => {
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
                depth += 1;
            }
            _ => {}
        }
        if depth > deepest {
            deepest = depth;
            if depth > limit && at.is_none() {
                at = Some(t.span.start);
            }
        }
    }
    if let (Some(start), Some(at)) = (start, at) {
        found.push(TooDeep {
            start,
            at,
            depth: deepest,
        });
    }
    (found, overall.max(deepest))
}

/// The longest chain [`left_spine`] walks before a walk of the tree moves to
/// a stack of its own ([`crate::stack`]): a debug build's recursive walks
/// spend tens of kilobytes a level, and a thread may have as little as 2 MiB.
pub(crate) const INLINE_DEPTH: usize = 16;

/// The length of the left spine of `expr`: how many nodes a flat chain
/// (`a OR b OR ...`, `x::a::b`, `x IS NULL IS NULL`) stacks above its first
/// operand, counted without recursion. (Right operands nest only through
/// parentheses and prefix operators, which the parser's recursion limit bounds.)
pub(crate) fn left_spine(expr: &Expr) -> usize {
    let mut n = 0;
    let mut e = expr;
    loop {
        e = match e {
            Expr::BinaryOp { left, .. } => left,
            Expr::Cast { expr, .. }
            | Expr::UnaryOp { expr, .. }
            | Expr::Collate { expr, .. }
            | Expr::Nested(expr)
            | Expr::IsNull(expr)
            | Expr::IsNotNull(expr)
            | Expr::IsTrue(expr)
            | Expr::IsFalse(expr)
            | Expr::IsNotTrue(expr)
            | Expr::IsNotFalse(expr)
            | Expr::IsUnknown(expr)
            | Expr::IsNotUnknown(expr)
            | Expr::Like { expr, .. }
            | Expr::ILike { expr, .. }
            | Expr::SimilarTo { expr, .. }
            | Expr::In { expr, .. }
            | Expr::Between { expr, .. }
            | Expr::AtTimeZone {
                timestamp: expr, ..
            } => expr,
            _ => return n,
        };
        n += 1;
    }
}

/// The first place in `text` (an expression or statements) where expressions
/// nest deeper than [`MAX_DEPTH`], when the text can be tokenized at all.
pub(crate) fn too_deep_in(text: &str) -> Option<TooDeep> {
    let dialect = sqlparser::dialect::PostgreSqlDialect {};
    let tokens = sqlparser::tokenizer::Tokenizer::new(&dialect, text)
        .tokenize_with_location()
        .ok()?;
    too_deep(&tokens, MAX_DEPTH).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(text: &str) -> usize {
        let dialect = sqlparser::dialect::PostgreSqlDialect {};
        let tokens = sqlparser::tokenizer::Tokenizer::new(&dialect, text)
            .tokenize_with_location()
            .unwrap_or_default();
        too_deep(&tokens, 0).first().map_or(0, |d| d.depth)
    }

    #[test]
    fn chains_count_their_operators_and_siblings_do_not_add_up() {
        assert_eq!(depth_of("a OR b OR c"), 2);
        assert_eq!(depth_of("x::int::text"), 2);
        assert_eq!(depth_of("(a || b || c)"), 3);
        // Two chains in separate arguments are siblings: the deeper one counts.
        assert_eq!(depth_of("f(a + b + c, d + e)"), 3);
        assert_eq!(depth_of("a + f(b + c + d)"), 4);
        assert_eq!(depth_of("'a OR b' || $$c AND d$$"), 1);
        let dialect = sqlparser::dialect::PostgreSqlDialect {};
        let tokens = sqlparser::tokenizer::Tokenizer::new(&dialect, "a + b; (c OR d OR e);")
            .tokenize_with_location()
            .unwrap_or_default();
        assert_eq!(scan(&tokens, MAX_DEPTH), (Vec::new(), 3));
    }

    #[test]
    fn the_left_spine_is_the_length_of_a_chain() {
        let parse = |text: &str| {
            sqlparser::parser::Parser::new(&sqlparser::dialect::PostgreSqlDialect {})
                .try_with_sql(text)
                .and_then(|mut p| p.parse_expr())
                .map(|e| left_spine(&e))
                .unwrap_or(usize::MAX)
        };
        assert_eq!(parse("a"), 0);
        assert_eq!(parse("a = 1 OR a = 2 OR a = 3"), 3);
        assert_eq!(parse("x::int::text IS NULL"), 3);
        assert_eq!(parse("f(a OR b OR c)"), 0);
        let long = vec!["b"; 3000].join(" OR ");
        assert_eq!(parse(&long), 2999);
    }

    #[test]
    fn a_long_chain_is_found_where_it_passes_the_limit() {
        let terms: Vec<String> = (0..1500).map(|i| format!("a = {i}")).collect();
        let text = format!(
            "CREATE TABLE t (a int);\nCREATE TABLE u (a int CHECK ({}));",
            terms.join(" OR ")
        );
        let found = too_deep_in(&text).expect("too deep");
        assert_eq!(found.start.line, 2);
        assert_eq!(found.start.column, 1);
        assert_eq!(found.depth, 1500 * 2 - 1 + 2);
        assert!(
            found.message().contains("limit is 1000"),
            "{}",
            found.message()
        );
        assert!(too_deep_in("CREATE TABLE t (a int CHECK (a = 1 OR a = 2));").is_none());
    }
}
