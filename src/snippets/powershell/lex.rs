//! The PowerShell lexer: quoting (straight and typographic quotes), here-strings, `$var` and
//! `$env:NAME` expansion in double-quoted strings, backtick escapes and continuations. Produces the
//! tokens the parser in the parent module reads; values it meets are typed as [`Value`].

use super::super::{CannotRun, Env};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Var(String),
    EnvVar(String),
    Str(String),
    Word(String),
    HashOpen,
    Close,
    Equals,
    Pipe,
    LParen,
    RParen,
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Str(String),
    Number(String),
    Bool(bool),
    Null,
    Hash(Vec<(String, Value)>),
    /// `[pscredential]::new(user, password)`.
    Credential(String, String),
    /// `Get-Item -Path x`: a file to upload (never read).
    File(String),
}

impl Value {
    pub(super) fn text(&self) -> String {
        match self {
            Value::Str(s) | Value::Number(s) => s.clone(),
            Value::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            Value::Null => String::new(),
            Value::Hash(_) => "System.Collections.Hashtable".into(),
            Value::Credential(..) => "System.Management.Automation.PSCredential".into(),
            Value::File(path) => path.clone(),
        }
    }

    pub(super) fn json(&self) -> serde_json::Value {
        match self {
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Number(n) => n
                .parse::<serde_json::Number>()
                .map(serde_json::Value::Number)
                .unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Null | Value::Credential(..) => serde_json::Value::Null,
            Value::File(path) => serde_json::Value::String(path.clone()),
            Value::Hash(entries) => serde_json::Value::Object(
                entries.iter().map(|(k, v)| (k.clone(), v.json())).collect(),
            ),
        }
    }
}

/// A single quote, straight or typographic (word processors turn `'` into `’`).
pub(super) fn is_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}')
}

/// A double quote, straight or typographic.
pub(super) fn is_dquote(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}')
}

pub(super) fn tokenize(
    text: &str,
    vars: &HashMap<String, Value>,
    env: Env<'_>,
) -> Result<Vec<Token>, CannotRun> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' if chars.get(i + 1) == Some(&'\n') => i += 2,
            '`' if chars.get(i + 1) == Some(&'\r') && chars.get(i + 2) == Some(&'\n') => i += 3,
            '\n' | ';' => {
                tokens.push(Token::End);
                i += 1;
            }
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            // Every other blank (PowerShell's own list includes the no-break space and form feed that
            // copied text brings) separates words.
            c if c.is_whitespace() => i += 1,
            '@' if chars.get(i + 1) == Some(&'{') => {
                tokens.push(Token::HashOpen);
                i += 2;
            }
            '@' if chars
                .get(i + 1)
                .is_some_and(|&q| is_quote(q) || is_dquote(q)) =>
            {
                let expandable = is_dquote(chars[i + 1]);
                let closing: &[char] = if expandable {
                    &['"', '\u{201C}', '\u{201D}']
                } else {
                    &['\'', '\u{2018}', '\u{2019}']
                };
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\n' {
                    j += 1;
                }
                let start = j + 1;
                let mut end = None;
                let mut k = start;
                while k < chars.len() {
                    let line_start = k == start || chars[k - 1] == '\n';
                    if line_start && closing.contains(&chars[k]) && chars.get(k + 1) == Some(&'@') {
                        end = Some(k);
                        break;
                    }
                    k += 1;
                }
                let end = end.ok_or_else(|| CannotRun("a here-string is not closed".into()))?;
                let mut body: String = chars[start.min(end)..end].iter().collect();
                if body.ends_with('\n') {
                    body.pop();
                    if body.ends_with('\r') {
                        body.pop();
                    }
                }
                tokens.push(Token::Str(if expandable {
                    expand(&body, vars, env)?
                } else {
                    body
                }));
                i = end + 2;
            }
            q if is_quote(q) => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        Some(&ch) if is_quote(ch) => {
                            if chars.get(i + 1).is_some_and(|&n| is_quote(n)) {
                                s.push(chars[i + 1]);
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(&ch) => {
                            s.push(ch);
                            i += 1;
                        }
                        None => {
                            return Err(CannotRun("a single-quoted string is not closed".into()))
                        }
                    }
                }
                tokens.push(Token::Str(s));
            }
            q if is_dquote(q) => {
                let mut raw = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        Some('`') => {
                            raw.push('`');
                            if let Some(&n) = chars.get(i + 1) {
                                raw.push(n);
                            }
                            i += 2;
                        }
                        Some(&ch) if is_dquote(ch) => {
                            if chars.get(i + 1).is_some_and(|&n| is_dquote(n)) {
                                raw.push_str("`\"");
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(&ch) => {
                            raw.push(ch);
                            i += 1;
                        }
                        None => {
                            return Err(CannotRun("a double-quoted string is not closed".into()))
                        }
                    }
                }
                tokens.push(Token::Str(expand(&raw, vars, env)?));
            }
            '$' => {
                let mut j = i + 1;
                while j < chars.len()
                    && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == ':')
                {
                    j += 1;
                }
                let name: String = chars[i + 1..j].iter().collect();
                if chars.get(j) == Some(&'(') && name.is_empty() {
                    return Err(CannotRun("subexpressions `$(…)` are not supported".into()));
                }
                // `$r.Content`: member access on a variable, kept as a word.
                if chars.get(j) == Some(&'.') {
                    while j < chars.len() && !chars[j].is_whitespace() {
                        j += 1;
                    }
                    tokens.push(Token::Word(chars[i..j].iter().collect()));
                } else if let Some(var) = name.strip_prefix("env:") {
                    tokens.push(Token::EnvVar(var.to_string()));
                } else {
                    tokens.push(Token::Var(name));
                }
                i = j;
            }
            '}' => {
                tokens.push(Token::Close);
                i += 1;
            }
            '=' => {
                tokens.push(Token::Equals);
                i += 1;
            }
            '|' => {
                tokens.push(Token::Pipe);
                i += 1;
            }
            '(' => {
                tokens.push(Token::LParen);
                i += 1;
            }
            ')' => {
                tokens.push(Token::RParen);
                i += 1;
            }
            _ => {
                let mut j = i;
                while j < chars.len()
                    && !chars[j].is_whitespace()
                    && !matches!(chars[j], ';' | '}' | '=' | '|' | '(' | ')')
                {
                    j += 1;
                }
                tokens.push(Token::Word(chars[i..j].iter().collect()));
                i = j;
            }
        }
    }
    tokens.push(Token::End);
    Ok(tokens)
}

