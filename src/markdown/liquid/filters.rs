//! Jekyll's own Liquid filters (<https://jekyllrb.com/docs/liquid/filters/>) that the engine's
//! standard and Jekyll libraries lack: URLs under `baseurl`, `markdownify`, `jsonify`, dates, escapes.
//! Each is a plain function over the input and the positional arguments.

use liquid_core::parser::{FilterArguments, ParameterReflection};
use liquid_core::{
    Error, Filter, FilterReflection, ParseFilter, Result, Runtime, Value, ValueView,
};
use std::fmt;
use std::sync::Arc;

/// What the filters know of the site.
#[derive(Debug, Default)]
pub(super) struct Site {
    /// `baseurl`, without a trailing slash (`/docs` or empty).
    pub baseurl: String,
    /// `url` (`https://example.org`).
    pub url: String,
}

type Apply = fn(&dyn ValueView, &[Value], &Site) -> Result<Value>;

/// One filter: a name and a function.
#[derive(Clone)]
pub(super) struct JekyllFilter {
    name: &'static str,
    apply: Apply,
    site: Arc<Site>,
}

impl FilterReflection for JekyllFilter {
    fn name(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "a Jekyll filter"
    }
    fn positional_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
    fn keyword_parameters(&self) -> &'static [ParameterReflection] {
        &[]
    }
}

impl ParseFilter for JekyllFilter {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(Bound {
            name: self.name,
            apply: self.apply,
            site: Arc::clone(&self.site),
            args: arguments.positional.collect(),
        }))
    }
    fn reflection(&self) -> &dyn FilterReflection {
        self
    }
}

struct Bound {
    name: &'static str,
    apply: Apply,
    site: Arc<Site>,
    args: Vec<liquid_core::Expression>,
}

impl fmt::Debug for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Filter for Bound {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self
            .args
            .iter()
            .map(|a| a.evaluate(runtime).map(|v| v.into_owned()))
            .collect::<Result<Vec<_>>>()?;
        (self.apply)(input, &args, &self.site)
    }
}

/// All of them, for the parser.
pub(super) fn all(site: &Arc<Site>) -> Vec<JekyllFilter> {
    let list: [(&'static str, Apply); 16] = [
        ("relative_url", relative_url),
        ("absolute_url", absolute_url),
        ("markdownify", markdownify),
        ("jsonify", jsonify),
        ("date_to_string", date_to_string),
        ("date_to_long_string", date_to_long_string),
        ("date_to_xmlschema", date_to_xmlschema),
        ("xml_escape", xml_escape),
        ("cgi_escape", cgi_escape),
        ("uri_escape", uri_escape),
        ("number_of_words", number_of_words),
        ("smartify", identity),
        ("normalize_whitespace", normalize_whitespace),
        ("inspect", jsonify),
        ("where_exp", where_exp),
        ("group_by", group_by),
    ];
    list.into_iter()
        .map(|(name, apply)| JekyllFilter {
            name,
            apply,
            site: Arc::clone(site),
        })
        .collect()
}

/// The engine that tests `where_exp`'s condition: Liquid's standard tags, nothing of the site.
fn condition_parser() -> Result<&'static liquid::Parser> {
    static PARSER: std::sync::OnceLock<Option<liquid::Parser>> = std::sync::OnceLock::new();
    PARSER
        .get_or_init(|| liquid::ParserBuilder::with_stdlib().build().ok())
        .as_ref()
        .ok_or_else(|| Error::with_msg("where_exp: the condition engine could not be built"))
}

/// `items | where_exp: "item", "item.x == 'y'"`: the items (of an array, or a hash's values) for
/// which the condition holds, with the item under the given name, as Jekyll's `where_exp` does.
fn where_exp(input: &dyn ValueView, args: &[Value], _: &Site) -> Result<Value> {
    let (Some(name), Some(condition)) = (args.first(), args.get(1)) else {
        return Err(Error::with_msg(
            "where_exp takes a variable name and a condition",
        ));
    };
    let name = name.to_kstr().to_string();
    let template =
        condition_parser()?.parse(&format!("{{% if {} %}}1{{% endif %}}", condition.to_kstr()))?;
    let items: Vec<Value> = match (input.as_array(), input.as_object()) {
        (Some(array), _) => array.values().map(|v| v.to_value()).collect(),
        (None, Some(object)) => object.values().map(|v| v.to_value()).collect(),
        _ => Vec::new(),
    };
    let mut kept = Vec::new();
    for item in items {
        let mut globals = liquid::Object::new();
        globals.insert(name.clone().into(), item.clone());
        if template.render(&globals)? == "1" {
            kept.push(item);
        }
    }
    Ok(Value::Array(kept))
}

