//! The theme's templates compiled once, with the template function `t` for UI strings.
//!
//! Every template can call `{{ t(key="pager.next") }}`: the text of that key in the language the
//! template is rendered in (the page's), else in English. Extra arguments fill `{name}` placeholders
//! (`t(key="search.hits", n=3, query=q)`), and `lang="en"` picks another language explicitly.
//! Tera functions cannot see the render context, so there is one compiled copy per language that
//! has a string table, each with its own `t`; a page in a language without a table uses the English
//! copy (its `lang` attribute stays its own). A call with a literal key and nothing else
//! (`{{ t(key="pager.next") }}`) is replaced by its text when the copy is compiled, so a page
//! render does not call `t` some 25 times for text that is the same on every page. Rust code
//! renders any named template — a site's override if it has one, else the default theme's — with
//! [`Templates::render`].

use super::cut::{Cut, Slot};
use super::Theme;
use crate::error::{Error, Result};
use crate::i18n::{Strings, FALLBACK};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, RwLock};
use tera::ast::{Expr, ExprVal, Node};
use tera::{Context, Tera, Value};

/// The compiled templates, one copy per UI language.
#[derive(Debug, Clone)]
pub struct Templates {
    by_lang: BTreeMap<String, Tera>,
    strings: Arc<Strings>,
    /// Templates the site replaced (their source differs from the built-in one).
    replaced: BTreeSet<String>,
    /// Cuts of default-theme templates by template, language table and fixed fields (`None`: the
    /// cut did not reproduce a whole render, so that template is rendered whole).
    cuts: Arc<RwLock<HashMap<String, Option<Arc<Cut>>>>>,
}

