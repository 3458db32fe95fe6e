//! curl's command line (the options people use in documentation) to a request.

use super::{shell, CannotRun, Env, ParsedRequest};

/// Every curl command of a script. Commands other than `curl` (`export`, `echo`) are refused unless
/// they only set variables, which the environment already supplies.
pub fn parse_script(text: &str, env: Env<'_>) -> Result<Vec<ParsedRequest>, CannotRun> {
    let mut requests = Vec::new();
    for words in shell::commands(text, env)? {
        let Some((program, args)) = words.split_first() else {
            continue;
        };
        match program.as_str() {
            "curl" => requests.push(parse_args(args)?),
            "export" | "set" | "echo" => {}
            p if p.contains('=') && args.is_empty() => {}
            other => return Err(CannotRun(format!("`{other}` is not curl"))),
        }
    }
    if requests.is_empty() {
        return Err(CannotRun("no curl command".into()));
    }
    Ok(requests)
}

/// Options that take no value and do not change the request.
const FLAGS: [&str; 16] = [
    "-i",
    "--include",
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-v",
    "--verbose",
    "-L",
    "--location",
    "-k",
    "--insecure",
    "--compressed",
    "-f",
    "--fail",
    "--fail-with-body",
];
/// Options that take a value and do not change the request.
const IGNORED_WITH_VALUE: [&str; 8] = [
    "-o",
    "--output",
    "-w",
    "--write-out",
    "--max-time",
    "-m",
    "--connect-timeout",
    "--retry",
];

/// One curl command's arguments (after `curl`).
pub fn parse_args(args: &[String]) -> Result<ParsedRequest, CannotRun> {
    let mut method: Option<String> = None;
    let mut url: Option<String> = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut form: Vec<super::FormField> = Vec::new();
    let mut get = false;
    let mut head = false;
    let mut json = false;
    let mut i = 0;
    let mut expanded: Vec<String> = Vec::new();
    // Combined short flags: `-sSL` → `-s -S -L`; `-XPOST` → `-X POST`.
    for arg in args {
        if arg.len() > 2 && arg.starts_with('-') && !arg.starts_with("--") {
            let letters: Vec<char> = arg[1..].chars().collect();
            if letters.iter().all(|c| "isSvLkfGI".contains(*c)) {
                expanded.extend(letters.iter().map(|c| format!("-{c}")));
                continue;
            }
            if "XHdAuoewF".contains(letters[0]) {
                expanded.push(format!("-{}", letters[0]));
                expanded.push(arg[2..].to_string());
                continue;
            }
        }
        expanded.push(arg.clone());
    }
    let args = expanded;
    let value = |i: &mut usize, name: &str| -> Result<String, CannotRun> {
        *i += 1;
        args.get(*i)
            .cloned()
            .ok_or_else(|| CannotRun(format!("`{name}` needs a value")))
    };
    while i < args.len() {
        let arg = args[i].as_str();
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let take = |i: &mut usize| -> Result<String, CannotRun> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => value(i, name),
            }
        };
        match name {
            "-X" | "--request" => method = Some(take(&mut i)?.to_ascii_uppercase()),
            "-H" | "--header" => {
                let h = take(&mut i)?;
                let (n, v) = h
                    .split_once(':')
                    .ok_or_else(|| CannotRun(format!("header `{h}` has no `:`")))?;
                headers.push((n.trim().to_string(), v.trim().to_string()));
            }
            "-d" | "--data" | "--data-ascii" | "--data-binary" | "--data-raw" => {
                let d = take(&mut i)?;
                // A binary body from a file is sent as a placeholder; the file is never read.
                if let (Some(path), "--data-binary") = (d.strip_prefix('@'), name) {
                    data.push(super::file_placeholder(path));
                } else if d.starts_with('@') && name != "--data-raw" {
                    return Err(CannotRun(format!(
                        "`{name} {d}` reads a file; put the body in the example"
                    )));
                } else {
                    data.push(d);
                }
            }
            // As curl does: `name=content` sends `name=` and the content encoded; `=content` and
            // `content` only the encoded content.
            "--data-urlencode" => {
                let d = take(&mut i)?;
                let encode = |t: &str| {
                    super::urlencoded_pair("", t)
                        .trim_start_matches('=')
                        .to_string()
                };
                let encoded = match d.split_once('=') {
                    Some(("", content)) => encode(content),
                    Some((name, content)) => format!("{name}={}", encode(content)),
                    None if d.starts_with('@') => {
                        return Err(CannotRun(format!(
                            "`{name} {d}` reads a file; put the value in the example"
                        )))
                    }
                    None => encode(&d),
                };
                data.push(encoded);
            }
            "-F" | "--form" | "--form-string" => {
                let f = take(&mut i)?;
                let (field, value) = f
                    .split_once('=')
                    .ok_or_else(|| CannotRun(format!("form field `{f}` has no `=`")))?;
                let file = (name != "--form-string")
                    .then(|| value.strip_prefix('@').or_else(|| value.strip_prefix('<')))
                    .flatten();
                form.push(match file {
                    Some(path) => super::FormField::File(
                        field.to_string(),
                        path.split(';').next().unwrap_or(path).to_string(),
                    ),
                    None => super::FormField::Text(field.to_string(), value.to_string()),
                });
            }
            "--json" => {
                data.push(take(&mut i)?);
                json = true;
            }
            "-G" | "--get" => get = true,
            "-I" | "--head" => head = true,
            "-u" | "--user" => {
                let user = take(&mut i)?;
                headers.push((
                    "Authorization".into(),
                    format!("Basic {}", base64(user.as_bytes())),
                ));
            }
            "-A" | "--user-agent" => headers.push(("User-Agent".into(), take(&mut i)?)),
            "-e" | "--referer" => headers.push(("Referer".into(), take(&mut i)?)),
            "--url" => url = Some(take(&mut i)?),
            n if FLAGS.contains(&n) => {}
            n if IGNORED_WITH_VALUE.contains(&n) => {
                take(&mut i)?;
            }
            n if n.starts_with('-') => {
                return Err(CannotRun(format!("curl option `{n}` is not supported")))
            }
            _ => {
                if url.is_some() {
                    return Err(CannotRun(format!("a second URL `{arg}`")));
                }
                url = Some(arg.to_string());
            }
        }
        i += 1;
    }
    let mut url = url.ok_or_else(|| CannotRun("the curl command has no URL".into()))?;
    let mut body = None;
    if !data.is_empty() {
        let joined = data.join("&");
        if get {
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&joined);
        } else {
            body = Some(joined);
            let has_type = headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
            if json && !has_type {
                headers.push(("Content-Type".into(), "application/json".into()));
            } else if !has_type {
                headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
            }
            if json
                && !headers
                    .iter()
                    .any(|(n, _)| n.eq_ignore_ascii_case("accept"))
            {
                headers.push(("Accept".into(), "application/json".into()));
            }
        }
    }
    if !form.is_empty() {
        if body.is_some() {
            return Err(CannotRun(
                "`--form` and `--data` in one command (curl refuses that too)".into(),
            ));
        }
        body = Some(super::multipart(&form));
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
        headers.push((
            "Content-Type".into(),
            format!("multipart/form-data; boundary={}", super::BOUNDARY),
        ));
    }
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if body.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    Ok(ParsedRequest {
        method,
        url,
        headers,
        body,
    })
}

