//! User settings (annotator name, theme, text size, sticky label, recent
//! projects) in the OS config folder. A missing or broken settings file never
//! stops the app: it falls back to defaults with a warning.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::atomic::write_atomic;

/// How many recent projects are remembered.
pub const MAX_RECENT: usize = 10;

/// Light, dark, or follow the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

/// Everything the app remembers between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Whose layer edits go to; asked once on first run.
    pub annotator: Option<String>,
    pub theme: ThemeChoice,
    pub font_size: f32,
    pub sticky_label: Option<String>,
    pub show_tags: bool,
    /// The font for Arabic-script text in the document view.
    pub arabic_font: crate::text_layout::ArabicFont,
    /// Reading direction forced for a document, by its text's fingerprint
    /// (so the choice follows the text into other projects); absent: auto.
    pub directions: std::collections::BTreeMap<String, crate::model::bidi::DirectionChoice>,
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// Where the last file was chosen: the next file dialog starts there.
    pub last_folder: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            annotator: None,
            theme: ThemeChoice::System,
            font_size: 16.0,
            sticky_label: None,
            show_tags: false,
            arabic_font: Default::default(),
            directions: Default::default(),
            recent: Vec::new(),
            last_folder: None,
        }
    }
}

impl Settings {
    /// Puts `path` first in the recent list (no duplicates, at most [`MAX_RECENT`]).
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }
}

/// Where the app keeps its own files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    pub settings_file: PathBuf,
    /// Autosave recovery copies.
    pub recovery_dir: PathBuf,
}

impl AppDirs {
    /// The OS folders (e.g. `~/.config/spanmark` and `~/.local/share/spanmark` on Linux,
    /// `%APPDATA%\Spanmark` on Windows, `~/Library/Application Support/…` on macOS).
    pub fn from_os() -> Option<Self> {
        let dirs = directories::ProjectDirs::from("org", "Spanmark", "Spanmark")?;
        Some(AppDirs {
            settings_file: dirs.config_dir().join("settings.json"),
            recovery_dir: dirs.data_dir().join("recovery"),
        })
    }

    /// Everything under one folder (tests, portable use).
    pub fn under(root: &Path) -> Self {
        AppDirs {
            settings_file: root.join("settings.json"),
            recovery_dir: root.join("recovery"),
        }
    }
}

/// Loads settings; on a problem returns defaults and a warning to show.
pub fn load_settings(path: &Path) -> (Settings, Option<String>) {
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
        Err(e) => (
            Settings::default(),
            Some(format!(
                "Could not read settings {}: {e}; using defaults",
                path.display()
            )),
        ),
        Ok(bytes) => match serde_json::from_slice::<Settings>(&bytes) {
            Ok(mut s) => {
                s.font_size = if s.font_size.is_finite() {
                    s.font_size.clamp(8.0, 48.0)
                } else {
                    16.0
                };
                s.recent.truncate(MAX_RECENT);
                (s, None)
            }
            Err(e) => (
                Settings::default(),
                Some(format!(
                    "Settings file {} is damaged ({e}); using defaults",
                    path.display()
                )),
            ),
        },
    }
}

/// Saves settings atomically, creating the folder if needed.
pub fn save_settings(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let bytes = serde_json::to_vec_pretty(settings).map_err(std::io::Error::other)?;
    write_atomic(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_corrupt_and_good_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf").join("settings.json");
        assert_eq!(load_settings(&path), (Settings::default(), None));
        let mut s = Settings {
            annotator: Some("ayesha".into()),
            font_size: 18.0,
            ..Default::default()
        };
        for i in 0..12 {
            s.remember(Path::new(&format!("/p/{i}.spanmark.json")));
        }
        s.remember(Path::new("/p/3.spanmark.json"));
        assert_eq!(s.recent.len(), MAX_RECENT);
        assert_eq!(s.recent[0], Path::new("/p/3.spanmark.json"));
        save_settings(&path, &s).unwrap();
        assert_eq!(load_settings(&path), (s, None));
        std::fs::write(&path, b"{\"font_size\": \"big\"").unwrap();
        let (loaded, warning) = load_settings(&path);
        assert_eq!(loaded, Settings::default());
        assert!(warning.unwrap().contains("damaged"));
    }
}
