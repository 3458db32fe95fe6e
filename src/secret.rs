//! A secret (the gateway's API key): a type that prints as `***` and scrubs itself from text.
//!
//! [`Secret`]'s `Display` and `Debug` print `***`, so a key cannot reach a message by formatting.
//! The value is read only through [`Secret::expose`], by the code that sends it. Text that may hold
//! the key anyway (an HTTP client's error with the URL, a server's answer, a report) goes through
//! [`Secret::scrub`], which finds the key in every encoding it travels in:
//!
//! - as written, lower-cased or upper-cased (ASCII letters match in any case);
//! - percent-encoded, each byte as written or as `%XX` (any hex case), space also as `+`;
//! - escaped for JSON (`\"`, `\\`) or XML (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`);
//! - base64 (standard and URL-safe alphabets), also inside a longer value such as the
//!   `user:key` of HTTP basic auth: the characters that depend on the key alone are found at each
//!   of base64's three alignments.
//!
//! Depends on nothing in the crate.

use base64::Engine;

/// What a scrubbed key is replaced with, and what a [`Secret`] prints as.
pub const MASK: &str = "***";

/// Base64 runs shorter than this are not scrubbed (they would match ordinary text).
const MIN_BASE64_CORE: usize = 6;

/// A secret value, such as an API key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret {
    value: String,
    /// The base64 characters determined by the key alone, per alphabet and alignment.
    base64_cores: Vec<String>,
}

impl Secret {
    /// Wrap a value.
    pub fn new(value: impl Into<String>) -> Secret {
        let value = value.into();
        let base64_cores = base64_cores(value.as_bytes());
        Secret {
            value,
            base64_cores,
        }
    }

    /// The value itself, for the code that sends it (a header, a child's stdin). Never format it.
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Whether there is no value (nothing to scrub).
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }

    /// `text` with every occurrence of the secret, in any of the encodings in the module docs,
    /// replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        if self.value.is_empty() {
            return text.to_string();
        }
        let mut text = text.to_string();
        let mut needles = vec![self.value.clone()];
        // ASCII letters match in any case already; only non-ASCII case changes need a pass.
        for variant in [self.value.to_lowercase(), self.value.to_uppercase()] {
            if !needles.iter().any(|n| n.eq_ignore_ascii_case(&variant)) {
                needles.push(variant);
            }
        }
        for needle in &needles {
            text = replace_encoded(&text, needle.as_bytes());
        }
        for core in &self.base64_cores {
            if text.contains(core.as_str()) {
                text = text.replace(core.as_str(), MASK);
            }
        }
        text
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(MASK)
    }
}

/// The ways one byte of the key may be written in text, besides itself.
fn escapes(byte: u8) -> &'static [&'static [u8]] {
    match byte {
        b' ' => &[b"+"],
        b'"' => &[b"\\\"", b"&quot;"],
        b'\\' => &[b"\\\\"],
        b'&' => &[b"&amp;"],
        b'<' => &[b"&lt;"],
        b'>' => &[b"&gt;"],
        b'\'' => &[b"&apos;", b"&#39;"],
        _ => &[],
    }
}

fn hex_value(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The length of the key (`needle`) written at the start of `text` in any mix of the encodings,
/// if it is there. Tries each way of writing a byte in turn (`&` may be itself or the start of
/// `&amp;`), so the search backtracks; keys are short.
fn encoded_match(text: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&want, rest_of_needle)) = needle.split_first() else {
        return Some(0);
    };
    let first = *text.first()?;
    let literal = (first == want
        || (want.is_ascii_alphabetic() && first.eq_ignore_ascii_case(&want)))
    .then_some(1);
    let percent = (first == b'%'
        && text.len() >= 3
        && hex_value(text[1]).zip(hex_value(text[2])) == Some((want >> 4, want & 0xF)))
    .then_some(3);
    let escaped = escapes(want)
        .iter()
        .filter(|e| text.starts_with(e))
        .map(|e| e.len());
    literal
        .into_iter()
        .chain(percent)
        .chain(escaped)
        .find_map(|len| encoded_match(&text[len..], rest_of_needle).map(|rest| len + rest))
}