impl Templates {
    /// Compile the theme's templates (the site's overrides already laid over the defaults).
    pub fn new(theme: &Theme) -> Result<Templates> {
        let mut base = Tera::default();
        base.set_escape_fn(super::escape);
        base.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|(n, s)| (n.as_str(), s.as_str())),
        )
        .map_err(|source| Error::Template {
            name: template_name(&source),
            source,
        })?;
        let strings = Arc::new(theme.strings.clone());
        let mut by_lang = BTreeMap::new();
        for lang in strings.languages() {
            let mut tera = base.clone();
            tera.register_function(
                "t",
                Translate {
                    strings: Arc::clone(&strings),
                    lang: lang.to_string(),
                },
            );
            resolve_literal_calls(&mut tera, &strings, lang);
            by_lang.insert(lang.to_string(), tera);
        }
        let replaced = theme
            .templates
            .iter()
            .filter(|(name, source)| {
                !super::TEMPLATES
                    .iter()
                    .any(|(n, s)| n == name && s == source)
            })
            .map(|(name, _)| name.clone())
            .collect();
        Ok(Templates {
            by_lang,
            strings,
            replaced,
            cuts: Arc::default(),
        })
    }

    /// The templates page bodies' components render through: the site's theme, else (when its
    /// templates do not compile, which the page renderer reports) the built-in templates with the
    /// site's strings, so the Markdown pass still runs.
    pub fn for_bodies(theme: &Theme) -> Result<Templates> {
        Templates::new(theme).or_else(|_| {
            Templates::new(&Theme {
                strings: theme.strings.clone(),
                ..Theme::built_in()
            })
        })
    }

    /// Render the template `name` with `context` for a page in `lang`.
    pub fn render(&self, name: &str, lang: &str, context: &impl Serialize) -> Result<String> {
        let context = Context::from_serialize(context).map_err(|source| Error::Template {
            name: name.into(),
            source,
        })?;
        self.render_context(name, lang, &context)
    }

    /// [`Templates::render`] with a context already built.
    pub fn render_context(&self, name: &str, lang: &str, context: &Context) -> Result<String> {
        self.tera(lang)
            .render(name, context)
            .map_err(|source| Error::Template {
                name: name.into(),
                source,
            })
    }

    /// Render `name` with `fields` and the per-use `slots`, as [`Templates::render`] would with
    /// the slots added to the fields. A default-theme template is rendered once per language and
    /// fixed fields and its [`Cut`] filled per use (checked against a whole render the first time);
    /// a site's own template is rendered whole.
    pub fn render_slots(
        &self,
        name: &str,
        lang: &str,
        fields: &impl Serialize,
        slots: &[Slot<'_>],
    ) -> Result<String> {
        let whole = |values: &[(String, String)]| -> Result<String> {
            let mut context =
                Context::from_serialize(fields).map_err(|source| Error::Template {
                    name: name.into(),
                    source,
                })?;
            for (key, value) in values {
                context.insert(key.as_str(), value);
            }
            self.render_context(name, lang, &context)
        };
        let values = |slots: &[Slot<'_>]| -> Vec<(String, String)> {
            slots
                .iter()
                .map(|s| (s.key.to_string(), s.value.to_string()))
                .collect()
        };
        let key = format!(
            "{name}\0{}\0{}",
            self.table_of(lang),
            serde_json::to_string(fields).unwrap_or_default()
        );
        // Only the default theme's templates are ever cut: a known key is one of them.
        let known = self
            .cuts
            .read()
            .ok()
            .and_then(|cuts| cuts.get(&key).cloned());
        let cut = match known {
            Some(cut) => cut,
            None if !self.is_built_in(name) => return whole(&values(slots)),
            None => {
                let cut = Cut::new(&whole(&Cut::markers(slots))?, slots.len());
                // Trust the cut only if it reproduces a whole render of this use.
                let expected = whole(&values(slots))?;
                let cut = (cut.fill(slots, super::escape) == expected).then_some(cut);
                if let Ok(mut cuts) = self.cuts.write() {
                    cuts.insert(key, cut.clone());
                }
                if cut.is_none() {
                    return Ok(expected);
                }
                cut
            }
        };
        match cut {
            Some(cut) => Ok(cut.fill(slots, super::escape)),
            None => whole(&values(slots)),
        }
    }

    /// Whether the theme has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.tera(FALLBACK).get_template_names().any(|n| n == name)
    }

    /// Whether `name` is the default theme's own template (the site has not replaced it).
    pub fn is_built_in(&self, name: &str) -> bool {
        self.has(name) && !self.replaced.contains(name)
    }

    /// The string table pages in `lang` are rendered with: its own, else [`FALLBACK`]'s. Two
    /// languages with the same table render every template alike.
    pub fn table_of(&self, lang: &str) -> &str {
        self.strings
            .resolve(lang)
            .filter(|l| self.by_lang.contains_key(*l))
            .unwrap_or(FALLBACK)
    }

    /// The UI string `key` in `lang` (else English; the key itself when no table has it), for the
    /// few places where Rust code must hand text to a template as data.
    pub fn text(&self, lang: &str, key: &str) -> String {
        self.strings.get(lang, key).unwrap_or(key).to_string()
    }

    /// Whether `lang` has a string table of its own (else pages in it get English strings).
    pub fn knows(&self, lang: &str) -> bool {
        self.strings.resolve(lang).is_some()
    }

    fn tera(&self, lang: &str) -> &Tera {
        self.strings
            .resolve(lang)
            .and_then(|l| self.by_lang.get(l))
            .or_else(|| self.by_lang.get(FALLBACK))
            .expect("the English table is built in")
    }
}

/// The template function `t` of one language.
struct Translate {
    strings: Arc<Strings>,
    lang: String,
}

