//! The fonts the annotation view and the picture export draw with. All are
//! compiled in, so layout never depends on what a laptop has installed and
//! a picture looks the same on every machine.

use std::sync::Arc;

use parley::fontique::{Blob, Collection, CollectionOptions, GenericFamily};
use parley::{FontContext, FontFamily, FontFamilyName};

/// Ubuntu Light, egui's own text font, so the document reads like the rest of the UI.
pub const UBUNTU_LIGHT: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;
/// Noto Naskh Arabic (SIL OFL 1.1, see assets/fonts/OFL.txt): Arabic, Pashto and Urdu.
pub const NASKH: &[u8] = include_bytes!("../../assets/fonts/NotoNaskhArabic-Regular.ttf");
/// Noto Nastaliq Urdu (SIL OFL 1.1): the script style Urdu readers expect.
pub const NASTALIQ: &[u8] = include_bytes!("../../assets/fonts/NotoNastaliqUrdu-Regular.ttf");
/// A subset of Noto Color Emoji (SIL OFL 1.1): every flag and the common
/// emoji of news text, as colour bitmaps.
pub const COLOR_EMOJI: &[u8] = include_bytes!("../../assets/fonts/NotoColorEmoji-subset.ttf");
/// Symbola (free for any use, see assets/fonts/Symbola-LICENSE.txt): the
/// symbols and emoji of Unicode 9 in outline, for what the colour subset lacks.
pub const SYMBOLA: &[u8] = include_bytes!("../../assets/fonts/Symbola.ttf");

/// Which font draws Arabic-script text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum ArabicFont {
    /// Noto Naskh Arabic: compact, covers Pashto's letters (ټ ښ ځ ګ ۍ).
    #[default]
    Naskh,
    /// Noto Nastaliq Urdu: taller, the usual style for Urdu.
    Nastaliq,
}

impl ArabicFont {
    pub fn label(self) -> &'static str {
        match self {
            ArabicFont::Naskh => "Naskh",
            ArabicFont::Nastaliq => "Nastaliq (Urdu)",
        }
    }
}

/// The bundled fonts as blobs, made once: every shaper (the view's, its
/// helper thread's, an export's) shares them, so a font is the same font
/// (the same blob id) in all of them and glyphs are cached once.
fn blobs() -> &'static [Blob<u8>; 5] {
    static BLOBS: std::sync::OnceLock<[Blob<u8>; 5]> = std::sync::OnceLock::new();
    BLOBS.get_or_init(|| {
        [UBUNTU_LIGHT, NASKH, NASTALIQ, COLOR_EMOJI, SYMBOLA].map(|b| Blob::new(Arc::new(b)))
    })
}

/// The bundled fonts registered in a parley font context, with the family
/// names the layout asks for.
pub(super) struct FontSet {
    pub context: FontContext,
    latin: String,
    naskh: String,
    nastaliq: String,
    emoji: String,
    symbols: String,
}

impl FontSet {
    /// Registers the bundled fonts only: no system font is looked up.
    pub fn bundled() -> Self {
        let mut collection = Collection::new(CollectionOptions {
            shared: false,
            system_fonts: false,
        });
        let mut register = |blob: &Blob<u8>| -> (String, Option<parley::fontique::FamilyId>) {
            let families = collection.register_fonts(blob.clone(), None);
            let id = families.first().map(|(id, _)| *id);
            let name = id
                .and_then(|id| collection.family_name(id).map(str::to_owned))
                .unwrap_or_default();
            (name, id)
        };
        let blobs = blobs();
        let (latin, _) = register(&blobs[0]);
        let (naskh, _) = register(&blobs[1]);
        let (nastaliq, _) = register(&blobs[2]);
        let (emoji, emoji_id) = register(&blobs[3]);
        let (symbols, symbols_id) = register(&blobs[4]);
        collection
            .set_generic_families(GenericFamily::Emoji, emoji_id.into_iter().chain(symbols_id));
        FontSet {
            context: FontContext {
                collection,
                source_cache: Default::default(),
            },
            latin,
            naskh,
            nastaliq,
            emoji,
            symbols,
        }
    }

    /// The family list for text: Latin first, then the chosen Arabic font,
    /// the other one for what it lacks, then emoji and symbols.
    pub fn stack(&self, arabic: ArabicFont) -> FontFamily<'static> {
        let (first, second) = match arabic {
            ArabicFont::Naskh => (&self.naskh, &self.nastaliq),
            ArabicFont::Nastaliq => (&self.nastaliq, &self.naskh),
        };
        let names = [&self.latin, first, second, &self.emoji, &self.symbols]
            .into_iter()
            .filter(|n| !n.is_empty())
            .map(|n| FontFamilyName::Named(n.clone().into()))
            .collect::<Vec<_>>();
        FontFamily::List(names.into())
    }
}
