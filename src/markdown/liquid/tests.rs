use super::*;

fn engine(root: &Path) -> Liquid {
    let root = root.to_path_buf();
    Liquid::new(SiteInput {
        read: Arc::new(move |rel: &str| std::fs::read_to_string(root.join(rel)).ok()),
        data: serde_json::json!({}),
        config: serde_json::json!({"title": "Nettsted", "repository": "o/r"}),
        baseurl: "/base",
        url: "https://x.no",
        pages: vec![
            PageInfo {
                path: "docs/a.md".into(),
                url: "/docs/a/".into(),
                ..PageInfo::default()
            },
            PageInfo {
                path: "_posts/2024-01-02-hei.md".into(),
                url: "/2024/01/02/hei.html".into(),
                collection: Some("posts".into()),
                ..PageInfo::default()
            },
        ],
    })
    .unwrap()
}

fn run(root: &Path, body: &str) -> (Rewritten, Vec<Found>) {
    let page = PageInfo {
        path: "docs/b.md".into(),
        url: "/docs/b/".into(),
        front: serde_json::json!({"title": "Side B", "tags": ["x", "y"]})
            .as_object()
            .unwrap()
            .clone(),
        ..PageInfo::default()
    };
    let mut found = Vec::new();
    let r = engine(root).render(body, &page.value(), "docs", &mut found);
    (r, found)
}

#[test]
fn variables_tags_and_filters_render_and_text_keeps_its_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let body = "# {{ page.title }}\n[a]({% link docs/a.md %}) [p]({% post_url 2024-01-02-hei %})\n{% assign n = page.tags | size %}n={{ n }} {{ \"/x/\" | relative_url }} {{ site.title | slugify }}\netter\n";
    let (r, found) = run(dir.path(), body);
    assert!(found.is_empty(), "{found:?}");
    assert!(r.text.starts_with("# Side B\n"), "{}", r.text);
    assert!(r.text.contains("[a](/base/docs/a/)"), "{}", r.text);
    assert!(
        r.text.contains("[p](/base/2024/01/02/hei.html)"),
        "{}",
        r.text
    );
    assert!(r.text.contains("n=2 /base/x/ nettsted"), "{}", r.text);
    let after = r.text.find("etter").unwrap();
    assert_eq!(r.original(after), body.find("etter").unwrap());
    let link = r.text.find("/base/docs/a/").unwrap();
    assert_eq!(r.original(link), body.find("{% link").unwrap());
}

#[test]
fn includes_take_parameters_and_relative_includes_read_the_page_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("_includes")).unwrap();
    std::fs::create_dir_all(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("_includes/note.md"),
        "> **{{ include.title }}** {% seo %}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("docs/del.md"), "Delt {{ site.title }}\n").unwrap();
    let (r, found) = run(
        dir.path(),
        "{% include note.md title=\"Obs\" %}\n{% include_relative del.md %}\n",
    );
    assert!(found.is_empty(), "{found:?}");
    assert!(r.text.contains("> **Obs**"), "{}", r.text);
    assert!(r.text.contains("Delt Nettsted"), "{}", r.text);
}

#[test]
fn highlight_becomes_a_fence_and_raw_stays_literal() {
    let dir = tempfile::tempdir().unwrap();
    let (r, found) = run(
        dir.path(),
        "{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n{% raw %}{{ x }}{% endraw %}\n",
    );
    assert!(found.is_empty(), "{found:?}");
    assert!(r.text.contains("```ruby\nputs 1\n```"), "{}", r.text);
    assert!(r.text.contains("{{ x }}"), "{}", r.text);
}

#[test]
fn unknown_tags_warn_and_bad_constructs_are_reported_alone() {
    let dir = tempfile::tempdir().unwrap();
    let body = "a {% tabs %}b{% endtabs %}\n{{ nope.x }}\n{% link docs/none.md %}\nc {{ site.title }}\n{% if %}\n";
    let (r, found) = run(dir.path(), body);
    assert!(
        !r.text.contains("{%") && !r.text.contains("{{"),
        "{}",
        r.text
    );
    assert!(r.text.contains("c Nettsted"), "{}", r.text);
    let rules: Vec<_> = found.iter().map(|f| (f.rule, f.offset)).collect();
    assert!(rules.contains(&(RULE_UNKNOWN, 2)), "{found:?}");
    assert!(
        rules.contains(&(RULE_UNKNOWN, body.find("{{ nope").unwrap())),
        "{found:?}"
    );
    assert!(
        rules.contains(&(RULE, body.find("{% link").unwrap())),
        "{found:?}"
    );
    assert!(
        rules.contains(&(RULE, body.find("{% if").unwrap())),
        "an unclosed block: {found:?}"
    );
}

#[test]
fn whitespace_control_trims_the_text_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(dir.path(), "a  \n{%- assign x = 1 -%}\n  b\n");
    assert_eq!(r.text, "ab\n");
}

#[test]
fn a_filter_the_engine_lacks_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    // A plugin's filter (jekyll-email-protect's), not Jekyll's own.
    let body = "a {{ site.title | encode_email | size }} b\n";
    let (r, found) = run(dir.path(), body);
    assert_eq!(r.text, "a  b\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, RULE_UNKNOWN);
    assert!(found[0].message.contains("`encode_email`"), "{found:?}");
}

#[test]
fn an_undefined_variable_does_not_lose_what_assign_set() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{% assign x = \"kept\" %}{% capture y %}also{% endcapture %}\n{{ nowhere }}\n{{ x }} {{ y }}\n";
    let (r, found) = run(dir.path(), body);
    assert!(r.text.contains("kept also"), "{}", r.text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].rule, RULE_UNKNOWN);
    assert_eq!(found[0].offset, body.find("{{ nowhere").unwrap());
}

#[test]
fn where_exp_keeps_the_items_its_condition_holds_for() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{{ page.tags | where_exp: \"t\", \"t == 'y'\" | join: \",\" }}|{% assign posts = site.pages | where_exp: \"p\", \"p.url contains '/docs/'\" %}{{ posts | size }}\n";
    let (r, found) = run(dir.path(), body);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(r.text, "y|1\n");
}

#[test]
fn group_by_and_site_categories_are_jekylls() {
    let dir = tempfile::tempdir().unwrap();
    let body = "{% assign g = site.pages | group_by: \"url\" %}{{ g.size }} {{ g.first.name }} {{ g.first.size }}|{{ site.categories | size }}|{% for p in site.posts %}{{ p.categories | size }}{{ p.tags | size }}{% endfor %}\n";
    let (r, found) = run(dir.path(), body);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(r.text, "1 /docs/a/ 1|0|00\n");
}
