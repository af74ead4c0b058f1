//! PostgreSQL's array text (`{a,"b c",NULL}`): how an array moves to and from
//! PostgreSQL, and how SQLite stores one (see `schema_core::render::sqlite`).

/// Whitespace as PostgreSQL's `array_isspace` sees it.
pub(super) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// The array text of `elements` (`None` is NULL), quoted where `array_in`
/// needs it and as `array_out` quotes.
pub(super) fn format(elements: &[Option<String>]) -> String {
    let mut text = String::from("{");
    for (i, element) in elements.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        match element {
            None => text.push_str("NULL"),
            Some(element) => push_element(&mut text, element),
        }
    }
    text.push('}');
    text
}

fn push_element(text: &mut String, element: &str) {
    let quote = element.is_empty()
        || element.eq_ignore_ascii_case("NULL")
        || element
            .chars()
            .any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || is_space(c));
    if !quote {
        text.push_str(element);
        return;
    }
    text.push('"');
    for c in element.chars() {
        if c == '"' || c == '\\' {
            text.push('\\');
        }
        text.push(c);
    }
    text.push('"');
}

/// The elements of a one-dimensional array text (`None` for an unquoted
/// `NULL`), with an optional dimension decoration (`[0:1]={1,2}`).
///
/// # Errors
/// Why the text is not such an array.
pub(super) fn parse(text: &str) -> Result<Vec<Option<String>>, String> {
    let mut rest = text.trim_matches(is_space);
    if rest.starts_with('[') {
        match rest.split_once('=') {
            Some((_, array)) => rest = array.trim_start_matches(is_space),
            None => return Err("a dimension decoration without `=`".to_string()),
        }
    }
    let Some(inner) = rest.strip_prefix('{').and_then(|r| r.strip_suffix('}')) else {
        return Err("not enclosed in `{` and `}`".to_string());
    };
    let mut chars = inner.chars().peekable();
    let mut elements = Vec::new();
    if inner.chars().all(is_space) {
        return Ok(elements);
    }
    loop {
        while chars.next_if(|&c| is_space(c)).is_some() {}
        let element = match chars.peek() {
            Some('"') => {
                chars.next();
                let mut element = String::new();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c) => element.push(c),
                            None => return Err("a quoted element is not closed".to_string()),
                        },
                        Some(c) => element.push(c),
                        None => return Err("a quoted element is not closed".to_string()),
                    }
                }
                while chars.next_if(|&c| is_space(c)).is_some() {}
                Some(element)
            }
            Some('{') => return Err("a multidimensional array".to_string()),
            _ => {
                let mut element = String::new();
                // Length up to the last character that counts: trailing
                // whitespace is not part of an element unless escaped.
                let mut kept = 0;
                let mut escaped = false;
                while let Some(c) = chars.next_if(|&c| c != ',') {
                    match c {
                        '\\' => match chars.next() {
                            Some(c) => {
                                element.push(c);
                                kept = element.len();
                                escaped = true;
                            }
                            None => return Err("a `\\` at the end".to_string()),
                        },
                        '{' | '}' | '"' => {
                            return Err(format!("an unquoted `{c}` in an element"));
                        }
                        c => {
                            element.push(c);
                            if !is_space(c) {
                                kept = element.len();
                            }
                        }
                    }
                }
                element.truncate(kept);
                if element.is_empty() && !escaped {
                    return Err("an empty element".to_string());
                }
                if !escaped && element.eq_ignore_ascii_case("NULL") {
                    None
                } else {
                    Some(element)
                }
            }
        };
        elements.push(element);
        match chars.next() {
            None => return Ok(elements),
            Some(',') => {}
            Some(c) => return Err(format!("`{c}` after an element")),
        }
    }
}
