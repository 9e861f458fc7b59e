//! The bundled sample project, embedded so a first run works with no files around.

use crate::io::{LoadError, parse_project};
use crate::model::Project;

/// The sample project file, byte for byte as in `sample-projects/`.
pub const SAMPLE_PROJECT_JSON: &str =
    include_str!("../sample-projects/kp-wssp-abduction-attempt.spanmark.json");

/// File name the sample is offered under.
pub const SAMPLE_FILE_NAME: &str = "kp-wssp-abduction-attempt.spanmark.json";

/// The sample project, parsed and validated.
pub fn sample_project() -> Result<Project, LoadError> {
    parse_project(SAMPLE_PROJECT_JSON.as_bytes())
}
