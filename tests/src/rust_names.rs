//! Which names a notebook cell binds for the cells after it, and which names it uses: enough
//! for the learner edition's check that no cell needs a name that only a solution binds.
//!
//! Not a Rust parser. It reads tokens, skipping comments and literals (but reading the
//! `{name}` of format strings as uses), and it errs towards reporting: an identifier counts as
//! a use unless it follows `.` or `::`, names a macro, or starts a field (`name:`).

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    /// A name written inside a string literal as `{name}` or `{name:…}` (a format capture).
    Captured(String),
    Punct(char),
    /// A number, a character or a string literal, a lifetime.
    Literal,
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The `{name}` captures of a format string's text.
fn captures(literal: &str, out: &mut Vec<Token>) {
    let chars: Vec<char> = literal.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' {
            if chars.get(i + 1) == Some(&'{') {
                i += 2;
                continue;
            }
            let start = i + 1;
            let mut end = start;
            while end < chars.len() && is_ident_char(chars[end]) {
                end += 1;
            }
            let name: String = chars[start..end].iter().collect();
            let closes = matches!(chars.get(end), Some('}' | ':'));
            if closes && name.chars().next().is_some_and(is_ident_start) {
                out.push(Token::Captured(name));
            }
            i = end;
        } else {
            i += 1;
        }
    }
}

/// Where a string literal ends: its opening quote is at `quote`; a raw string has `hashes`
/// (`None`: an ordinary string, with escapes). Returns (body start, body end, index after it).
fn string_literal(chars: &[char], quote: usize, hashes: Option<usize>) -> (usize, usize, usize) {
    let body = quote + 1;
    let mut j = body;
    while j < chars.len() {
        match (chars[j], hashes) {
            ('\\', None) => j += 2,
            ('"', None) => return (body, j, j + 1),
            ('"', Some(n)) if (1..=n).all(|h| chars.get(j + h) == Some(&'#')) => {
                return (body, j, j + 1 + n);
            }
            _ => j += 1,
        }
    }
    (body, chars.len(), chars.len())
}

fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            let (from, to, end) = string_literal(&chars, i, None);
            captures(&chars[from..to].iter().collect::<String>(), &mut out);
            out.push(Token::Literal);
            i = end;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\'') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < chars.len() && is_ident_char(chars[i]) {
                    i += 1;
                }
            }
            out.push(Token::Literal);
        } else if c.is_ascii_digit() {
            while i < chars.len()
                && (is_ident_char(chars[i])
                    || chars[i] == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
            {
                i += 1;
            }
            out.push(Token::Literal);
        } else if is_ident_start(c) {
            let start = i;
            while i < chars.len() && is_ident_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Raw and byte strings: r"…", r#"…"#, b"…", br"…".
            if matches!(word.as_str(), "r" | "b" | "br") {
                let raw = word != "b";
                let mut hashes = 0;
                while raw && chars.get(i + hashes) == Some(&'#') {
                    hashes += 1;
                }
                if chars.get(i + hashes) == Some(&'"') {
                    let (from, to, end) = string_literal(&chars, i + hashes, raw.then_some(hashes));
                    captures(&chars[from..to].iter().collect::<String>(), &mut out);
                    out.push(Token::Literal);
                    i = end;
                    continue;
                }
            }
            out.push(Token::Ident(word));
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "_",
];

/// Keywords after which the next identifier is the name of an item.
const ITEMS: &[&str] = &[
    "fn", "struct", "enum", "trait", "type", "const", "static", "mod", "union",
];

/// What one cell binds and uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    /// Names the cell leaves behind for later cells: top-level `let` bindings, items
    /// (`fn`, `struct`, …) and `use` imports.
    pub binds: BTreeSet<String>,
    /// Names the cell uses before binding them itself, which must come from earlier cells.
    pub needs: BTreeSet<String>,
}

fn ident(token: Option<&Token>) -> Option<&str> {
    match token {
        Some(Token::Ident(name)) => Some(name),
        _ => None,
    }
}

fn punct(token: Option<&Token>, c: char) -> bool {
    token == Some(&Token::Punct(c))
}

