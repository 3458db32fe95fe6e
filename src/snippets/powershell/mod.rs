//! The PowerShell that documentation uses to call APIs: variables, single- and double-quoted strings,
//! here-strings, hashtables, `ConvertTo-Json`, backtick continuations, and `Invoke-WebRequest` /
//! `Invoke-RestMethod` with `-Uri`, `-Method`, `-Headers`, `-Body`, `-ContentType`. Interpreted as data;
//! anything else is refused with the reason.

use super::{CannotRun, Env, ParsedRequest};
use std::collections::HashMap;

mod lex;

use lex::{is_dquote, is_quote, tokenize, Token, Value};

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    vars: &'a HashMap<String, Value>,
    env: Env<'a>,
    /// Values being read inside each other (`@{ a = @{ … } }`, `((…))`): bounded, so that nesting
    /// cannot overflow the stack.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        self.tokens.get(self.pos).unwrap_or(&Token::End)
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn skip_ends(&mut self) {
        while self.peek() == &Token::End && self.pos < self.tokens.len() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Value, CannotRun> {
        if self.depth >= crate::limits::NESTING_DEPTH {
            return Err(CannotRun(format!(
                "values are nested more than {} levels deep",
                crate::limits::NESTING_DEPTH
            )));
        }
        self.depth += 1;
        let v = self.value_at_depth();
        self.depth -= 1;
        v
    }

    fn value_at_depth(&mut self) -> Result<Value, CannotRun> {
        let v = match self.next() {
            Token::Str(s) => Value::Str(s),
            Token::EnvVar(name) => Value::Str((self.env)(&name).ok_or_else(|| {
                CannotRun(format!("the environment variable `{name}` is not set"))
            })?),
            Token::Var(name) => match name.to_ascii_lowercase().as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                lower => self
                    .vars
                    .get(lower)
                    .cloned()
                    .ok_or_else(|| CannotRun(format!("the variable `${name}` is not set")))?,
            },
            Token::HashOpen => self.hash()?,
            Token::LParen => {
                let v = self.expression()?;
                if self.next() != Token::RParen {
                    return Err(CannotRun("a `(` is not closed".into()));
                }
                v
            }
            Token::Word(w) if w.eq_ignore_ascii_case("[ordered]") => {
                if self.next() != Token::HashOpen {
                    return Err(CannotRun("`[ordered]` without a hashtable".into()));
                }
                self.hash()?
            }
            Token::Word(w) if w.eq_ignore_ascii_case("ConvertTo-Json") => {
                self.convert_to_json(None)?
            }
            Token::Word(w) if w.eq_ignore_ascii_case("[pscredential]::new") => {
                if self.next() != Token::LParen {
                    return Err(CannotRun("`[pscredential]::new` without `(`".into()));
                }
                let user = self.value()?.text();
                if self.next() != Token::Word(",".into()) {
                    return Err(CannotRun(
                        "`[pscredential]::new` takes a user and a password".into(),
                    ));
                }
                let password = self.expression()?.text();
                if self.next() != Token::RParen {
                    return Err(CannotRun("`[pscredential]::new(` is not closed".into()));
                }
                Value::Credential(user, password)
            }
            // The secure string's text: the interpreter never leaves the process with it.
            Token::Word(w) if w.eq_ignore_ascii_case("ConvertTo-SecureString") => {
                let mut text = None;
                loop {
                    match self.peek().clone() {
                        Token::Word(f)
                            if f.eq_ignore_ascii_case("-AsPlainText")
                                || f.eq_ignore_ascii_case("-Force") =>
                        {
                            self.next();
                        }
                        Token::Word(f) if f.eq_ignore_ascii_case("-String") => {
                            self.next();
                        }
                        Token::RParen | Token::End | Token::Pipe => break,
                        _ if text.is_none() => text = Some(self.value()?.text()),
                        other => {
                            return Err(CannotRun(format!(
                                "unexpected {} after `ConvertTo-SecureString`",
                                describe(&other)
                            )))
                        }
                    }
                }
                Value::Str(
                    text.ok_or_else(|| {
                        CannotRun("`ConvertTo-SecureString` without a string".into())
                    })?,
                )
            }
            Token::Word(w) if w.eq_ignore_ascii_case("Get-Item") => {
                if let Token::Word(f) = self.peek().clone() {
                    if f.eq_ignore_ascii_case("-Path") || f.eq_ignore_ascii_case("-LiteralPath") {
                        self.next();
                    }
                }
                Value::File(self.value()?.text())
            }
            Token::Word(w) if w.parse::<f64>().is_ok() => Value::Number(w),
            // A bare word in command mode is a string (`-Uri https://…`).
            Token::Word(w) if !w.starts_with('-') => Value::Str(w),
            other => return Err(CannotRun(format!("unexpected {}", describe(&other)))),
        };
        Ok(v)
    }

    fn expression(&mut self) -> Result<Value, CannotRun> {
        let mut v = self.value()?;
        while self.peek() == &Token::Pipe {
            self.next();
            match self.next() {
                Token::Word(w) if w.eq_ignore_ascii_case("ConvertTo-Json") => {
                    v = self.convert_to_json(Some(v))?
                }
                other => {
                    return Err(CannotRun(format!(
                        "piping into {} is not supported",
                        describe(&other)
                    )))
                }
            }
        }
        Ok(v)
    }

    fn convert_to_json(&mut self, input: Option<Value>) -> Result<Value, CannotRun> {
        let mut input = input;
        let mut compress = false;
        loop {
            match self.peek().clone() {
                Token::Word(w) if w.eq_ignore_ascii_case("-Depth") => {
                    self.next();
                    self.next();
                }
                Token::Word(w) if w.eq_ignore_ascii_case("-Compress") => {
                    self.next();
                    compress = true;
                }
                Token::Word(w) if w.eq_ignore_ascii_case("-InputObject") => {
                    self.next();
                    input = Some(self.value()?);
                }
                Token::Var(_) | Token::HashOpen | Token::Str(_) if input.is_none() => {
                    input = Some(self.value()?)
                }
                _ => break,
            }
        }
        let value = input
            .ok_or_else(|| CannotRun("`ConvertTo-Json` without input".into()))?
            .json();
        let text = if compress {
            serde_json::to_string(&value)
        } else {
            serde_json::to_string_pretty(&value)
        };
        Ok(Value::Str(text.unwrap_or_default()))
    }

    fn hash(&mut self) -> Result<Value, CannotRun> {
        let mut entries = Vec::new();
        loop {
            self.skip_ends();
            let key = match self.next() {
                Token::Close => break,
                Token::Word(w) => w,
                Token::Str(s) => s,
                other => {
                    return Err(CannotRun(format!(
                        "unexpected {} in a hashtable",
                        describe(&other)
                    )))
                }
            };
            if self.next() != Token::Equals {
                return Err(CannotRun(format!("hashtable key `{key}` has no `=`")));
            }
            let value = self.expression()?;
            entries.push((key, value));
        }
        Ok(Value::Hash(entries))
    }
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("`{w}`"),
        Token::Var(v) => format!("`${v}`"),
        Token::End => "end of line".into(),
        other => format!("{other:?}"),
    }
}