impl tera::Function for Translate {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let key = match args.get("key") {
            Some(Value::String(key)) => key,
            _ => {
                return Err("`t` needs a string argument `key`, as in t(key=\"pager.next\")".into())
            }
        };
        // The copy's own language is a table name already: no code to normalise per call.
        let text = match args.get("lang") {
            Some(Value::String(lang)) => self.strings.get(lang, key),
            _ => self.strings.get_in(&self.lang, key),
        };
        let text = text.ok_or_else(|| {
            tera::Error::msg(format!(
                "no UI string `{key}`: add it to the theme's i18n/{FALLBACK}.toml (and the other languages)"
            ))
        })?;
        if args.len() == 1 {
            return Ok(Value::String(text.to_string()));
        }
        Ok(Value::String(crate::i18n::fill(text, |name| {
            args.get(name).map(|v| match v {
                Value::String(s) => s.as_str().into(),
                other => other.to_string().into(),
            })
        })))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// Replace every `{{ t(key="…") }}` with a literal key (no other argument, no filter) in the
/// compiled templates of one language by the text it renders, so a page render no longer calls
/// `t` for text that is the same on every page. A key without a text stays a call (its render
/// error names the key); so does every call whose output could differ: text that escaping
/// changes, when some template is not escaped (Tera escapes per rendered template, by its name).
fn resolve_literal_calls(tera: &mut Tera, strings: &Strings, lang: &str) {
    let escaped_everywhere = tera.templates.values().all(|t| {
        let name = t.path.as_deref().unwrap_or(&t.name);
        tera.autoescape_suffixes.iter().any(|s| name.ends_with(s))
    });
    let text_of = |key: &str| -> Option<String> {
        let text = strings.get_in(lang, key)?;
        let escaped = super::escape(text);
        (escaped_everywhere || escaped == text).then_some(escaped)
    };
    for template in tera.templates.values_mut() {
        literal_calls_in(&mut template.ast, &text_of);
        for block in template.blocks.values_mut() {
            literal_calls_in(&mut block.body, &text_of);
        }
        for definitions in template.blocks_definitions.values_mut() {
            for (_, block) in definitions {
                literal_calls_in(&mut block.body, &text_of);
            }
        }
        for definition in template.macros.values_mut() {
            literal_calls_in(&mut definition.body, &text_of);
        }
    }
}

fn literal_calls_in(nodes: &mut [Node], text_of: &impl Fn(&str) -> Option<String>) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => {
                if let Some(text) = literal_key(expr).and_then(text_of) {
                    *node = Node::Text(text);
                }
            }
            Node::MacroDefinition(_, definition, _) => {
                literal_calls_in(&mut definition.body, text_of)
            }
            Node::FilterSection(_, section, _) => literal_calls_in(&mut section.body, text_of),
            Node::Block(_, block, _) => literal_calls_in(&mut block.body, text_of),
            Node::Forloop(_, forloop, _) => {
                literal_calls_in(&mut forloop.body, text_of);
                if let Some(body) = &mut forloop.empty_body {
                    literal_calls_in(body, text_of);
                }
            }
            Node::If(branches, _) => {
                for (_, _, body) in &mut branches.conditions {
                    literal_calls_in(body, text_of);
                }
                if let Some((_, body)) = &mut branches.otherwise {
                    literal_calls_in(body, text_of);
                }
            }
            _ => {}
        }
    }
}

/// The key of `t(key="…")` with nothing else: no other argument, no filter, no `not`.
fn literal_key(expr: &Expr) -> Option<&str> {
    let ExprVal::FunctionCall(call) = &expr.val else {
        return None;
    };
    if call.name != "t" || call.args.len() != 1 || expr.negated || !expr.filters.is_empty() {
        return None;
    }
    match call.args.get("key") {
        Some(Expr {
            val: ExprVal::String(key),
            negated: false,
            filters,
        }) if filters.is_empty() => Some(key),
        _ => None,
    }
}

