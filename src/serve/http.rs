//! Small HTTP helpers for the dev server: a request path to a safe site URL (traversal refused before
//! any lookup), the `Host` check against DNS rebinding, content types, `Location` values, and the
//! live-reload script injection.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use std::net::{IpAddr, SocketAddr};

/// The names a request's `Host` may carry: the server is reached as `localhost`, `127.0.0.1`,
/// `[::1]` or the `--host` it was given, on its own port. A page of another site that points its
/// own name at 127.0.0.1 (DNS rebinding) sends its own name and is refused. When bound to every
/// interface (`0.0.0.0`, `::`) any IP address is accepted too (rebinding needs a name).
#[derive(Debug, Clone)]
pub(super) struct Hosts {
    names: Vec<String>,
    port: u16,
    any_ip: bool,
}

/// Why a `Host` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum BadHost {
    /// No `Host` header.
    Missing,
    /// A name or port the server is not bound to.
    Foreign(String),
}

impl BadHost {
    /// The status to answer with.
    pub(super) fn status(&self) -> u16 {
        match self {
            BadHost::Missing => 400,
            BadHost::Foreign(_) => 421,
        }
    }

    /// The plain-text body.
    pub(super) fn message(&self) -> String {
        match self {
            BadHost::Missing => "a Host header is required".into(),
            BadHost::Foreign(host) => format!(
                "this development server answers only for localhost, 127.0.0.1, [::1] and its --host, not `{host}`"
            ),
        }
    }
}

impl Hosts {
    /// The names for a server started with `--host host` and bound to `addr`.
    pub(super) fn new(host: &str, addr: SocketAddr) -> Hosts {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let given = host.trim_matches(['[', ']']).to_ascii_lowercase();
        names.push(match given.parse::<IpAddr>() {
            Ok(IpAddr::V6(ip)) => format!("[{ip}]"),
            Ok(ip) => ip.to_string(),
            Err(_) => given.trim_end_matches('.').to_string(),
        });
        Hosts {
            names,
            port: addr.port(),
            any_ip: addr.ip().is_unspecified(),
        }
    }

    /// Accept or refuse a request's `Host` header.
    pub(super) fn check(&self, host: Option<&str>) -> Result<(), BadHost> {
        let Some(raw) = host.map(str::trim).filter(|h| !h.is_empty()) else {
            return Err(BadHost::Missing);
        };
        let foreign = || BadHost::Foreign(raw.chars().take(100).collect());
        let lower = raw.to_ascii_lowercase();
        let (name, port) = if lower.starts_with('[') {
            match lower.split_once(']') {
                Some((ip, rest)) => (format!("{ip}]"), rest.strip_prefix(':')),
                None => return Err(foreign()),
            }
        } else {
            match lower.rsplit_once(':') {
                Some((name, port)) => (name.to_string(), Some(port)),
                None => (lower.clone(), None),
            }
        };
        if let Some(port) = port {
            if port.parse::<u16>().ok() != Some(self.port) {
                return Err(foreign());
            }
        }
        let name = name.trim_end_matches('.');
        let ip = name.trim_matches(['[', ']']).parse::<IpAddr>().ok();
        let canonical = match ip {
            Some(IpAddr::V6(ip)) => format!("[{ip}]"),
            Some(ip) => ip.to_string(),
            None => name.to_string(),
        };
        if self.names.contains(&canonical) || (self.any_ip && ip.is_some()) {
            Ok(())
        } else {
            Err(foreign())
        }
    }
}

/// Characters a `Location` header value may not carry as they are (non-ASCII is always encoded).
const LOCATION: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// A route as a `Location` value: non-ASCII and unsafe characters percent-encoded.
pub(super) fn location(route: &str) -> String {
    utf8_percent_encode(route, LOCATION).to_string()
}

/// Why a request path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refused {
    /// `..`, backslashes, NUL, encoded slashes or a second layer of encoding.
    Traversal,
    /// Not valid UTF-8 after decoding.
    Encoding,
}

