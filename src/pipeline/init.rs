//! `init`: a small working site in a new folder.

use super::*;

/// Create a small working site in `dir`.
pub fn init(dir: &std::path::Path) -> Result<()> {
    refuse_unless_empty(dir)?;
    let files: [(&str, &str); 6] = [
        ("intark.toml", include_str!("../init/intark.toml")),
        ("content/index.md", include_str!("../init/index.md")),
        (
            "content/kom-i-gang.md",
            include_str!("../init/kom-i-gang.md"),
        ),
        (
            "content/tilgjengelighet.md",
            include_str!("../init/tilgjengelighet.md"),
        ),
        ("static/img/.gitkeep", ""),
        (".gitignore", "/public/\n"),
    ];
    write_files(
        dir,
        files.map(|(rel, text)| (rel.to_string(), text.as_bytes())),
    )
}

/// Copy the built-in theme (templates, partials, static files and UI string tables) into `dir`, a
/// new or empty folder, for editing; a site uses it with `theme_dir = "DIR"` in `intark.toml`.
pub fn eject_theme(dir: &std::path::Path) -> Result<()> {
    refuse_unless_empty(dir)?;
    let templates = crate::theme::TEMPLATES
        .iter()
        .map(|(name, text)| (format!("templates/{name}"), text.as_bytes()));
    let assets = crate::theme::ASSETS
        .iter()
        .map(|(name, bytes)| (format!("static/{name}"), *bytes));
    let strings = crate::i18n::BUILT_IN.iter().map(|(lang, text)| {
        (
            format!("{}/{lang}.toml", crate::theme::I18N_DIR),
            text.as_bytes(),
        )
    });
    write_files(dir, templates.chain(assets).chain(strings))
}

/// `init` writes only into a new or empty folder: never over what the tool did not create.
fn refuse_unless_empty(dir: &std::path::Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io("cannot read", dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::NotEmpty(dir.to_path_buf()));
    }
    Ok(())
}

/// Write each `(relative path, bytes)` under `dir`, creating folders as needed.
fn write_files<'a>(
    dir: &std::path::Path,
    files: impl IntoIterator<Item = (String, &'a [u8])>,
) -> Result<()> {
    for (rel, bytes) in files {
        let path: PathBuf = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io("cannot write", &path, e))?;
    }
    Ok(())
}
