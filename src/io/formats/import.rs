//! Importing annotations made elsewhere: the dispatcher from a format to its
//! reader. Every reader produces [`ImportedDoc`]s, checked against their text;
//! [`merge`] then adds them to a project (a document with the same text gets
//! the spans as a layer, others are added), so nothing is imported silently
//! wrong or half-way. What a reader could not import is listed in
//! [`ImportedDoc::unimported`] and reported, never dropped silently.

pub use super::imported::*;
pub use super::merge::{ImportReport, LabelMapping, merge};

use std::collections::BTreeMap;

use crate::model::Project;

/// Reads the annotation files of `format` into documents. `originals` are the
/// texts CoNLL tokens are matched against (the project's texts, plus any the
/// user gives). Plain text (`Txt`) is not annotation and is refused here.
pub fn read_files(
    format: super::ImportFormat,
    inputs: &[std::path::PathBuf],
    originals: &[String],
) -> Result<Vec<ImportedDoc>, ImportError> {
    let mut docs = Vec::new();
    read_files_into(format, inputs, originals, &mut |d| {
        docs.push(d);
        Ok(())
    })?;
    Ok(docs)
}

/// [`read_files`], handing the documents to `sink` one by one: the JSONL
/// formats stream line by line, the others hand over each file's documents
/// once it is read.
pub fn read_files_into(
    format: super::ImportFormat,
    inputs: &[std::path::PathBuf],
    originals: &[String],
    sink: &mut DocSink<'_>,
) -> Result<(), ImportError> {
    use super::ImportFormat as F;
    let mut each = |read: &dyn Fn(&std::path::Path) -> Result<Vec<ImportedDoc>, ImportError>| {
        for p in inputs {
            read(p)?.into_iter().try_for_each(&mut *sink)?;
        }
        Ok(())
    };
    match format {
        F::Brat => super::brat::read(inputs)?.into_iter().try_for_each(sink),
        F::Doccano => inputs
            .iter()
            .try_for_each(|p| super::doccano::read_into(p, sink)),
        F::Jsonl => inputs
            .iter()
            .try_for_each(|p| super::spacy_jsonl::read_into(p, sink)),
        F::LabelStudio => each(&super::label_studio::read),
        F::Conll => each(&|p| super::conll::read(p, originals)),
        F::Txt => Err(ImportError::new(
            "txt",
            "plain text holds no annotations; add it as documents instead",
        )),
    }
}

/// Reads `inputs` in `format` and merges them into `project`: what
/// `spanmark import` does between loading and saving. The default layer is
/// the first input's file name. The project is changed only if every file
/// was read and everything fits.
pub fn import_files(
    project: &mut Project,
    format: super::ImportFormat,
    inputs: &[std::path::PathBuf],
    originals: &[String],
    layer: Option<&str>,
    map: &BTreeMap<String, String>,
) -> Result<ImportReport, ImportError> {
    let fallback = inputs
        .first()
        .and_then(|p| p.file_stem())
        .map_or("imported".to_string(), |s| s.to_string_lossy().into_owned());
    super::merge::merge_streamed(project, layer, &fallback, map, |sink| {
        read_files_into(format, inputs, originals, sink)
    })
}
