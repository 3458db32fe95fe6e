//! Code examples as data: parsing curl commands (with bash's quoting rules) and a PowerShell subset
//! (`Invoke-WebRequest`/`Invoke-RestMethod`, hashtables, here-strings, `ConvertTo-Json`) into HTTP
//! requests, without ever running a shell. Anything outside the subset is an error that says what.

pub mod curl;
pub mod powershell;
pub mod shell;

/// A request parsed from an example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRequest {
    /// Method, upper case.
    pub method: String,
    /// URL as written (variables expanded).
    pub url: String,
    /// Headers in order.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Option<String>,
}

impl ParsedRequest {
    /// The first header of this name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A field of a form an example sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormField {
    /// Text.
    Text(String, String),
    /// A file named by the example: never read from disk, sent as a short placeholder content
    /// under its file name.
    File(String, String),
}

/// The boundary of multipart bodies built from examples.
pub const BOUNDARY: &str = "intark-docs-form-boundary-7MA4YWxkTrZu0gW";

/// Fields as a `multipart/form-data` body (with [`BOUNDARY`]).
pub fn multipart(fields: &[FormField]) -> String {
    let mut body = String::new();
    for field in fields {
        body.push_str(&format!("--{BOUNDARY}\r\n"));
        match field {
            FormField::Text(name, value) => body.push_str(&format!(
                "Content-Disposition: form-data; name=\"{}\"\r\n\r\n{value}\r\n",
                name.replace('"', "%22")
            )),
            FormField::File(name, path) => {
                let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
                body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n{}\r\n",
                    name.replace('"', "%22"),
                    file.replace('"', "%22"),
                    file_placeholder(path)
                ));
            }
        }
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body
}

/// What an example's file is sent as: a short placeholder under its name, never the file read.
pub fn file_placeholder(path: &str) -> String {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    format!("(contents of {file})")
}

/// `application/x-www-form-urlencoded` text of one name and value.
pub fn urlencoded_pair(name: &str, value: &str) -> String {
    let enc = |t: &str| {
        percent_encoding::utf8_percent_encode(t, percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .replace("%20", "+")
    };
    format!("{}={}", enc(name), enc(value))
}

/// Values of variables an example may use (`$API_NOKKEL`, `$env:INTARK_API_KEY`).
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Why an example cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot run: {0}")]
pub struct CannotRun(pub String);

/// The language of a snippet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// curl in a POSIX shell.
    Curl,
    /// PowerShell.
    PowerShell,
}

/// Parse a snippet in its language into every request it makes.
pub fn parse(
    language: Language,
    text: &str,
    env: Env<'_>,
) -> Result<Vec<ParsedRequest>, CannotRun> {
    match language {
        Language::Curl => curl::parse_script(text, env),
        Language::PowerShell => powershell::parse_script(text, env),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apigen::snippet::{self, HeaderValue, Request};

    fn env(name: &str) -> Option<String> {
        (name == "INTARK_API_KEY").then(|| "hemmelig-nøkkel".to_string())
    }

    fn expected(req: &Request) -> ParsedRequest {
        ParsedRequest {
            method: req.method.clone(),
            url: req.url.clone(),
            headers: req
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.clone(),
                        match v {
                            HeaderValue::Literal(v) => v.clone(),
                            HeaderValue::Env(var) => env(var).unwrap(),
                            HeaderValue::Prefixed { prefix, var } => {
                                format!("{prefix}{}", env(var).unwrap())
                            }
                        },
                    )
                })
                .collect(),
            body: req.body.clone(),
        }
    }

    fn sorted(mut p: ParsedRequest) -> ParsedRequest {
        p.headers.sort_by_key(|(n, _)| n.to_ascii_lowercase());
        p
    }

    #[test]
    fn random_text_never_panics_the_parsers() {
        let pieces = [
            "curl",
            " ",
            "-H",
            "'",
            "\"",
            "\\",
            "\n",
            "`",
            "$",
            "${",
            "$(",
            "@{",
            "}",
            "@'",
            "'@",
            "=",
            "|",
            ";",
            "&&",
            "-X",
            "--data",
            "Invoke-RestMethod",
            "-Uri",
            "ConvertTo-Json",
            "æ",
            "#",
            "(",
            ")",
            "\u{2019}",
            "-Body",
            "$env:",
        ];
        let mut seed: u64 = 42;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_add(1);
            let _ = parse(Language::Curl, &text, &env);
            let _ = parse(Language::PowerShell, &text, &env);
        }
    }

    #[test]
    fn generated_examples_parse_back_for_hostile_values() {
        for body in [
            None,
            Some("{\"navn\": \"O'Brien $HOME `x` \\\"sitat\\\" æøå\"}".to_string()),
            Some("a\nb\r\nc ‘’".to_string()),
        ] {
            let req = Request {
                method: "PUT".into(),
                url: "https://gw-uio.intark.uh-it.no/lonn/v1/ansatte/a%20b?q=%C3%A6&x='y'".into(),
                headers: vec![
                    (
                        "X-Gravitee-Api-Key".into(),
                        HeaderValue::Env("INTARK_API_KEY".into()),
                    ),
                    (
                        "X-Merke".into(),
                        HeaderValue::Literal("verdi med 'fnutt' og $dollar".into()),
                    ),
                    (
                        "Content-Type".into(),
                        HeaderValue::Literal("application/json".into()),
                    ),
                ],
                body,
                ..Request::default()
            };
            let curl = parse(Language::Curl, &snippet::curl(&req), &env).unwrap();
            assert_eq!(curl.len(), 1);
            assert_eq!(
                sorted(curl[0].clone()),
                sorted(expected(&req)),
                "curl:\n{}",
                snippet::curl(&req)
            );
            let ps = parse(Language::PowerShell, &snippet::powershell(&req), &env).unwrap();
            assert_eq!(
                sorted(ps[0].clone()),
                sorted(expected(&req)),
                "powershell:\n{}",
                snippet::powershell(&req)
            );
        }
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;

    /// Random snippets from an alphabet of quoting, expansion and multi-byte characters: the
    /// parsers answer `Ok` or `CannotRun`, never panic.
    #[test]
    fn random_snippets_never_panic_the_parsers() {
        const ALPHABET: &[&str] = &[
            "curl ",
            "Invoke-RestMethod ",
            "-H ",
            "-d ",
            "-u ",
            "-X",
            "--url ",
            " ",
            "\n",
            "\\\n",
            "'",
            "\"",
            "`",
            "$",
            "${",
            "}",
            "$(",
            ")",
            "@'",
            "'@",
            "@\"",
            "\"@",
            "@{",
            "=",
            ";",
            "|",
            "&",
            "#",
            "ø",
            "å",
            "\u{2018}",
            "\u{201C}",
            "日",
            "https://gw-uio.intark.uh-it.no/",
            "$env:INTARK_API_KEY",
            "-Headers ",
            "-Uri ",
            "-Body ",
            "-Method ",
            "{%}",
            "[1-3]",
        ];
        let env = |name: &str| (name == "INTARK_API_KEY").then(|| "k".to_string());
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(ALPHABET[(seed % ALPHABET.len() as u64) as usize]);
            }
            for language in [Language::Curl, Language::PowerShell] {
                let _ = parse(language, &text, &env);
            }
        }
    }
}
