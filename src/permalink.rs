//! Jekyll's URL model (<https://jekyllrb.com/docs/permalinks/>): the URL of a page, a post or a
//! collection document from its path, its front matter `permalink`, its collection's `permalink`,
//! the site's `permalink` style and `defaults:`. No Docusaurus rule applies: number prefixes and
//! date-like names stay, `README.md` is an ordinary page.

use crate::config::JekyllSite;

/// What the URL of one Jekyll source depends on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Source<'a> {
    /// Path relative to the site root (`docs/a.md`, `_docs/b.md`, `_posts/2024-01-02-hei.md`).
    pub path: &'a str,
    /// `permalink` in the front matter.
    pub permalink: Option<&'a str>,
    /// `slug` in the front matter.
    pub slug: Option<&'a str>,
    /// `date` in the front matter.
    pub date: Option<&'a str>,
    /// `categories` / `category` in the front matter.
    pub categories: &'a [String],
}

/// Whether Jekyll converts the file at `path` as Markdown (its default `markdown_ext`:
/// `markdown,mkdown,mkdn,mkd,md`). Any other file with front matter is a page too, its text kept
/// as it is after Liquid (Jekyll's Identity converter).
pub fn is_markdown(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ["markdown", "mkdown", "mkdn", "mkd", "md"]
        .iter()
        .any(|m| ext.eq_ignore_ascii_case(m))
}

/// The collection of a path (`_docs/a.md` → `docs`), if it is in one of the site's.
pub fn collection<'s>(
    site: &'s JekyllSite,
    path: &str,
) -> Option<&'s crate::config::JekyllCollection> {
    let (first, _) = path.split_once('/')?;
    let name = first.strip_prefix('_')?;
    site.collection(name)
}

/// Jekyll's `Utils.add_permalink_suffix`: what a style adds after `/:path/:basename`.
fn suffix(style: &str) -> &'static str {
    match style {
        "pretty" => "/",
        "date" | "ordinal" | "none" | "weekdate" => ":output_ext",
        s if s.ends_with('/') => "/",
        s if s.ends_with(":output_ext") => ":output_ext",
        _ => "",
    }
}

/// The template of a built-in style for posts.
fn post_style(style: &str) -> String {
    match style {
        "pretty" => "/:categories/:year/:month/:day/:title/".into(),
        "none" => "/:categories/:title:output_ext".into(),
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext".into(),
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext".into(),
        "date" => "/:categories/:year/:month/:day/:title:output_ext".into(),
        custom => custom.into(),
    }
}

/// Jekyll's `Utils.slugify` in its default mode, keeping case (for `:title` and `:name`).
fn slugify(s: &str) -> String {
    crate::slug::dash_joined(s.chars(), |c| c.is_alphanumeric() || c == '_' || c == '.')
}