/// Standard base64 with padding (for `Authorization: Basic`).
pub(super) fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ParsedRequest {
        parse_script(text, &|n| (n == "API_NOKKEL").then(|| "k".to_string()))
            .unwrap()
            .remove(0)
    }

    #[test]
    fn a_handwritten_call_from_the_guide() {
        let r = one("curl --include -H \"X-Gravitee-Api-Key: $API_NOKKEL\" https://gw-uio.intark.uh-it.no/lonn/v1/organisasjoner/v1/");
        assert_eq!(r.method, "GET");
        assert_eq!(
            r.url,
            "https://gw-uio.intark.uh-it.no/lonn/v1/organisasjoner/v1/"
        );
        assert_eq!(r.header("x-gravitee-api-key"), Some("k"));
    }

    #[test]
    fn data_json_get_and_user() {
        let r = one("curl -sS -XPOST --json '{\"a\":1}' https://h/x");
        assert_eq!(
            (r.method.as_str(), r.body.as_deref()),
            ("POST", Some("{\"a\":1}"))
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        let r = one("curl -G -d 'q=1' -d 'r=2' --url https://h/s");
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("GET", "https://h/s?q=1&r=2")
        );
        let r = one("curl -u ola:hemmelig https://h/");
        assert_eq!(r.header("authorization"), Some("Basic b2xhOmhlbW1lbGln"));
    }

    #[test]
    fn unknown_options_and_programs_are_refused() {
        let env = |_: &str| None;
        assert!(parse_script("curl --frobnicate https://h/", &env)
            .unwrap_err()
            .0
            .contains("--frobnicate"));
        assert!(parse_script("wget https://h/", &env).is_err());
        assert!(parse_script("curl -d @fil.json https://h/", &env).is_err());
    }

    #[test]
    fn data_urlencode_encodes_and_form_builds_multipart() {
        let r = parse_args(&[
            "--data-urlencode".into(),
            "navn=Ola & co".into(),
            "--data-urlencode".into(),
            "=æ".into(),
            "https://h/".into(),
        ])
        .unwrap();
        assert_eq!(r.body.as_deref(), Some("navn=Ola+%26+co&%C3%A6"));
        let r = parse_args(&[
            "-F".into(),
            "fil=@/tmp/x.bin;type=image/png".into(),
            "--form-string".into(),
            "t=@ikke-fil".into(),
            "https://h/".into(),
        ])
        .unwrap();
        let body = r.body.unwrap();
        assert!(body.contains("filename=\"x.bin\""), "{body}");
        assert!(body.contains("name=\"t\"\r\n\r\n@ikke-fil\r\n"), "{body}");
        assert_eq!(r.method, "POST");
    }

    #[test]
    fn data_binary_from_a_file_sends_a_placeholder_and_never_reads_it() {
        let r = parse_args(&[
            "--data-binary".into(),
            "@/etc/passwd".into(),
            "https://h/".into(),
        ])
        .unwrap();
        assert_eq!(r.body.as_deref(), Some("(contents of passwd)"));
        assert_eq!(r.method, "POST");
    }
}