/// `items | group_by: "key"`: `{name, items, size}` per value of the key, in order of first
/// appearance, as Jekyll's `group_by` does.
fn group_by(input: &dyn ValueView, args: &[Value], _: &Site) -> Result<Value> {
    let key = args
        .first()
        .ok_or_else(|| Error::with_msg("group_by takes a property name"))?
        .to_kstr()
        .to_string();
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for item in input.as_array().into_iter().flat_map(|a| a.values()) {
        let name = item
            .as_object()
            .and_then(|o| o.get(&key))
            .map(|v| v.to_kstr().to_string())
            .unwrap_or_default();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, items)) => items.push(item.to_value()),
            None => groups.push((name, vec![item.to_value()])),
        }
    }
    Ok(Value::Array(
        groups
            .into_iter()
            .map(|(name, items)| {
                let mut group = liquid::Object::new();
                group.insert("name".into(), Value::scalar(name));
                group.insert("size".into(), Value::scalar(items.len() as i64));
                group.insert("items".into(), Value::Array(items));
                Value::Object(group)
            })
            .collect(),
    ))
}

fn text(input: &dyn ValueView) -> String {
    if input.is_nil() {
        String::new()
    } else {
        input.to_kstr().to_string()
    }
}

/// Jekyll's `relative_url`: the path under `baseurl`; absolute URLs and anchors stay as they are.
pub(super) fn relative(path: &str, site: &Site) -> String {
    if path.contains("://") || path.starts_with("//") || path.starts_with('#') {
        return path.to_string();
    }
    let path = path.trim_start_matches('/');
    format!("{}/{}", site.baseurl, path)
}

fn relative_url(input: &dyn ValueView, _: &[Value], site: &Site) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    Ok(Value::scalar(relative(&text(input), site)))
}

fn absolute_url(input: &dyn ValueView, _: &[Value], site: &Site) -> Result<Value> {
    if input.is_nil() {
        return Ok(Value::Nil);
    }
    let path = text(input);
    if path.contains("://") {
        return Ok(Value::scalar(path));
    }
    Ok(Value::scalar(format!(
        "{}{}",
        site.url.trim_end_matches('/'),
        relative(&path, site)
    )))
}

fn markdownify(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    let source = text(input);
    let mut html = String::new();
    let options =
        pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&source, options));
    Ok(Value::scalar(html))
}

fn jsonify(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    serde_json::to_string(&input.to_value())
        .map(Value::scalar)
        .map_err(|e| Error::with_msg(format!("jsonify: {e}")))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn date_parts(input: &dyn ValueView) -> Option<(i32, u8, u8)> {
    let scalar = input.as_scalar()?;
    if let Some(dt) = scalar.to_date_time() {
        return Some((dt.year(), dt.month(), dt.day()));
    }
    let d = scalar.to_date()?;
    Some((d.year(), d.month(), d.day()))
}

fn date_to_string(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(match date_parts(input) {
        Some((y, m, d)) => {
            let month = MONTHS[usize::from(m.clamp(1, 12)) - 1];
            Value::scalar(format!("{d:02} {} {y}", &month[..3]))
        }
        None => Value::scalar(text(input)),
    })
}

fn date_to_long_string(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(match date_parts(input) {
        Some((y, m, d)) => {
            let month = MONTHS[usize::from(m.clamp(1, 12)) - 1];
            Value::scalar(format!("{d:02} {month} {y}"))
        }
        None => Value::scalar(text(input)),
    })
}

fn date_to_xmlschema(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(match date_parts(input) {
        Some((y, m, d)) => Value::scalar(format!("{y:04}-{m:02}-{d:02}T00:00:00+00:00")),
        None => Value::scalar(text(input)),
    })
}

fn xml_escape(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    let s = text(input)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    Ok(Value::scalar(s))
}

fn cgi_escape(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    let s: String =
        percent_encoding::utf8_percent_encode(&text(input), percent_encoding::NON_ALPHANUMERIC)
            .to_string()
            .replace("%20", "+");
    Ok(Value::scalar(s))
}

fn uri_escape(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'<')
        .add(b'>')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'|')
        .add(b'\\')
        .add(b'^');
    Ok(Value::scalar(
        percent_encoding::utf8_percent_encode(&text(input), SET).to_string(),
    ))
}

fn number_of_words(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(Value::scalar(text(input).split_whitespace().count() as i64))
}

fn normalize_whitespace(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(Value::scalar(
        text(input).split_whitespace().collect::<Vec<_>>().join(" "),
    ))
}

fn identity(input: &dyn ValueView, _: &[Value], _: &Site) -> Result<Value> {
    Ok(input.to_value())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_go_under_the_base_and_leave_absolute_ones() {
        let site = Site {
            baseurl: "/docs".into(),
            url: "https://x.no".into(),
        };
        assert_eq!(relative("/a/b/", &site), "/docs/a/b/");
        assert_eq!(relative("a.png", &site), "/docs/a.png");
        assert_eq!(relative("https://y.no/a", &site), "https://y.no/a");
        let abs = absolute_url(&Value::scalar("/a/"), &[], &site).unwrap();
        assert_eq!(abs.to_kstr().as_str(), "https://x.no/docs/a/");
    }

    #[test]
    fn dates_format_as_jekyll_does() {
        let site = Site::default();
        let d = date_to_string(&Value::scalar("2024-03-05"), &[], &site).unwrap();
        assert_eq!(d.to_kstr().as_str(), "05 Mar 2024");
        let d = date_to_long_string(&Value::scalar("2024-03-05"), &[], &site).unwrap();
        assert_eq!(d.to_kstr().as_str(), "05 March 2024");
    }
}