/// The URL of a source (without `baseurl`): `/docs/a/`, `/docs/a.html`, `/2024/01/02/hei.html`.
pub fn url(site: &JekyllSite, source: &Source<'_>) -> String {
    let path = source.path;
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let (basename, ext) = file.rsplit_once('.').unwrap_or((file, ""));
    let output_ext = match ext {
        "md" | "markdown" | "mkd" | "mkdn" | "mdown" | "html" | "htm" => ".html",
        _ => "",
    };
    let collection = collection(site, path);
    let is_post = collection.is_some_and(|c| c.name == "posts");
    // Posts: `YYYY-MM-DD-title.md`; the date of the name unless the front matter gives one.
    let (name_date, post_title) = if is_post {
        split_date(basename).map_or((None, basename), |(d, t)| (Some(d), t))
    } else {
        (None, basename)
    };
    let local = source.date.and_then(|d| local_date(site, d));
    let date = local
        .as_deref()
        .or_else(|| {
            source
                .date
                .and_then(|d| d.get(..10))
                .filter(|d| d.len() == 10)
        })
        .or(name_date);
    // The last matching `defaults:` entry wins.
    let default_permalink = site
        .defaults
        .iter()
        .rev()
        .find(|d| {
            let kind = match collection {
                Some(c) => c.name.as_str(),
                None => "pages",
            };
            d.kind.as_deref().is_none_or(|k| k == kind)
                && (d.path.is_empty()
                    || path == d.path
                    || path.starts_with(&format!("{}/", d.path)))
        })
        .map(|d| d.permalink.as_str());
    let permalink = source.permalink.or(default_permalink);
    let template = match (permalink, collection) {
        (Some(p), _) => match p {
            "pretty" | "date" | "none" | "ordinal" | "weekdate" if is_post => post_style(p),
            p => p.to_string(),
        },
        // `collections: posts: permalink:` comes before the site's style.
        (None, Some(c)) if is_post => post_style(c.permalink.as_deref().unwrap_or(&site.permalink)),
        (None, Some(c)) => c
            .permalink
            .clone()
            .unwrap_or_else(|| format!("/:collection/:path{}", suffix(&site.permalink))),
        (None, None) if output_ext == ".html" && basename == "index" => "/:path/".into(),
        (None, None) if output_ext != ".html" => "/:path/:basename:output_ext".into(),
        (None, None) => format!("/:path/:basename{}", suffix(&site.permalink)),
    };
    // `:path` of a document is its path inside the collection folder, without the extension.
    let doc_path = match collection {
        Some(c) => {
            let inside = path.strip_prefix(&format!("_{}/", c.name)).unwrap_or(path);
            inside
                .rsplit_once('.')
                .map_or(inside, |(p, _)| p)
                .to_string()
        }
        None => dir.to_string(),
    };
    let title = source
        .slug
        .map(slugify)
        .unwrap_or_else(|| slugify(post_title));
    let categories = if source.categories.is_empty() && is_post {
        // Folders above `_posts/` are categories.
        dir.split('/')
            .filter(|s| !s.is_empty() && *s != "_posts")
            .map(str::to_string)
            .collect::<Vec<_>>()
    } else {
        source.categories.to_vec()
    };
    let (year, month, day) = date.map_or(("", "", ""), |d| (&d[..4], &d[5..7], &d[8..10]));
    let mut pairs: Vec<(&str, String)> = vec![
        ("output_ext", output_ext.to_string()),
        (
            "collection",
            collection.map_or(String::new(), |c| c.name.clone()),
        ),
        ("categories", categories.join("/").to_lowercase()),
        ("basename", basename.to_string()),
        ("path", doc_path),
        ("name", slugify(basename)),
        ("title", title.clone()),
        ("slug", title),
        ("year", year.to_string()),
        ("month", month.to_string()),
        ("day", day.to_string()),
        ("i_month", month.trim_start_matches('0').to_string()),
        ("i_day", day.trim_start_matches('0').to_string()),
        ("short_year", year.get(2..).unwrap_or("").to_string()),
    ];
    // Longest names first, so `:path` never eats the start of a longer placeholder.
    pairs.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
    let mut url = template;
    for (key, value) in &pairs {
        url = url.replace(&format!(":{key}"), value);
    }
    sanitize(&url)
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A front-matter date with a UTC offset (`2013-05-06 02:12:52 +0200`), as the date in the site's
/// `timezone` (Jekyll sets `TZ` from it): `2013-05-05` in `America/Los_Angeles`. `None` without an
/// offset or a site time zone (the date as written is used).
fn local_date(site: &JekyllSite, written: &str) -> Option<String> {
    let written = written.trim();
    let num = |r: std::ops::Range<usize>| written.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, min) = (num(11..13)?, num(14..16)?);
    let sec = if written.get(16..17) == Some(":") {
        num(17..19)?
    } else {
        0
    };
    let zone = written.rsplit([' ', '+', '-']).next()?;
    let sign = match written
        .len()
        .checked_sub(zone.len() + 1)
        .and_then(|i| written.get(i..=i))
    {
        Some("+") => 1,
        Some("-") => -1,
        _ => return None,
    };
    let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 4 {
        return None;
    }
    let offset =
        sign * (digits[..2].parse::<i64>().ok()? * 3600 + digits[2..].parse::<i64>().ok()? * 60);
    let unix = days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + sec - offset;
    let local = unix + i64::from(site.utc_offset_at(unix)?);
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// `YYYY-MM-DD-rest` → (`YYYY-MM-DD`, `rest`).
fn split_date(name: &str) -> Option<(&str, &str)> {
    let date = name.get(..10)?;
    let bytes = date.as_bytes();
    let ok = bytes.iter().enumerate().all(|(i, b)| {
        if i == 4 || i == 7 {
            *b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    let rest = name.get(10..)?.strip_prefix('-')?;
    ok.then_some((date, rest))
}

/// Jekyll's `URL#sanitize_url`: one leading slash, no empty segments.
fn sanitize(url: &str) -> String {
    let mut out = String::from("/");
    let trailing = url.ends_with('/');
    let parts: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    out.push_str(&parts.join("/"));
    if trailing && !parts.is_empty() {
        out.push('/');
    }
    out
}

/// Whether a URL is written as a folder (`/a/` → `a/index.html`); otherwise the URL names the file,
/// and Jekyll adds `.html` to a URL without an extension (`/a` → `a.html`).
pub fn route(base: &str, url: &str) -> String {
    let base = base.trim_end_matches('/');
    if url.ends_with('/') {
        return format!("{base}{url}");
    }
    // `/help/index.html` is the folder's index file, which `/help/` also reaches.
    if let Some(folder) = url.strip_suffix("index.html").filter(|f| f.ends_with('/')) {
        return format!("{base}{folder}");
    }
    let last = url.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        format!("{base}{url}")
    } else {
        format!("{base}{url}.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{JekyllCollection, JekyllDefault};

    fn site(style: &str) -> JekyllSite {
        JekyllSite {
            permalink: style.into(),
            collection_settings: vec![
                JekyllCollection {
                    name: "docs".into(),
                    output: true,
                    permalink: Some("/:collection/:path/".into()),
                },
                JekyllCollection {
                    name: "notes".into(),
                    output: true,
                    permalink: None,
                },
                JekyllCollection {
                    name: "posts".into(),
                    output: true,
                    permalink: None,
                },
            ],
            ..JekyllSite::default()
        }
    }

    fn at(site: &JekyllSite, path: &str) -> String {
        url(
            site,
            &Source {
                path,
                ..Source::default()
            },
        )
    }

    #[test]
    fn pages_follow_the_style() {
        let date = site("date");
        assert_eq!(at(&date, "index.md"), "/");
        assert_eq!(at(&date, "docs/index.md"), "/docs/");
        assert_eq!(at(&date, "docs/a.md"), "/docs/a.html");
        assert_eq!(at(&date, "README.md"), "/README.html");
        assert_eq!(
            at(&date, "18-11_OIDC.md"),
            "/18-11_OIDC.html",
            "no number prefix rule"
        );
        let pretty = site("pretty");
        assert_eq!(at(&pretty, "docs/a.md"), "/docs/a/");
        assert_eq!(at(&site("/:title/"), "docs/a.md"), "/docs/a/");
    }

    #[test]
    fn collections_and_posts() {
        let s = site("date");
        assert_eq!(at(&s, "_docs/sub/18-11_OIDC.md"), "/docs/sub/18-11_OIDC/");
        assert_eq!(at(&s, "_notes/x.md"), "/notes/x.html");
        assert_eq!(
            at(&s, "_posts/2024-01-02-hei-du.md"),
            "/2024/01/02/hei-du.html"
        );
        assert_eq!(
            at(&site("pretty"), "_posts/2024-01-02-hei.md"),
            "/2024/01/02/hei/"
        );
    }

    #[test]
    fn a_dated_post_lands_on_its_date_in_the_site_time_zone() {
        // jekyll/jekyll's docs: `timezone: America/Los_Angeles`, `date: "2013-05-06 02:12:52 +0200"`
        // is 2013-05-05 17:12 there, and Jekyll 4.3.1 writes /2013/05/05/….
        let mut s = site("date");
        // Los Angeles: summer time from 2013-03-10, winter from 2017-11-05, summer from 2018-03-11.
        s.utc_offsets = vec![
            (i64::MIN, -8 * 3600),
            (1_362_909_600, -7 * 3600),
            (1_509_872_400, -8 * 3600),
            (1_520_762_400, -7 * 3600),
        ];
        let post = |date| Source {
            path: "_posts/2013-05-06-jekyll-1-0-0-released.md",
            date: Some(date),
            ..Source::default()
        };
        assert_eq!(
            url(&s, &post("2013-05-06 02:12:52 +0200")),
            "/2013/05/05/jekyll-1-0-0-released.html"
        );
        assert_eq!(
            url(&s, &post("2018-02-25 13:02:08 +0530")),
            "/2018/02/24/jekyll-1-0-0-released.html"
        );
        assert_eq!(
            url(&s, &post("2013-05-06")),
            "/2013/05/06/jekyll-1-0-0-released.html",
            "a date without an offset is the date as written"
        );
        s.utc_offsets.clear();
        assert_eq!(
            url(&s, &post("2013-05-06 02:12:52 +0200")),
            "/2013/05/06/jekyll-1-0-0-released.html",
            "no site time zone: as written"
        );
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn the_posts_collection_permalink_comes_before_the_site_style() {
        // jekyll/jekyll's docs: `collections: posts: permalink: /news/:year/:month/:day/:title/`.
        let mut s = site("date");
        s.collection_settings[2].permalink = Some("/news/:year/:month/:day/:title/".into());
        assert_eq!(
            at(&s, "_posts/2016-05-19-jekyll-3-1-6-released.markdown"),
            "/news/2016/05/19/jekyll-3-1-6-released/"
        );
    }

    #[test]
    fn front_matter_and_defaults_win() {
        let mut s = site("pretty");
        let with = |permalink| Source {
            path: "docs/a.md",
            permalink: Some(permalink),
            ..Source::default()
        };
        assert_eq!(url(&s, &with("/x")), "/x");
        assert_eq!(route("/base", "/x"), "/base/x.html");
        // jekyll/jekyll's docs: `redirect_from: /help/index.html`, linked to as `/help/`.
        assert_eq!(route("", "/help/index.html"), "/help/");
        assert_eq!(url(&s, &with("/x/:basename.html")), "/x/a.html");
        s.defaults.push(JekyllDefault {
            path: "docs".into(),
            kind: Some("pages".into()),
            permalink: "/d/:basename/".into(),
        });
        assert_eq!(at(&s, "docs/a.md"), "/d/a/");
        assert_eq!(at(&s, "other/a.md"), "/other/a/");
    }
}