/// Expand `$var`, `$env:NAME` and backtick escapes in a double-quoted string.
fn expand(raw: &str, vars: &HashMap<String, Value>, env: Env<'_>) -> Result<String, CannotRun> {
    let mut out = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' => match chars.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some(other) => out.push(other),
                None => {}
            },
            '$' => {
                if chars.peek() == Some(&'(') {
                    return Err(CannotRun("subexpressions `$(…)` are not supported".into()));
                }
                let mut name = String::new();
                while let Some(&n) = chars.peek() {
                    if n.is_alphanumeric() || n == '_' || (n == ':' && name == "env") {
                        name.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    out.push('$');
                } else if let Some(var) = name.strip_prefix("env:") {
                    out.push_str(&env(var).ok_or_else(|| {
                        CannotRun(format!("the environment variable `{var}` is not set"))
                    })?);
                } else {
                    let value = vars
                        .get(&name.to_ascii_lowercase())
                        .ok_or_else(|| CannotRun(format!("the variable `${name}` is not set")))?;
                    out.push_str(&value.text());
                }
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "API_NOKKEL").then(|| "hemmelig".to_string())
    }

    /// Found by fuzzing: a form feed (or a no-break space from copied text) after a word made the
    /// lexer push empty words forever, growing memory without end.
    #[test]
    fn every_unicode_blank_separates_words() {
        for blank in ['\u{c}', '\u{a0}', '\u{2003}', '\u{b}'] {
            let text = format!("Invoke-RestMethod{blank}-Uri{blank}$u");
            let tokens = tokenize(&text, &HashMap::new(), &env).unwrap();
            assert_eq!(
                tokens,
                vec![
                    Token::Word("Invoke-RestMethod".into()),
                    Token::Word("-Uri".into()),
                    Token::Var("u".into()),
                    Token::End
                ],
                "{blank:?}"
            );
        }
    }

    #[test]
    fn typographic_quotes_are_quotes() {
        let tokens = tokenize(
            "\u{201C}a b\u{201D} \u{2018}c $d\u{2019}",
            &HashMap::new(),
            &env,
        )
        .unwrap();
        assert_eq!(
            tokens,
            vec![
                Token::Str("a b".into()),
                Token::Str("c $d".into()),
                Token::End
            ]
        );
    }

    #[test]
    fn double_quoted_strings_expand_variables_and_escapes() {
        let vars = HashMap::from([("base".to_string(), Value::Str("https://h".into()))]);
        assert_eq!(
            expand("$Base/x`t$env:API_NOKKEL", &vars, &env).unwrap(),
            "https://h/x\themmelig"
        );
        assert!(expand("$env:MANGLER", &vars, &env)
            .unwrap_err()
            .0
            .contains("MANGLER"));
    }
}