const INVOKE: [&str; 4] = ["invoke-webrequest", "invoke-restmethod", "iwr", "irm"];
const HARMLESS: [&str; 4] = ["write-output", "write-host", "echo", "out-host"];

/// Every request a PowerShell script makes.
pub fn parse_script(text: &str, env: Env<'_>) -> Result<Vec<ParsedRequest>, CannotRun> {
    let mut vars: HashMap<String, Value> = HashMap::new();
    let mut requests = Vec::new();
    // Statements are parsed one line group at a time, because later tokens depend on earlier variables.
    for statement in statements(text) {
        let tokens = tokenize(&statement, &vars, env)?;
        let mut p = Parser {
            tokens,
            pos: 0,
            vars: &vars,
            env,
            depth: 0,
        };
        p.skip_ends();
        if p.pos >= p.tokens.len() {
            continue;
        }
        let mut target = None;
        if let (Token::Var(name), Some(Token::Equals)) =
            (p.peek().clone(), p.tokens.get(p.pos + 1).cloned())
        {
            target = Some(name.to_ascii_lowercase());
            p.pos += 2;
        }
        match p.peek().clone() {
            Token::Word(w) if INVOKE.contains(&w.to_ascii_lowercase().as_str()) => {
                p.next();
                requests.push(invoke(&mut p)?);
                if let Some(name) = target {
                    vars.insert(name, Value::Str(String::new()));
                }
            }
            Token::Word(w)
                if HARMLESS.contains(&w.to_ascii_lowercase().as_str()) || w.starts_with('$') => {}
            Token::Var(_) if target.is_none() => {}
            Token::Word(w) if target.is_none() => {
                return Err(CannotRun(format!("`{w}` is neither an assignment nor an API call (only Invoke-WebRequest and Invoke-RestMethod are run)")));
            }
            _ => {
                let value = p.expression()?;
                match target {
                    Some(name) => {
                        vars.insert(name, value);
                    }
                    None => {
                        return Err(CannotRun(
                            "a statement that is neither an assignment nor an API call".into(),
                        ))
                    }
                }
            }
        }
    }
    if requests.is_empty() {
        return Err(CannotRun(
            "no Invoke-WebRequest or Invoke-RestMethod".into(),
        ));
    }
    Ok(requests)
}

