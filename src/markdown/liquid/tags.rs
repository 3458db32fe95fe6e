//! Jekyll's own Liquid tags (<https://jekyllrb.com/docs/liquid/tags/>): `link` and `post_url` (the
//! URL of a page or post by its source path), `highlight` (a code block), `include_cached` (the
//! jekyll-include-cache plugin: an include), and plugin tags whose output belongs in the layout
//! (`seo`, `feed_meta`), which give nothing in a page body.

use liquid_core::error::ResultLiquidExt;
use liquid_core::{
    BlockReflection, Error, Language, ParseBlock, ParseTag, Renderable, Result, Runtime, TagBlock,
    TagReflection, TagTokenIter, Template,
};
use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

/// Source path (relative to the site root) → URL, for `link`; post name → URL, for `post_url`.
#[derive(Debug, Default)]
pub(super) struct Urls {
    pub by_path: HashMap<String, String>,
    pub posts: HashMap<String, String>,
}

fn rest(arguments: TagTokenIter<'_>) -> String {
    arguments
        .map(|t| t.as_str().to_string())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_string()
}

fn write(writer: &mut dyn Write, text: &str) -> Result<()> {
    writer
        .write_all(text.as_bytes())
        .map_err(|e| Error::with_msg(format!("cannot write: {e}")))
}

/// `{% link path %}` and `{% post_url name %}`.
#[derive(Debug, Clone)]
pub(super) struct LinkTag {
    pub name: &'static str,
    pub urls: Arc<Urls>,
}

impl TagReflection for LinkTag {
    fn tag(&self) -> &str {
        self.name
    }
    fn description(&self) -> &str {
        "the URL of a page by its source path"
    }
}

impl ParseTag for LinkTag {
    fn parse(&self, arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(Link {
            name: self.name,
            target: rest(arguments),
            urls: Arc::clone(&self.urls),
        }))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Link {
    name: &'static str,
    target: String,
    urls: Arc<Urls>,
}

impl Renderable for Link {
    fn render_to(&self, writer: &mut dyn Write, _: &dyn Runtime) -> Result<()> {
        let target = self
            .target
            .trim_matches(['"', '\''])
            .trim_start_matches("./")
            .trim_start_matches('/');
        let found = if self.name == "post_url" {
            self.urls.posts.get(target)
        } else {
            self.urls.by_path.get(target)
        };
        match found {
            Some(url) => write(writer, url),
            None => Err(Error::with_msg(format!(
                "`{{% {} {} %}}`: no page has the source path `{}` (Jekyll stops the build here)",
                self.name, self.target, target
            ))),
        }
    }
}

/// Tags whose output belongs in the layout: nothing in a page body.
#[derive(Debug, Clone)]
pub(super) struct SilentTag(pub &'static str);

impl TagReflection for SilentTag {
    fn tag(&self) -> &str {
        self.0
    }
    fn description(&self) -> &str {
        "a plugin tag for the layout"
    }
}

impl ParseTag for SilentTag {
    fn parse(&self, _: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        Ok(Box::new(Silent))
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct Silent;

impl Renderable for Silent {
    fn render_to(&self, _: &mut dyn Write, _: &dyn Runtime) -> Result<()> {
        Ok(())
    }
}

/// `{% include_cached %}`: Jekyll's `include` under another name.
#[derive(Debug, Clone, Copy)]
pub(super) struct IncludeCached;

impl TagReflection for IncludeCached {
    fn tag(&self) -> &str {
        "include_cached"
    }
    fn description(&self) -> &str {
        "jekyll-include-cache: an include"
    }
}

impl ParseTag for IncludeCached {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        liquid_lib::jekyll::IncludeTag.parse(arguments, options)
    }
    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

/// `{% highlight lang [linenos] %}…{% endhighlight %}`: a fenced code block for the Markdown pass.
#[derive(Debug, Clone, Copy)]
pub(super) struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }
    fn end_tag(&self) -> &str {
        "endhighlight"
    }
    fn description(&self) -> &str {
        "a code block"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let args = rest(arguments);
        let language = args.split_whitespace().next().unwrap_or("").to_string();
        let body = Template::new(
            tokens
                .parse_all(options)
                .trace_with(|| "{% highlight %}".into())?,
        );
        tokens.assert_empty();
        Ok(Box::new(Highlight { language, body }))
    }
    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Highlight {
    language: String,
    body: Template,
}

impl Renderable for Highlight {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let code = self.body.render(runtime)?;
        let code = code.trim_start_matches(['\n', '\r']).trim_end();
        write(writer, &fence(&self.language, code))
    }
}

/// A fenced code block holding `code`, with a fence longer than any backtick run in it.
pub(super) fn fence(language: &str, code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("\n{ticks}{language}\n{code}\n{ticks}\n")
}

#[cfg(test)]
mod tests {
    use super::fence;

    #[test]
    fn fences_outgrow_the_code() {
        assert_eq!(fence("rb", "a"), "\n```rb\na\n```\n");
        assert!(fence("", "````").contains("`````\n````\n`````"));
    }
}