/// The end (exclusive) of a `let` pattern starting at `start`: the first `=`, `:` (a type) or
/// `;` outside brackets, or `else`.
fn pattern_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0i32;
    for (k, token) in tokens.iter().enumerate().skip(start) {
        match token {
            Token::Punct('(' | '[' | '{') => depth += 1,
            Token::Punct(')' | ']' | '}') => depth -= 1,
            Token::Punct('=' | ';') if depth <= 0 => return k,
            Token::Punct(':') if depth <= 0 && !punct(tokens.get(k + 1), ':') => return k,
            Token::Ident(word) if depth <= 0 && word == "else" => return k,
            _ => {}
        }
        if depth < 0 {
            return k;
        }
    }
    tokens.len()
}

/// The names a pattern binds: identifiers that are not keywords, paths or constructors.
fn pattern_names(tokens: &[Token]) -> Vec<String> {
    let mut names = Vec::new();
    for (k, token) in tokens.iter().enumerate() {
        let Token::Ident(name) = token else { continue };
        let constructor = matches!(tokens.get(k + 1), Some(Token::Punct('(' | '{' | ':')));
        let path_tail = k > 0 && punct(tokens.get(k - 1), ':');
        if !KEYWORDS.contains(&name.as_str()) && !constructor && !path_tail {
            names.push(name.clone());
        }
    }
    names
}

/// The end (exclusive) of the statement that starts at `start`: its `;` at the same brace
/// depth, or the end of the enclosing block.
fn statement_end(tokens: &[Token], start: usize) -> usize {
    let mut depth = 0i32;
    for (k, token) in tokens.iter().enumerate().skip(start) {
        match token {
            Token::Punct('{' | '(' | '[') => depth += 1,
            Token::Punct('}' | ')' | ']') => {
                depth -= 1;
                if depth < 0 {
                    return k;
                }
            }
            Token::Punct(';') if depth == 0 => return k + 1,
            _ => {}
        }
    }
    tokens.len()
}

