//! Small HTTP helpers for the dev server: a request path to a safe site URL (traversal refused before
//! any lookup), content types, and the live-reload script injection.

use percent_encoding::percent_decode_str;

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
