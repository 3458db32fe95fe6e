//! `init`: a small working site in a new folder.

use super::*;

/// Create a small working site in `dir`.
pub fn init(dir: &std::path::Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| Error::io("cannot read", dir, e))?
            .next()
            .is_some()
    {
        return Err(Error::NotEmpty(dir.to_path_buf()));
    }
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
    for (rel, text) in files {
        let path: PathBuf = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io("cannot create", parent, e))?;
        }
        std::fs::write(&path, text).map_err(|e| Error::io("cannot write", &path, e))?;
    }
    Ok(())
}
