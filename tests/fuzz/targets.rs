//! The fuzz targets: front matter, the Markdown pass with every flavour's pre-pass, the curl and
//! PowerShell parsers, and the OpenAPI/Gravitee loader. Each is one test.

use crate::driver::{files, fuzz, shared};
use intark_docs::diag::LineIndex;
use intark_docs::limits::Limits;
use intark_docs::markdown::{self, Highlighter};
use intark_docs::routes::Resolver;
use intark_docs::snippets::{self, Language};
use std::path::Path;
use std::sync::OnceLock;

/// Markdown pages of the corpora, the seed pages and the project's own guide.
fn pages() -> Vec<String> {
    let mut seeds = files(
        &shared().join("corpora"),
        &[".md", ".mdx", ".markdown"],
        200_000,
    );
    seeds.extend(files(&shared().join("seeds"), &[".txt"], 200_000));
    seeds.extend(files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        &[".md"],
        200_000,
    ));
    seeds
}

/// Fenced code blocks of the pages that call an API with curl or PowerShell.
fn snippets_of(pages: &[String], words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for page in pages {
        let mut block: Option<String> = None;
        for line in page.lines() {
            let fence = line.trim_start().starts_with("```");
            match (&mut block, fence) {
                (None, true) => block = Some(String::new()),
                (Some(text), true) => {
                    if words.iter().any(|w| text.contains(w)) {
                        found.push(std::mem::take(text));
                    }
                    block = None;
                }
                (Some(text), false) => {
                    text.push_str(line);
                    text.push('\n');
                }
                (None, false) => {}
            }
        }
    }
    found
}

const YAML_TOKENS: &[&str] = &[
    "---\n",
    "+++\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "!!str ",
    "!!int ",
    "|\n",
    ">-\n",
    "\"\\u00e5\"",
    "'",
    "\t",
    "\u{feff}",
    "title: ",
    "sidebar_position: ",
    "tags: [a, b]\n",
    "draft: true\n",
    "\r\n",
    "0x1F",
    ".inf",
    "~",
];

const MARKDOWN_TOKENS: &[&str] = &[
    "{{< ",
    " >}}",
    "{{% ",
    " %}}",
    "{{< /",
    "{{% /",
    "{% raw %}",
    "{% endraw %}",
    "{{ site.baseurl }}",
    "{{ page.url }}",
    "{:toc}",
    "{: .note}",
    "* TOC\n",
    ":::note\n",
    ":::\n",
    "<!-- ",
    " -->",
    "{/* ",
    " */}",
    "[x](",
    ")",
    "](#",
    "![i](",
    "[ref]: ",
    "```bash\n",
    "```\n",
    "~~~\n",
    "| a | b |\n|---|---|\n",
    "# ",
    "## Heading {#id}\n",
    "TODO",
    "<a href=\"",
    "\">",
    "<img src=\"",
    "[^1]",
    "- [ ] ",
    "\\",
    "`",
    "{{< ref \"",
    "{{< relref \"",
    "{{< notice warning >}}",
    "{{< highlight go >}}",
    "{{% expand \"x\" %}}",
    "{{< figure src=\"",
    "{{< children >}}",
    "{{< tabpane >}}",
    "{% include x.html %}",
    "{% if %}",
    "<details>",
    "</details>",
    "\u{200b}",
    "æøå",
];

const SHELL_TOKENS: &[&str] = &[
    "curl ",
    "-X ",
    "POST ",
    "-H ",
    "\"X-Gravitee-Api-Key: $INTARK_API_KEY\" ",
    "-d ",
    "--data-raw ",
    "'{\"a\": 1}' ",
    "https://gw-uio.intark.uh-it.no/lonn/v1/",
    "\\\n",
    "$(",
    "`",
    "${",
    "}",
    "|",
    ";",
    "&&",
    "\"",
    "'",
    "$'\\x41'",
    "<<EOF\n",
    "EOF\n",
    "--url ",
    "-G ",
    "--data-urlencode ",
    "-u ",
    "--json ",
    "-F ",
    "@file",
    "# ",
    "\n",
];

const POWERSHELL_TOKENS: &[&str] = &[
    "Invoke-RestMethod ",
    "Invoke-WebRequest ",
    "-Uri ",
    "-Method ",
    "Post ",
    "-Headers ",
    "-Body ",
    "@{",
    "}",
    "\"X-Gravitee-Api-Key\" = $env:INTARK_API_KEY",
    "; ",
    "@'\n",
    "\n'@",
    "@\"\n",
    "\n\"@",
    "$headers = ",
    "| ConvertTo-Json",
    "-Depth 5",
    "`",
    "`n",
    "$(",
    ")",
    "$var",
    "'",
    "\"",
    "\n",
    "https://gw-uio.intark.uh-it.no/lonn/v1/",
    "-ContentType ",
    "'application/json' ",
    "[ordered]",
];

