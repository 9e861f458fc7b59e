//! What the review keys and buttons do: each is one call into
//! `crate::review::adjudicate` applied through the session's undo history.

use eframe::egui;

use super::{default_layers, refresh};
use crate::model::{LayerId, Verdict, now};
use crate::review::adjudicate::{self, ReviewLayers};
use crate::ui::app::SpanmarkApp;

/// Turns review mode on (edits then go to gold) with the default layers.
pub fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if app.ui.review.layers.is_none() {
        app.ui.review.layers = Some(default_layers(app));
    }
    app.ui.review.active = true;
    app.session.editing_gold = true;
    app.session.clear_selection();
    app.session.sticky_label = None;
    refresh(app);
    let open = app.ui.review.open_total();
    app.set_status(
        ctx,
        format!("Review mode: {open} differences to decide. N / P step through them."),
    );
}

/// Back to annotating the analyst's own layer.
pub fn stop(app: &mut SpanmarkApp, ctx: &egui::Context) {
    app.ui.review.active = false;
    app.ui.review.current = None;
    app.session.editing_gold = false;
    app.session.clear_selection();
    app.set_status(ctx, "Review mode off");
}

/// Chooses the layers to compare.
pub fn set_layers(app: &mut SpanmarkApp, layers: ReviewLayers) {
    if app.ui.review.layers.as_ref() != Some(&layers) {
        app.ui.review.layers = Some(layers);
        app.ui.review.current = None;
        refresh(app);
    }
}

/// Moves to the next (or previous) undecided difference, across documents.
pub fn step(app: &mut SpanmarkApp, ctx: &egui::Context, forward: bool) {
    let Some(layers) = app.ui.review.layers.clone() else {
        return;
    };
    let doc = app.session.doc_index();
    let current = app.ui.review.current;
    match adjudicate::step(&app.session.project, &layers, doc, current, forward) {
        Some((ix, item)) => {
            if ix != doc {
                app.session.open_document(ix);
            }
            app.session.clear_selection();
            app.ui.review.current = Some(item.key());
            app.view.scroll_to(item.range().start);
            refresh(app);
            let name = app
                .session
                .document()
                .map(|d| d.name.clone())
                .unwrap_or_default();
            app.set_status(ctx, format!("{} in {name}", item.category.name()));
        }
        None => {
            app.set_status(ctx, "Every difference is decided");
        }
    }
}

/// Records `verdict` on the current item; then moves on (except for "edit",
/// which selects the gold copy so it can be changed with the usual keys).
pub fn decide(app: &mut SpanmarkApp, ctx: &egui::Context, verdict: Verdict) {
    refresh(app);
    let (Some(layers), Some(item)) = (
        app.ui.review.layers.clone(),
        app.ui.review.current_item().cloned(),
    ) else {
        app.set_status(ctx, "No difference chosen: press N to go to the next one");
        return;
    };
    let Some(doc) = app.session.document().map(|d| d.id.clone()) else {
        return;
    };
    let reviewer = app.session.annotator.clone();
    let session = &mut app.session;
    match adjudicate::decide(
        &mut session.project,
        &doc,
        &item,
        verdict,
        &layers,
        &reviewer,
        now(),
    ) {
        Ok((cmd, added)) => {
            if let Err(e) = session.apply(cmd) {
                app.set_status(ctx, format!("Not decided: {e}"));
                return;
            }
            refresh(app);
            if verdict == Verdict::Edit {
                if let Some(id) = added.first() {
                    app.session.select_span(*id);
                }
                app.set_status(
                    ctx,
                    format!(
                        "Copied into gold: move its end with {} / {}, its start with {} / {}, relabel with a label key",
                        crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::MoveEndLeft),
                        crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::MoveEndRight),
                        crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::MoveStartLeft),
                        crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::MoveStartRight),
                    ),
                );
            } else {
                let what = verdict.describe();
                step(app, ctx, true);
                let next = app
                    .ui
                    .status
                    .as_ref()
                    .map(|s| s.text.clone())
                    .unwrap_or_default();
                app.set_status(ctx, format!("{what}; next: {next}"));
            }
        }
        Err(e) => app.set_status(ctx, format!("Cannot do that: {e}")),
    }
}

/// Takes back the decision on the current item.
pub fn undecide(app: &mut SpanmarkApp, ctx: &egui::Context) {
    refresh(app);
    let Some(item) = app.ui.review.current_item().cloned() else {
        return;
    };
    let Some(cmd) = app
        .session
        .document()
        .and_then(|d| adjudicate::undecide(d, &item))
    else {
        app.set_status(ctx, "This item is not decided");
        return;
    };
    match app.session.apply(cmd) {
        Ok(()) => app.set_status(ctx, "Decision withdrawn"),
        Err(e) => app.set_status(ctx, format!("Cannot withdraw: {e}")),
    }
}

/// Copies every undecided agreement into gold in one undoable step.
pub fn accept_all_agreements(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(layers) = app.ui.review.layers.clone() else {
        return;
    };
    let reviewer = app.session.annotator.clone();
    let found =
        adjudicate::accept_all_agreements(&mut app.session.project, &layers, &reviewer, now());
    match found {
        Some((cmd, n)) => match app.session.apply(cmd) {
            Ok(()) => app.set_status(
                ctx,
                format!(
                    "{n} agreed spans copied to gold ({} to undo)",
                    crate::ui::command::key_hint(ctx, &crate::ui::command::AppCommand::Undo)
                ),
            ),
            Err(e) => app.set_status(ctx, format!("Not copied: {e}")),
        },
        None => app.set_status(ctx, "No agreements left to copy"),
    }
}

/// Makes the item under `pos` (innermost first) the current one, if any.
pub fn pick_at(app: &mut SpanmarkApp, pos: usize) {
    let found = app
        .ui
        .review
        .items()
        .iter()
        .filter(|i| i.range().contains(&pos))
        .min_by_key(|i| i.range().len())
        .map(|i| i.key());
    if found.is_some() {
        app.ui.review.current = found;
    }
}

/// Display name of a layer, for pickers and the legend.
pub fn layer_name(layer: &LayerId) -> String {
    match layer {
        LayerId::Annotator(n) => n.clone(),
        LayerId::Gold => "gold".into(),
    }
}