/// The template a Tera compile error names, for the error message.
pub(crate) fn template_name(error: &tera::Error) -> String {
    match &error.kind {
        tera::ErrorKind::Msg(message) => message.split('\'').nth(1).unwrap_or("theme").to_string(),
        _ => "theme".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(templates: &[(&str, &str)], site_strings: &[(&str, &str)]) -> Theme {
        let mut theme = Theme {
            strings: Strings::built_in(),
            ..Theme::default()
        };
        for (lang, text) in site_strings {
            theme.strings.add(lang, text).unwrap();
        }
        for (name, source) in templates {
            theme.templates.insert(name.to_string(), source.to_string());
        }
        theme
    }

    #[test]
    fn t_picks_the_language_the_template_is_rendered_in() {
        let t = Templates::new(&theme(&[("x.html", "{{ t(key=\"pager.next\") }}")], &[])).unwrap();
        let empty = serde_json::json!({});
        assert_eq!(t.render("x.html", "nb", &empty).unwrap(), "Neste");
        assert_eq!(t.render("x.html", "nn-NO", &empty).unwrap(), "Neste");
        assert_eq!(t.render("x.html", "en", &empty).unwrap(), "Next");
        assert_eq!(t.render("x.html", "fr", &empty).unwrap(), "Next");
        assert!(t.knows("nb") && !t.knows("fr"));
    }

    #[test]
    fn site_strings_win_and_add_languages() {
        let t = Templates::new(&theme(
            &[(
                "x.html",
                "{{ t(key=\"pager.next\") }}|{{ t(key=\"pager.prev\") }}",
            )],
            &[
                ("nb", "pager.next = \"Videre\""),
                ("de", "[pager]\nnext = \"Weiter\""),
            ],
        ))
        .unwrap();
        let empty = serde_json::json!({});
        assert_eq!(t.render("x.html", "nb", &empty).unwrap(), "Videre|Forrige");
        assert_eq!(t.render("x.html", "de", &empty).unwrap(), "Weiter|Previous");
    }

    #[test]
    fn arguments_fill_placeholders_and_output_is_escaped() {
        let t = Templates::new(&theme(
            &[(
                "x.html",
                "{{ t(key=\"search.hits\", n=n, query=q) }}|{{ t(key=\"pager.next\", lang=\"en\") }}",
            )],
            &[],
        ))
        .unwrap();
        let context = serde_json::json!({"n": 2, "q": "<b>"});
        assert_eq!(
            t.render("x.html", "nb", &context).unwrap(),
            "2 treff for «&lt;b&gt;»|Next"
        );
    }

    #[test]
    fn an_unknown_key_is_an_error_naming_it() {
        let t = Templates::new(&theme(&[("x.html", "{{ t(key=\"no.such\") }}")], &[])).unwrap();
        let err = t
            .render("x.html", "nb", &serde_json::json!({}))
            .unwrap_err();
        let chain = err.chain();
        assert!(chain.contains("no.such"), "{chain}");
    }

    #[test]
    fn rust_code_renders_named_templates_and_reads_strings() {
        let t = Templates::new(&theme(&[("api/op.html", "<h2>{{ op.name }}</h2>")], &[])).unwrap();
        let html = t
            .render(
                "api/op.html",
                "en",
                &serde_json::json!({"op": {"name": "a&b"}}),
            )
            .unwrap();
        assert_eq!(html, "<h2>a&amp;b</h2>");
        assert!(t.has("api/op.html") && !t.has("api/none.html"));
        assert_eq!(t.text("nb", "admonition.warning"), "Advarsel");
        assert_eq!(t.text("en", "no.such"), "no.such");
    }

    /// How many `t(key="…")` calls with a literal key are left in the compiled templates.
    fn literal_calls_left(templates: &Templates) -> usize {
        let left = std::cell::Cell::new(0);
        let count = |_: &str| {
            left.set(left.get() + 1);
            None
        };
        for tera in templates.by_lang.values() {
            for template in tera.templates.values() {
                literal_calls_in(&mut template.ast.clone(), &count);
                for block in template.blocks.values() {
                    literal_calls_in(&mut block.body.clone(), &count);
                }
                for (_, block) in template.blocks_definitions.values().flatten() {
                    literal_calls_in(&mut block.body.clone(), &count);
                }
                for definition in template.macros.values() {
                    literal_calls_in(&mut definition.body.clone(), &count);
                }
            }
        }
        left.get()
    }

    /// `t` with a literal key is resolved when the templates are compiled, wherever it stands (a
    /// block of an extended template, a macro of an included one, a loop, a branch), and renders
    /// as the call did; a call with more arguments stays a call.
    #[test]
    fn literal_keys_are_resolved_once_and_render_as_the_call_did() {
        let t = Templates::new(&theme(
            &[
                (
                    "base.html",
                    "{% import \"m.html\" as m %}<{% block main %}{% endblock main %}>{{ m::label() }}{% include \"part.html\" %}",
                ),
                ("part.html", "({{ t(key=\"pager.label\") }})"),
                (
                    "m.html",
                    "{% macro label() %}[{{ t(key=\"pager.prev\") }}]{% endmacro label %}",
                ),
                (
                    "page.html",
                    "{% extends \"base.html\" %}{% block main %}{% for i in [1, 2] %}{% if i == 2 %}{{ t(key=\"pager.next\") }}{% endif %}{% endfor %}|{{ t(key=\"pager.next\", lang=\"en\") }}{% endblock main %}",
                ),
            ],
            &[("nb", "pager.next = \"A & B\"")],
        ))
        .unwrap();
        let empty = serde_json::json!({});
        assert_eq!(
            t.render("page.html", "nb", &empty).unwrap(),
            "<A &amp; B|Next>[Forrige](Forrige og neste side)"
        );
        assert_eq!(
            t.render("page.html", "en", &empty).unwrap(),
            "<Next|Next>[Previous](Previous and next page)"
        );
        assert_eq!(literal_calls_left(&t), 0);
    }

    /// Tera escapes by the name of the template rendered: a text that escaping changes stays a call
    /// while some template is not escaped, so each renders it as before.
    #[test]
    fn a_text_escaping_changes_stays_a_call_beside_an_unescaped_template() {
        let t = Templates::new(&theme(
            &[
                (
                    "x.txt",
                    "{{ t(key=\"pager.next\") }}|{{ t(key=\"pager.prev\") }}",
                ),
                (
                    "x.html",
                    "{{ t(key=\"pager.next\") }}|{{ t(key=\"pager.prev\") }}",
                ),
            ],
            &[("nb", "pager.next = \"A & B\"")],
        ))
        .unwrap();
        let empty = serde_json::json!({});
        assert_eq!(t.render("x.txt", "nb", &empty).unwrap(), "A & B|Forrige");
        assert_eq!(
            t.render("x.html", "nb", &empty).unwrap(),
            "A &amp; B|Forrige"
        );
        // Only the two `pager.next` calls of the bokmål copy are left.
        assert_eq!(literal_calls_left(&t), 2);
    }

    /// Every UI string the built-in templates name by a literal key is resolved when they are
    /// compiled: no page render calls `t` for them.
    #[test]
    fn the_built_in_templates_keep_no_literal_calls() {
        let t = Templates::new(&Theme::built_in()).unwrap();
        assert_eq!(literal_calls_left(&t), 0);
    }

    fn slot<'a>(key: &'a str, value: &'a str, raw: bool) -> Slot<'a> {
        Slot { key, value, raw }
    }

    /// Heading, code and table templates filled through their cuts give exactly what a whole
    /// render gives, for values that need escaping and for empty ones, in every language.
    #[test]
    fn cuts_of_the_default_templates_equal_whole_renders() {
        let templates = Templates::new(&Theme::built_in()).unwrap();
        let texts = [
            "Kom i gang",
            "a < b & \"c\" 'd'",
            "",
            "{title}",
            "\u{e000}x",
        ];
        for lang in ["nb", "en", "xx"] {
            for (n, text) in texts.iter().enumerate() {
                for level in [1, 2, 6] {
                    let fields = serde_json::json!({ "level": level });
                    let id = format!("id-{n}&");
                    let slots = [
                        slot("id", &id, false),
                        slot("text", text, false),
                        slot("body", "<em>x</em>", true),
                    ];
                    let mut whole = Context::from_serialize(&fields).unwrap();
                    for s in &slots {
                        whole.insert(s.key, s.value);
                    }
                    let name = "markdown/heading.html";
                    assert_eq!(
                        templates.render_slots(name, lang, &fields, &slots).unwrap(),
                        templates.render_context(name, lang, &whole).unwrap(),
                        "{lang} {level} {text:?}"
                    );
                }
                for code_lang in ["", "bash", "power\"shell"] {
                    let fields = serde_json::json!({ "lang": code_lang });
                    let code = format!("<span>{text}</span>");
                    let slots = [slot("code", &code, true)];
                    let mut whole = Context::from_serialize(&fields).unwrap();
                    whole.insert("code", &code);
                    let name = "markdown/code.html";
                    assert_eq!(
                        templates.render_slots(name, lang, &fields, &slots).unwrap(),
                        templates.render_context(name, lang, &whole).unwrap()
                    );
                }
            }
        }
    }

    /// A site's own template may do anything with a value: it is rendered whole for every use.
    #[test]
    fn a_sites_template_is_rendered_whole_for_every_use() {
        let templates = Templates::new(&theme(
            &[("markdown/heading.html", "<h{{ level }}>{{ text | upper }}{% if id == \"b\" %}!{% endif %}{{ body }}</h{{ level }}>")],
            &[],
        ))
        .unwrap();
        let render = |id, text| {
            let slots = [
                slot("id", id, false),
                slot("text", text, false),
                slot("body", "", true),
            ];
            let fields = serde_json::json!({ "level": 2 });
            templates
                .render_slots("markdown/heading.html", "nb", &fields, &slots)
                .unwrap()
        };
        assert_eq!(render("a", "små"), "<h2>SMÅ</h2>");
        assert_eq!(render("b", "to"), "<h2>TO!</h2>");
    }
}
