//! Which side panels show. In a narrow window they step aside by
//! themselves, the documents panel first, before the text column gets
//! narrow; the analyst can show or hide either (View menu, Ctrl+B and
//! Ctrl+Alt+B), and that choice holds until they change it again.

/// The narrowest the text column may get before a panel steps aside.
pub const MIN_TEXT_WIDTH: f32 = 480.0;
/// The panels' default widths.
pub const DOCUMENTS_WIDTH: f32 = 220.0;
pub const LABELS_WIDTH: f32 = 320.0;

/// The analyst's choice for each panel; `None` follows the window's width.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Panels {
    pub documents: Option<bool>,
    pub labels: Option<bool>,
}

impl Panels {
    /// Whether the documents panel shows in a window `width` wide.
    pub fn documents_shown(&self, width: f32) -> bool {
        self.documents
            .unwrap_or(width >= DOCUMENTS_WIDTH + LABELS_WIDTH + MIN_TEXT_WIDTH)
    }

    /// Whether the labels panel shows in a window `width` wide.
    pub fn labels_shown(&self, width: f32) -> bool {
        self.labels
            .unwrap_or(width >= LABELS_WIDTH + MIN_TEXT_WIDTH)
    }

    pub fn toggle_documents(&mut self, width: f32) {
        self.documents = Some(!self.documents_shown(width));
    }

    pub fn toggle_labels(&mut self, width: f32) {
        self.labels = Some(!self.labels_shown(width));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_panel_steps_aside_first_and_a_choice_holds() {
        let mut p = Panels::default();
        assert!(p.documents_shown(1280.0) && p.labels_shown(1280.0));
        assert!(!p.documents_shown(900.0) && p.labels_shown(900.0));
        assert!(!p.documents_shown(700.0) && !p.labels_shown(700.0));
        p.toggle_documents(700.0);
        assert!(
            p.documents_shown(700.0),
            "shown on request even when narrow"
        );
        p.toggle_labels(1280.0);
        assert!(!p.labels_shown(1280.0), "hidden on request even when wide");
    }
}