/// The site URL a request path asks for: decoded once, with no segment that could leave the site.
pub(super) fn site_path(raw: &str) -> Result<String, Refused> {
    let path = raw.split(['?', '#']).next().unwrap_or("/");
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Err(Refused::Traversal);
    }
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| Refused::Encoding)?;
    if decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.contains('%') && decoded.to_ascii_lowercase().contains("%2e")
    {
        return Err(Refused::Traversal);
    }
    if !decoded.starts_with('/') || decoded.starts_with("//") {
        return Err(Refused::Traversal);
    }
    if decoded.split('/').any(|s| s == ".." || s == ".") {
        return Err(Refused::Traversal);
    }
    Ok(decoded.into_owned())
}

/// The content type of a file by its extension.
pub(super) fn content_type(url: &str) -> &'static str {
    let ext = url
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "yaml" | "yml" => "application/yaml",
        "pagefind" | "pf_meta" | "pf_index" | "pf_fragment" => "application/octet-stream",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// The script tag the server adds to every HTML page it serves (never to built files).
pub(super) const LIVE_TAG: &str = "<script src=\"/_intark/live.js\" defer></script>";

/// Add the live script before `</body>` (or at the end).
pub(super) fn inject(html: &str) -> String {
    match html.rfind("</body>") {
        Some(at) => format!("{}{LIVE_TAG}{}", &html[..at], &html[at..]),
        None => format!("{html}{LIVE_TAG}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_every_spelling_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/docs/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%252e%252e/etc/passwd",
            "/docs/..%2fsecret",
            "/a\\..\\b",
            "/docs/%5c..%5cx",
            "//etc/passwd",
            "/x/%00",
            "/./a",
        ] {
            assert!(site_path(bad).is_err(), "{bad} was allowed");
        }
        assert_eq!(
            site_path("/docs/meldingsk%C3%B8/?x=1").unwrap(),
            "/docs/meldingskø/"
        );
    }

    #[test]
    fn only_the_names_the_server_is_bound_to_pass_the_host_check() {
        let addr: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let hosts = Hosts::new("127.0.0.1", addr);
        for ok in [
            "localhost:4000",
            "LOCALHOST:4000",
            "localhost",
            "127.0.0.1:4000",
            "[::1]:4000",
            "localhost.:4000",
        ] {
            assert_eq!(hosts.check(Some(ok)), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:4000",
            "localhost:4001",
            "localhost.evil.example:4000",
            "127.0.0.2:4000",
            "192.168.1.10:4000",
            "[::1",
            "localhost:x",
        ] {
            assert!(
                matches!(hosts.check(Some(bad)), Err(BadHost::Foreign(_))),
                "{bad}"
            );
        }
        assert_eq!(hosts.check(None), Err(BadHost::Missing));
        assert_eq!(hosts.check(Some("")), Err(BadHost::Missing));
        let named = Hosts::new("docs.test", addr);
        assert_eq!(named.check(Some("docs.test:4000")), Ok(()));
        let everywhere = Hosts::new("0.0.0.0", "0.0.0.0:4000".parse().unwrap());
        assert_eq!(everywhere.check(Some("192.168.1.10:4000")), Ok(()));
        assert!(everywhere.check(Some("evil.example:4000")).is_err());
    }

    #[test]
    fn locations_are_ascii() {
        assert_eq!(location("/docs/blåbær/"), "/docs/bl%C3%A5b%C3%A6r/");
        assert_eq!(location("/docs/a b/"), "/docs/a%20b/");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("/a/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("/img/x.SVG"), "image/svg+xml");
        assert_eq!(content_type("/f.woff2"), "font/woff2");
        assert_eq!(content_type("/b.webp"), "image/webp");
    }

    #[test]
    fn injection_goes_before_body_end() {
        assert_eq!(
            inject("<body>x</body>"),
            format!("<body>x{LIVE_TAG}</body>")
        );
    }
}