const SPEC_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"$ref\": \"#/components/schemas/A\"",
    "\"$ref\": \"#/definitions/A\"",
    "$ref: '#/components/schemas/A'\n",
    "\"openapi\": \"3.1.0\"",
    "\"swagger\": \"2.0\"",
    "openapi: 3.0.0\n",
    "\"type\": [\"string\", \"null\"]",
    "\"allOf\": [",
    "\"oneOf\": [",
    "\"items\": {",
    "\"properties\": {",
    "\"paths\": {\"/a/{id}\": {\"get\": {}}}",
    "\"pages\": [",
    "\"type\": \"SWAGGER\"",
    "\"content\": \"",
    "\"proxy\": {\"virtual_hosts\": [{\"path\": \"/x\"}]}",
    "&a ",
    "*a",
    "null",
    "1e999",
    "-0",
    "\"\\ud800\"",
    ",",
    ":",
];

#[test]
fn fuzz_front_matter() {
    let limits = Limits::default();
    fuzz("front-matter", pages(), YAML_TOKENS, &[], |text| {
        let lines = LineIndex::new(text);
        let (_, body, _) =
            intark_docs::frontmatter::parse(Path::new("p.md"), text, &lines, &limits);
        assert!(body <= text.len() && text.is_char_boundary(body));
    });
}

#[test]
fn fuzz_markdown_pass() {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    let highlighter = HIGHLIGHTER.get_or_init(Highlighter::default);
    let resolver = Resolver::new(
        "/docs",
        [("a.md", "/docs/a/"), ("b/index.md", "/docs/b/")],
        ["/img/logo.png".to_string()],
    );
    let words = markdown::todo::Words::default();
    let children = vec![("Barn".to_string(), "/docs/b/barn/".to_string())];
    fuzz("markdown", pages(), MARKDOWN_TOKENS, &[], |text| {
        let split = intark_docs::frontmatter::split(text);
        let ctx = markdown::Context {
            resolver: &resolver,
            highlighter,
            todo_words: &words,
            rel_path: "a.md",
            route: "/docs/a/",
            html: true,
            foreign: markdown::rewrite::Env {
                route: "/docs/a/",
                site_url: "https://example.no",
                base_path: "/docs",
                children: &children,
                ..Default::default()
            },
            heading_ids: intark_docs::slug::Style::Github,
        };
        let rendered = markdown::render(text, split.body_offset, &ctx);
        for heading in &rendered.headings {
            assert!(!heading.id.contains(' '), "{heading:?}");
        }
    });
}

fn key(name: &str) -> Option<String> {
    (name == "INTARK_API_KEY" || name == "API_NOKKEL").then(|| "fuzz-key".to_string())
}

#[test]
fn fuzz_curl_parser() {
    let mut seeds = snippets_of(&pages(), &["curl"]);
    seeds.push(
        "curl -X POST -H \"X-Gravitee-Api-Key: $INTARK_API_KEY\" -d '{\"a\":1}' https://gw-uio.intark.uh-it.no/x/v1/a\n"
            .into(),
    );
    fuzz("curl", seeds, SHELL_TOKENS, &[], |text| {
        let _ = snippets::parse(Language::Curl, text, &key);
    });
}

#[test]
fn fuzz_powershell_parser() {
    let mut seeds = snippets_of(&pages(), &["Invoke-", "$env:"]);
    seeds.push(
        "$headers = @{ \"X-Gravitee-Api-Key\" = $env:INTARK_API_KEY }\n$body = @{ a = 1 } | ConvertTo-Json\nInvoke-RestMethod -Uri \"https://gw-uio.intark.uh-it.no/x/v1/a\" -Method Post -Headers $headers -Body $body -ContentType 'application/json'\n"
            .into(),
    );
    fuzz("powershell", seeds, POWERSHELL_TOKENS, &[], |text| {
        let _ = snippets::parse(Language::PowerShell, text, &key);
    });
}

#[test]
fn fuzz_openapi_loader() {
    let mut seeds = files(
        &shared().join("specs"),
        &[".json", ".yml", ".yaml"],
        2_000_000,
    );
    seeds.extend(files(
        &shared().join("corpora"),
        &[".json", ".yaml", ".yml"],
        400_000,
    ));
    seeds.extend(files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi"),
        &[".json", ".yaml", ".yml"],
        2_000_000,
    ));
    let dir = tempfile::tempdir().expect("temp dir");
    let openapi = dir.path().join("openapi");
    std::fs::create_dir_all(&openapi).unwrap();
    let limits = Limits::default();
    fuzz("openapi", seeds, SPEC_TOKENS, &[], |text| {
        let json = text.trim_start().starts_with('{');
        let file = openapi.join(if json { "spec.json" } else { "spec.yaml" });
        let other = openapi.join(if json { "spec.yaml" } else { "spec.json" });
        let _ = std::fs::remove_file(other);
        std::fs::write(&file, text).unwrap();
        let (catalog, _) = intark_docs::openapi::load_within(
            &intark_docs::openapi::Source {
                dir: &openapi,
                root: dir.path(),
                gateway_host_suffix: ".intark.uh-it.no",
                apis: &[],
            },
            &limits,
        );
        assert!(catalog.apis.len() <= 1);
    });
}
