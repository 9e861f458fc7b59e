//! `spanmark agreement` and `spanmark merge`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use super::output::{errln, out, outln};
use crate::io::load_project;
use crate::model::{LayerId, Project};
use crate::review::frame_align::SlotCategory;
use crate::review::frame_metrics::FrameAgreement;
use crate::review::merge::{OnCollision, merge_project};
use crate::review::metrics::{Agreement, Prf, agreement as compute};

fn layer_id(name: &str) -> LayerId {
    if name == "gold" {
        LayerId::Gold
    } else {
        LayerId::Annotator(name.to_string())
    }
}

/// All layer names in the project: annotators, then gold if any document has it.
fn layer_names(p: &Project) -> Vec<String> {
    let mut names = p.layer_names();
    if p.documents.iter().any(|d| d.gold.is_some()) {
        names.push("gold".into());
    }
    names
}

fn fmt(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_string(), |x| format!("{x:.3}"))
}

fn table(a: &Agreement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "layers: {} (the first is the reference); documents: {}",
        a.layers.join(" vs "),
        a.documents
    );
    let _ = writeln!(
        out,
        "{:<12} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}  {:>10}  {:>7}",
        "label", "P", "R", "F1", "tp", "fp", "fn", "overlap F1", "token κ"
    );
    let row = |out: &mut String, name: &str, e: &Prf, o: Option<f64>, k: Option<f64>| {
        let _ = writeln!(
            out,
            "{name:<12} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6}  {:>10}  {:>7}",
            fmt(e.precision),
            fmt(e.recall),
            fmt(e.f1),
            e.tp,
            e.fp,
            e.fn_,
            fmt(o),
            fmt(k)
        );
    };
    for (label, e) in &a.exact.per_label {
        let o = a.overlap.per_label.get(label).and_then(|p| p.f1);
        let k = a.token_kappa.per_label.get(label).copied().flatten();
        row(&mut out, label, e, o, k);
    }
    row(
        &mut out,
        "all (micro)",
        &a.exact.micro,
        a.overlap.micro.f1,
        a.token_kappa.overall,
    );
    if a.layers.len() >= 3 {
        let _ = writeln!(out, "Fleiss' κ: {}", fmt(a.fleiss_kappa));
    }
    let _ = writeln!(
        out,
        "\nconfusion (rows: {}, columns: {}, equal boundaries):",
        a.layers[0],
        a.layers.get(1).map_or("", |s| s)
    );
    for (la, row) in &a.confusion {
        let cells: Vec<String> = row.iter().map(|(lb, n)| format!("{lb}={n}")).collect();
        let _ = writeln!(out, "  {la:<12} {}", cells.join("  "));
    }
    if let Some(f) = &a.frames {
        frame_table(&mut out, f);
    }
    out
}

/// The events section: trigger and slot F1 (per role), the slot comparison
/// and the event-type κ.
fn frame_table(out: &mut String, f: &FrameAgreement) {
    let _ = writeln!(out, "\nevents: {} in A, {} in B", f.frames_a, f.frames_b);
    let _ = writeln!(
        out,
        "{:<16} {:>7} {:>7} {:>7} {:>6}  {:>10}",
        "", "P", "R", "F1", "A / B", "overlap F1"
    );
    let row = |out: &mut String, name: &str, e: &Prf, overlap: Option<f64>| {
        let _ = writeln!(
            out,
            "{name:<16} {:>7} {:>7} {:>7} {:>6}  {:>10}",
            fmt(e.precision),
            fmt(e.recall),
            fmt(e.f1),
            format!("{}/{}", e.tp + e.fn_, e.tp + e.fp),
            fmt(overlap)
        );
    };
    row(out, "trigger", &f.trigger.exact, f.trigger.overlap.f1);
    row(
        out,
        "slots (micro)",
        &f.slots.exact.micro,
        f.slots.overlap.micro.f1,
    );
    for (role, e) in &f.slots.exact.per_label {
        let o = f.slots.overlap.per_label.get(role).and_then(|p| p.f1);
        row(out, &format!("  {role}"), e, o);
    }
    let cats: Vec<String> = SlotCategory::ALL
        .iter()
        .map(|c| {
            let n = f.slot_categories.get(c.name()).copied().unwrap_or(0);
            format!("{} {n}", c.name())
        })
        .collect();
    let _ = writeln!(out, "slot comparison (exact): {}", cats.join(", "));
    let t = &f.event_type;
    let _ = writeln!(
        out,
        "event type: κ {} over {} paired events ({} the same)",
        fmt(t.kappa),
        t.pairs,
        t.observed
            .map_or_else(|| "n/a".into(), |o| format!("{:.0}%", o * 100.0))
    );
}

pub fn agreement(path: &Path, layers: &[String], json: bool, by_document: bool) -> Result<Outcome> {
    let project = load_project(path)?;
    let available = layer_names(&project);
    let chosen: Vec<String> = if layers.is_empty() {
        // Annotators in the project's order (the first listed is the reference);
        // against gold, gold is the reference.
        let annotators: Vec<&String> = project
            .annotators
            .iter()
            .filter(|n| available.contains(n) && *n != "gold")
            .collect();
        match (annotators.len(), available.contains(&"gold".to_string())) {
            (2, false) => annotators.into_iter().cloned().collect(),
            (1, true) => vec!["gold".into(), annotators[0].clone()],
            _ => {
                errln!(
                    "error: choose the layers with --layers A,B[,C…]; this project has {}",
                    available.join(", ")
                );
                return Ok(Outcome::Usage);
            }
        }
    } else {
        layers.to_vec()
    };
    if chosen.len() < 2 {
        errln!("error: --layers needs at least two layers");
        return Ok(Outcome::Usage);
    }
    if let Some(missing) = chosen.iter().find(|l| !available.contains(l)) {
        anyhow::bail!(
            "no layer {missing:?} in this project; it has {}",
            available.join(", ")
        );
    }
    let ids: Vec<LayerId> = chosen.iter().map(|l| layer_id(l)).collect();
    let report = compute(&project, &ids, by_document);
    if json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        out!("{}", table(&report));
        if let Some(docs) = &report.by_document {
            for (id, a) in docs {
                outln!("\n== {id}");
                out!("{}", table(a));
            }
        }
    }
    Ok(Outcome::Ok)
}

pub fn merge(
    path: &Path,
    others: &[PathBuf],
    as_name: Option<&str>,
    on_collision: &str,
    wait: std::time::Duration,
) -> Result<Outcome> {
    let (mut project, held) = super::writing::open(path, "merge", wait)?;
    let policy = match on_collision {
        "replace" => OnCollision::Replace,
        "keep-both" => OnCollision::KeepBoth,
        _ => OnCollision::Cancel,
    };
    for other_path in others {
        let other = load_project(other_path)
            .with_context(|| format!("cannot merge {}", other_path.display()))?;
        let report = merge_project(&mut project, &other, as_name, policy)
            .with_context(|| format!("{} was not changed", path.display()))?;
        outln!("{}:", other_path.display());
        out!("{report}");
    }
    super::writing::save(&project, path, &held)?;
    Ok(Outcome::Ok)
}