/// Replace every (encoded) occurrence of `needle` in `text` by [`MASK`]. A match starts where a
/// character or an ASCII escape starts and ends after one, so the pieces kept are whole UTF-8.
fn replace_encoded(text: &str, needle: &[u8]) -> String {
    let Some(&first) = needle.first() else {
        return text.to_string();
    };
    // The bytes a match can start with: the first byte in either case, `%`, or an escape's first.
    let mut starts = [false; 256];
    starts[usize::from(first)] = true;
    starts[usize::from(first.to_ascii_lowercase())] = true;
    starts[usize::from(first.to_ascii_uppercase())] = true;
    starts[usize::from(b'%')] = true;
    for escape in escapes(first) {
        starts[usize::from(escape[0])] = true;
    }
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if starts[usize::from(bytes[i])] && text.is_char_boundary(i) {
            if let Some(len) = encoded_match(&bytes[i..], needle) {
                out.extend_from_slice(MASK.as_bytes());
                i += len;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// For each base64 alphabet and each of the three alignments the key can have inside a longer
/// value, the run of base64 characters that depends on the key's bytes alone.
fn base64_cores(key: &[u8]) -> Vec<String> {
    let engines = [
        base64::engine::general_purpose::STANDARD_NO_PAD,
        base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ];
    let mut cores = Vec::new();
    for engine in engines {
        for offset in 0..3 {
            let mut padded = vec![0u8; offset];
            padded.extend_from_slice(key);
            let encoded = engine.encode(&padded);
            // Characters of groups shared with bytes before the key: the first `offset` bytes take
            // `ceil(offset * 8 / 6)` characters, the last of them mixed with the key.
            let skip = (offset * 8).div_ceil(6);
            // Only whole 3-byte groups are fixed by the key alone at the end.
            let keep = (padded.len() / 3) * 4;
            if let Some(core) = encoded.get(skip..keep.max(skip)) {
                if core.len() >= MIN_BASE64_CORE && !cores.iter().any(|c| c == core) {
                    cores.push(core.to_string());
                }
            }
        }
    }
    cores
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "Nøkkel-9f3a \"x\"&<y>/+Z";

    fn secret() -> Secret {
        Secret::new(KEY)
    }

    #[test]
    fn prints_as_stars() {
        assert_eq!(format!("{}", secret()), "***");
        assert_eq!(format!("{:?}", secret()), "***");
        assert_eq!(format!("{:?}", Some(secret())), "Some(***)");
        assert_eq!(secret().expose(), KEY);
    }

    #[test]
    fn scrubs_raw_and_case_changed_forms() {
        let s = secret();
        for form in [KEY.to_string(), KEY.to_lowercase(), KEY.to_uppercase()] {
            let text = format!("calls `https://{form}.example`, not allowed");
            assert_eq!(s.scrub(&text), "calls `https://***.example`, not allowed");
        }
        assert_eq!(
            Secret::new("AbCdEf123").scrub("x abcdef123 ABCDEF123 aBcDeF123 y"),
            "x *** *** *** y"
        );
    }

    #[test]
    fn scrubs_percent_encoded_forms_of_any_encoder() {
        let s = secret();
        const QUERY: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
            .add(b' ')
            .add(b'"')
            .add(b'<')
            .add(b'>');
        let encoders = [percent_encoding::NON_ALPHANUMERIC, QUERY];
        for set in encoders {
            let encoded = percent_encoding::utf8_percent_encode(KEY, set).to_string();
            let text =
                format!("error sending request for url (http://127.0.0.1:1/a?api-key={encoded})");
            assert_eq!(
                s.scrub(&text),
                "error sending request for url (http://127.0.0.1:1/a?api-key=***)"
            );
            let lower = s.scrub(&text.to_lowercase());
            assert!(lower.ends_with("api-key=***)"), "{lower}");
        }
        let form = KEY.replace(' ', "+");
        assert_eq!(s.scrub(&format!("q={form}&")), "q=***&");
    }

    #[test]
    fn scrubs_json_and_xml_escaped_forms() {
        let s = secret();
        let json = serde_json::to_string(&format!("reason: {KEY}!")).unwrap();
        assert_eq!(s.scrub(&json), "\"reason: ***!\"");
        let xml = KEY
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        assert_eq!(
            s.scrub(&format!("<failure message=\"{xml}\"/>")),
            "<failure message=\"***\"/>"
        );
    }

    #[test]
    fn scrubs_base64_also_inside_basic_auth_values() {
        let s = secret();
        let b64 = |v: &str| base64::engine::general_purpose::STANDARD.encode(v);
        for user in ["", "a", "ab", "abc", "user"] {
            let value = if user.is_empty() {
                b64(KEY)
            } else {
                b64(&format!("{user}:{KEY}"))
            };
            let scrubbed = s.scrub(&format!("Authorization: Basic {value}"));
            assert!(scrubbed.contains("***"), "{user}: {scrubbed}");
            assert!(!scrubbed.contains(&value), "{user}: {scrubbed}");
            let core_left = scrubbed
                .trim_start_matches("Authorization: Basic ")
                .replace("***", "");
            assert!(
                core_left.len() <= 12,
                "only edge characters stay: {scrubbed}"
            );
        }
        let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY);
        assert!(!s
            .scrub(&url_safe)
            .contains(&url_safe[2..url_safe.len() - 3]));
    }

    #[test]
    fn leaves_other_text_alone_and_keeps_utf8_whole() {
        let s = Secret::new("hemmelig");
        assert_eq!(
            s.scrub("blåbær og 100% hemmelig%21"),
            "blåbær og 100% ***%21"
        );
        assert_eq!(s.scrub("ingen nøkkel her"), "ingen nøkkel her");
        assert_eq!(Secret::default().scrub("x"), "x");
        assert_eq!(Secret::new("ø").scrub("bø %C3%B8 Ø"), "b*** *** ***");
    }
}