/// The names one cell binds for later cells and the names it needs from earlier ones.
pub fn names(code: &str) -> Names {
    let tokens = tokens(code);
    let mut result = Names::default();
    // Items are visible in the whole cell, wherever they stand.
    let mut local: BTreeSet<String> = BTreeSet::new();
    for (k, token) in tokens.iter().enumerate() {
        if let Token::Ident(word) = token {
            if ITEMS.contains(&word.as_str()) {
                if let Some(name) = ident(tokens.get(k + 1)) {
                    if !KEYWORDS.contains(&name) {
                        local.insert(name.to_string());
                    }
                }
            }
        }
    }
    // (position where a `let` statement's names become visible, the names, top level?)
    let mut pending: Vec<(usize, Vec<String>)> = Vec::new();
    let mut in_pattern_until = 0;
    let mut depth = 0i32;
    let mut k = 0;
    while k < tokens.len() {
        pending.retain(|(from, names)| {
            if k >= *from {
                local.extend(names.iter().cloned());
                false
            } else {
                true
            }
        });
        let token = &tokens[k];
        match token {
            Token::Punct('{') => depth += 1,
            Token::Punct('}') => depth -= 1,
            Token::Ident(word) if word == "let" => {
                let end = pattern_end(&tokens, k + 1);
                let bound = pattern_names(&tokens[k + 1..end]);
                let conditional = k > 0 && matches!(ident(tokens.get(k - 1)), Some("if" | "while"));
                if conditional {
                    // `if let` and `while let` bind inside their block only.
                    local.extend(bound);
                } else {
                    if depth == 0 {
                        result.binds.extend(bound.iter().cloned());
                    }
                    pending.push((statement_end(&tokens, k), bound));
                }
                in_pattern_until = end;
            }
            Token::Ident(word)
                if word == "for"
                    && (k == 0
                        || matches!(
                            tokens.get(k - 1),
                            Some(Token::Punct(';' | '{' | '}' | ':'))
                        )) =>
            {
                // `for PATTERN in`: the pattern is local to the loop.
                let end = (k + 1..tokens.len())
                    .find(|&j| ident(tokens.get(j)) == Some("in"))
                    .unwrap_or(k + 1);
                local.extend(pattern_names(&tokens[k + 1..end]));
                in_pattern_until = end;
            }
            Token::Ident(word) if word == "use" && depth == 0 => {
                let end = statement_end(&tokens, k);
                for j in k + 1..end {
                    let Some(name) = ident(tokens.get(j)) else {
                        continue;
                    };
                    let last = matches!(tokens.get(j + 1), Some(Token::Punct(',' | '}' | ';')))
                        || j + 1 == end
                        || ident(tokens.get(j.wrapping_sub(1))) == Some("as");
                    if last && !KEYWORDS.contains(&name) {
                        result.binds.insert(name.to_string());
                        local.insert(name.to_string());
                    }
                }
                k = end;
                continue;
            }
            Token::Ident(word) if ITEMS.contains(&word.as_str()) && depth == 0 => {
                if let Some(name) = ident(tokens.get(k + 1)) {
                    if !KEYWORDS.contains(&name) {
                        result.binds.insert(name.to_string());
                    }
                }
                k += 2;
                continue;
            }
            Token::Ident(name) | Token::Captured(name) if k >= in_pattern_until => {
                // `.field`, `.method()` and `path::name` are no uses; `..name` (a range, a
                // struct update) is.
                let dot = k > 0
                    && punct(tokens.get(k - 1), '.')
                    && !(k > 1 && punct(tokens.get(k - 2), '.'));
                let after_path = dot || k > 0 && punct(tokens.get(k - 1), ':');
                let macro_name = punct(tokens.get(k + 1), '!');
                let field = matches!(token, Token::Ident(_))
                    && punct(tokens.get(k + 1), ':')
                    && !punct(tokens.get(k + 2), ':');
                let keyword = KEYWORDS.contains(&name.as_str());
                if !after_path && !macro_name && !field && !keyword && !local.contains(name) {
                    result.needs.insert(name.clone());
                }
            }
            _ => {}
        }
        k += 1;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| n.to_string()).collect()
    }

    #[test]
    fn top_level_lets_and_items_are_bound() {
        let n = names(
            "let answer = 1.25;\nlet (a, mut b): (i32, i32) = (1, 2);\nfn mean(s: &[f64]) -> f64 { let t = 1.0; t }\n",
        );
        assert_eq!(n.binds, set(&["a", "answer", "b", "mean"]));
        // `s` is a parameter, `t` local to the function; `f64` is a type, used.
        assert!(!n.needs.contains("t"));
        assert!(!n.binds.contains("t"));
    }

    #[test]
    fn uses_skip_fields_methods_paths_and_macros() {
        let n = names(
            "let h = model.fit(&x, &y, FitOptions { epochs: 60, ..Default::default() })?;\n\
             println!(\"{}\", check::mse(h));",
        );
        assert_eq!(n.binds, set(&["h"]));
        assert_eq!(
            n.needs,
            set(&["Default", "FitOptions", "check", "model", "x", "y"])
        );
    }

    #[test]
    fn a_name_bound_earlier_in_the_cell_is_not_needed() {
        let n = names("let deep = 1;\nlet deeper = deep + 1;\nfor i in 0..deeper {}");
        assert!(n.needs.is_empty(), "{:?}", n.needs);
        // Its own right-hand side still needs the old one.
        let n = names("let deep = deep + 1;");
        assert_eq!(n.needs, set(&["deep"]));
    }

    #[test]
    fn format_captures_are_uses_and_literals_are_not() {
        let n = names(
            "// deep is only in a comment\nprintln!(\"{input:?} -> {}, {{not_a_name}}\", \"deep\", 'd');\nlet s = r#\"{raw}\"#;",
        );
        assert_eq!(n.needs, set(&["input", "raw"]));
    }

    #[test]
    fn loop_and_closure_patterns() {
        let n = names("for (i, task) in TASKS.iter().enumerate() { println!(\"{i} {task}\"); };");
        assert_eq!(n.needs, set(&["TASKS"]));
        let n = names("let a = runs.iter().find(|(_, s)| mean(s) >= 0.9);");
        // Closure parameters are not tracked: `s` counts as a use (reporting errs that way).
        assert_eq!(n.needs, set(&["mean", "runs", "s"]));
        assert_eq!(n.binds, set(&["a"]));
    }

    #[test]
    fn use_lines_bind_their_last_segments() {
        let n = names("use std::time::{Duration, Instant as Clock};\nuse dlintro::prelude::*;");
        assert_eq!(n.binds, set(&["Clock", "Duration"]));
    }

    #[test]
    fn constructors_in_patterns_are_not_bindings() {
        let n = names("let Some(x) = maybe else { return };\nif let Ok(v) = r { v; }");
        assert_eq!(n.binds, set(&["x"]));
        assert_eq!(n.needs, set(&["maybe", "r"]));
    }
}
