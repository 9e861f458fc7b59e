//! What Spanmark's own file dialog needs from the file system: a folder's
//! entries in the order a file dialog shows them, and a typed path made
//! absolute. Used when the system has no file dialog to offer.

use std::path::{Path, PathBuf};

/// One row of a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderEntry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
    /// Size in bytes (0 for folders or when it could not be read).
    pub len: u64,
}

/// Which entries a listing keeps.
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    /// File name endings to keep, without the dot ("json", "txt"); empty
    /// keeps every file. Folders are always kept, so one can browse.
    pub extensions: Vec<String>,
    /// Whether to keep names starting with a dot.
    pub show_hidden: bool,
    /// Keep folders only (choosing a folder).
    pub folders_only: bool,
}

impl ListingFilter {
    fn keeps(&self, name: &str, is_dir: bool) -> bool {
        if !self.show_hidden && name.starts_with('.') {
            return false;
        }
        if is_dir {
            return true;
        }
        if self.folders_only {
            return false;
        }
        let lower = name.to_lowercase();
        self.extensions.is_empty()
            || self
                .extensions
                .iter()
                .any(|ext| ext == "*" || lower.ends_with(&format!(".{}", ext.to_lowercase())))
    }
}

/// The entries of `dir`: folders first, then files, each by name ignoring
/// case. An entry whose type cannot be read is listed as a file, so that
/// nothing a user put there silently disappears from the list.
pub fn list_folder(dir: &Path, filter: &ListingFilter) -> std::io::Result<Vec<FolderEntry>> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        // `metadata` follows symbolic links, so a link to a folder browses as one.
        let metadata = std::fs::metadata(&path).ok();
        let is_dir = metadata.as_ref().is_some_and(|m| m.is_dir());
        if !filter.keeps(&name, is_dir) {
            continue;
        }
        let len = metadata.filter(|m| m.is_file()).map_or(0, |m| m.len());
        entries.push(FolderEntry {
            name,
            path,
            is_dir,
            len,
        });
    }
    entries.sort_by(|a, b| {
        b.is_dir
            .cmp(&a.is_dir)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(entries)
}

/// What a user typed into a path field, made absolute: `~` is the home
/// folder, and a relative path is taken from `folder` (the one shown).
/// Surrounding spaces are dropped (pasted paths often carry them); nothing
/// inside the path is changed.
pub fn resolve_typed_path(typed: &str, folder: &Path, home: Option<&Path>) -> PathBuf {
    let typed = typed.trim();
    if let Some(home) = home {
        if typed == "~" {
            return home.to_path_buf();
        }
        if let Some(rest) = typed
            .strip_prefix("~/")
            .or_else(|| typed.strip_prefix("~\\"))
        {
            return home.join(rest);
        }
    }
    let path = Path::new(typed);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        folder.join(path)
    }
}

/// The user's home folder, where a file dialog starts when nothing better is known.
pub fn home_folder() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_come_first_and_names_sort_ignoring_case() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.json"), "{}").unwrap();
        std::fs::write(dir.path().join("A.JSON"), "{}").unwrap();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden.json"), "x").unwrap();
        std::fs::create_dir(dir.path().join("zeta")).unwrap();
        let filter = ListingFilter {
            extensions: vec!["json".into()],
            ..Default::default()
        };
        let names: Vec<_> = list_folder(dir.path(), &filter)
            .unwrap()
            .into_iter()
            .map(|e| (e.name, e.is_dir))
            .collect();
        assert_eq!(
            names,
            vec![
                ("zeta".to_string(), true),
                ("A.JSON".to_string(), false),
                ("b.json".to_string(), false),
            ]
        );
        let everything = ListingFilter {
            show_hidden: true,
            ..Default::default()
        };
        assert_eq!(list_folder(dir.path(), &everything).unwrap().len(), 5);
        let folders = ListingFilter {
            folders_only: true,
            ..Default::default()
        };
        assert_eq!(list_folder(dir.path(), &folders).unwrap().len(), 1);
    }

    #[test]
    fn typed_paths_are_made_absolute_without_changing_them() {
        let folder = Path::new("/data/projects");
        let home = Path::new("/home/ayesha");
        assert_eq!(
            resolve_typed_path(" bannu.spanmark.json ", folder, Some(home)),
            PathBuf::from("/data/projects/bannu.spanmark.json")
        );
        assert_eq!(
            resolve_typed_path("~/out/پشاور.json", folder, Some(home)),
            PathBuf::from("/home/ayesha/out/پشاور.json")
        );
        assert_eq!(
            resolve_typed_path("/tmp/x.json", folder, Some(home)),
            PathBuf::from("/tmp/x.json")
        );
        assert_eq!(resolve_typed_path("~", folder, Some(home)), home);
    }

    #[test]
    fn a_missing_folder_is_an_error_not_an_empty_list() {
        let dir = tempfile::tempdir().unwrap();
        assert!(list_folder(&dir.path().join("gone"), &ListingFilter::default()).is_err());
    }
}