/// Split a script into statements at line ends that are outside strings, here-strings and braces,
/// and not continued by a backtick or a pipe.
fn statements(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut i = 0;
    let mut last_significant = ' ';
    while i < chars.len() {
        let c = chars[i];
        if c == '@'
            && chars
                .get(i + 1)
                .is_some_and(|&q| is_quote(q) || is_dquote(q))
        {
            let single = is_quote(chars[i + 1]);
            i += 2;
            // The closing `'@` or `"@` starts a line.
            while i < chars.len() {
                if (i == 0 || chars[i - 1] == '\n')
                    && (if single {
                        is_quote(chars[i])
                    } else {
                        is_dquote(chars[i])
                    })
                    && chars.get(i + 1) == Some(&'@')
                {
                    i += 2;
                    break;
                }
                i += 1;
            }
            last_significant = '@';
            continue;
        }
        if is_quote(c) {
            i += 1;
            while i < chars.len() {
                if is_quote(chars[i]) {
                    if chars.get(i + 1).is_some_and(|&n| is_quote(n)) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
        } else if is_dquote(c) {
            i += 1;
            while i < chars.len() {
                if chars[i] == '`' {
                    i += 2;
                    continue;
                }
                if is_dquote(chars[i]) {
                    if chars.get(i + 1).is_some_and(|&n| is_dquote(n)) {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
        } else if c == '#' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth -= 1;
        } else if c == '\n' && depth <= 0 && last_significant != '`' && last_significant != '|' {
            out.push(chars[start..=i].iter().collect());
            start = i + 1;
            depth = 0;
        }
        if !c.is_whitespace() {
            last_significant = c;
        }
        i += 1;
    }
    if start < chars.len() {
        out.push(chars[start..].iter().collect());
    }
    out
}

fn invoke(p: &mut Parser<'_>) -> Result<ParsedRequest, CannotRun> {
    let mut method = "GET".to_string();
    let mut url = None;
    let mut headers = Vec::new();
    let mut body = None;
    let mut content_type = None;
    let mut form_body = false;
    let mut multipart = false;
    let mut credential: Option<(String, String)> = None;
    loop {
        match p.next() {
            Token::End | Token::Pipe => break,
            Token::Word(w) if w.starts_with('-') => match w.to_ascii_lowercase().as_str() {
                "-uri" => url = Some(p.value()?.text()),
                "-method" => {
                    method = match p.next() {
                        Token::Word(m) | Token::Str(m) => m.to_ascii_uppercase(),
                        other => p
                            .vars
                            .get(&format!("{other:?}"))
                            .map(Value::text)
                            .unwrap_or_default()
                            .to_ascii_uppercase(),
                    }
                }
                "-headers" => match p.value()? {
                    Value::Hash(entries) => {
                        headers.extend(entries.into_iter().map(|(k, v)| (k, v.text())))
                    }
                    _ => return Err(CannotRun("`-Headers` must be a hashtable".into())),
                },
                // A hashtable body is sent as a form, `application/x-www-form-urlencoded`.
                "-body" => match p.expression()? {
                    Value::Hash(entries) => {
                        let pairs: Vec<String> = entries
                            .iter()
                            .map(|(k, v)| super::urlencoded_pair(k, &v.text()))
                            .collect();
                        body = Some(pairs.join("&"));
                        form_body = true;
                    }
                    v => body = Some(v.text()),
                },
                "-form" => match p.value()? {
                    Value::Hash(entries) => {
                        let fields: Vec<super::FormField> = entries
                            .into_iter()
                            .map(|(k, v)| match v {
                                Value::File(path) => super::FormField::File(k, path),
                                other => super::FormField::Text(k, other.text()),
                            })
                            .collect();
                        body = Some(super::multipart(&fields));
                        multipart = true;
                    }
                    _ => return Err(CannotRun("`-Form` must be a hashtable".into())),
                },
                "-credential" => match p.value()? {
                    Value::Credential(user, password) => credential = Some((user, password)),
                    _ => return Err(CannotRun("`-Credential` must be a `[pscredential]`".into())),
                },
                "-authentication" => match p.next() {
                    Token::Word(a) | Token::Str(a) if a.eq_ignore_ascii_case("basic") => {}
                    other => {
                        return Err(CannotRun(format!(
                            "`-Authentication` {} is not supported (Basic is)",
                            describe(&other)
                        )))
                    }
                },
                "-contenttype" => content_type = Some(p.value()?.text()),
                // The file is never read: its body is a placeholder under its name.
                "-infile" => body = Some(super::file_placeholder(&p.value()?.text())),
                "-usebasicparsing" | "-skiphttperrorcheck" | "-skipcertificatecheck" => {}
                "-erroraction" | "-outfile" | "-timeoutsec" | "-maximumredirection" => {
                    p.next();
                }
                other => return Err(CannotRun(format!("parameter `{other}` is not supported"))),
            },
            Token::Str(s) if url.is_none() => url = Some(s),
            Token::Word(w) if url.is_none() => url = Some(w),
            Token::Var(v) if url.is_none() => {
                url = Some(
                    p.vars
                        .get(&v.to_ascii_lowercase())
                        .map(Value::text)
                        .ok_or_else(|| CannotRun(format!("the variable `${v}` is not set")))?,
                )
            }
            other => return Err(CannotRun(format!("unexpected {}", describe(&other)))),
        }
    }
    let content_type = if multipart {
        Some(format!("multipart/form-data; boundary={}", super::BOUNDARY))
    } else if form_body && content_type.is_none() {
        Some("application/x-www-form-urlencoded".to_string())
    } else {
        content_type
    };
    if let Some(ct) = content_type {
        headers.retain(|(n, _): &(String, String)| !n.eq_ignore_ascii_case("content-type"));
        headers.push(("Content-Type".into(), ct));
    }
    if let Some((user, password)) = credential {
        headers.push((
            "Authorization".into(),
            format!(
                "Basic {}",
                super::curl::base64(format!("{user}:{password}").as_bytes())
            ),
        ));
    }
    let url = url.ok_or_else(|| CannotRun("the call has no `-Uri`".into()))?;
    Ok(ParsedRequest {
        method,
        url,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Vec<ParsedRequest>, CannotRun> {
        parse_script(text, &|n| (n == "API_NOKKEL").then(|| "k".to_string()))
    }

    /// Found by fuzzing: nested hashtables or parentheses recursed until the stack overflowed.
    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = format!("$b = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
        let err = run(&text).unwrap_err();
        assert!(err.0.contains("nested"), "{err}");
        let text = format!("$b = {}{}\n", "@{ a = ".repeat(50_000), "}".repeat(50_000));
        assert!(run(&text).unwrap_err().0.contains("nested"));
    }

    #[test]
    fn the_guides_headers_then_invoke_pattern() {
        let r = run("$headers = @{\n    \"X-Gravitee-Api-Key\" = \"$env:API_NOKKEL\"\n    Accept = 'application/json'\n}\n$svar = Invoke-WebRequest -Headers $headers -Uri \"https://gw-uio.intark.uh-it.no/lonn/v1/x\" -UseBasicParsing\n$svar.Content\n").unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].url, "https://gw-uio.intark.uh-it.no/lonn/v1/x");
        assert_eq!(r[0].header("X-Gravitee-Api-Key"), Some("k"));
        assert_eq!(r[0].header("accept"), Some("application/json"));
    }

    #[test]
    fn here_strings_convert_to_json_and_continuations() {
        let r = run("$body = @{ navn = 'Kari'; alder = 42 } | ConvertTo-Json -Compress\nInvoke-RestMethod -Method Post `\n  -Uri https://h/x `\n  -ContentType 'application/json' -Body $body").unwrap();
        assert_eq!(r[0].method, "POST");
        assert_eq!(
            r[0].body.as_deref(),
            Some("{\"navn\":\"Kari\",\"alder\":42}")
        );
        let r =
            run("$b = @'\n{\"a\": \"$ikke\"}\n'@\nirm https://h/y -Method Put -Body $b").unwrap();
        assert_eq!(r[0].body.as_deref(), Some("{\"a\": \"$ikke\"}"));
        assert_eq!(r[0].url, "https://h/y");
    }

    #[test]
    fn unsupported_things_are_named() {
        assert!(run("Get-Content fil.json")
            .unwrap_err()
            .0
            .contains("neither"));
        assert!(run("Invoke-RestMethod -Uri https://h/ -Proxy http://p")
            .unwrap_err()
            .0
            .contains("-proxy"));
        assert!(run("Invoke-RestMethod -Uri https://h/ -Credential 'x'")
            .unwrap_err()
            .0
            .contains("pscredential"));
    }

    #[test]
    fn credentials_hashtable_bodies_and_forms() {
        let r = run("$c = [pscredential]::new('ola', (ConvertTo-SecureString 'hemmelig' -AsPlainText -Force))\nInvoke-RestMethod -Uri https://h/ -Authentication Basic -Credential $c").unwrap();
        assert_eq!(
            r[0].header("authorization"),
            Some("Basic b2xhOmhlbW1lbGln"),
            "ola:hemmelig"
        );
        let r = run("$f = @{ navn = 'Ola & co'; alder = 3 }\nInvoke-RestMethod -Method Post -Uri https://h/ -Body $f").unwrap();
        assert_eq!(r[0].body.as_deref(), Some("navn=Ola+%26+co&alder=3"));
        assert_eq!(
            r[0].header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let r = run("Invoke-RestMethod -Method Post -Uri https://h/ -Form @{ fil = (Get-Item -Path 'a/b.bin'); tekst = 'x' }").unwrap();
        let body = r[0].body.as_deref().unwrap();
        assert!(body.contains("name=\"fil\"; filename=\"b.bin\""), "{body}");
        assert!(body.contains("name=\"tekst\"\r\n\r\nx\r\n"), "{body}");
        assert!(r[0]
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data; boundary="));
        assert!(run("Invoke-RestMethod -Uri \"https://h/$(Get-Date)\"").is_err());
        assert!(run("Invoke-RestMethod -Uri $mangler")
            .unwrap_err()
            .0
            .contains("mangler"));
    }

    #[test]
    fn infile_sends_a_placeholder_and_never_reads_the_file() {
        let r = run("Invoke-RestMethod -Method Put -Uri https://h/ -ContentType 'application/octet-stream' -InFile '/etc/passwd'").unwrap();
        assert_eq!(r[0].body.as_deref(), Some("(contents of passwd)"));
        assert_eq!(
            r[0].header("content-type"),
            Some("application/octet-stream")
        );
    }
}
