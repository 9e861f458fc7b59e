//! What the review keys and buttons do: each is one call into the library's
//! [`ReviewSession`], and a status line built from what it returned.

use eframe::egui;

use super::layers_to_review;
use crate::model::{LayerId, Verdict, now};
use crate::review::adjudicate::ReviewLayers;
use crate::review::session::{ReviewSession, Stepped};
use crate::ui::app::SpanmarkApp;
use crate::ui::command::{AppCommand, key_hint};

/// Turns review mode on (edits then go to gold). Agreements gold does not
/// hold yet are copied into it as one undoable step, and the status says so.
pub fn start(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if app.ui.review.active() {
        return;
    }
    let layers = layers_to_review(app);
    let reviewer = app.session.annotator().to_string();
    match ReviewSession::start(&mut app.session, layers, &reviewer, now()) {
        Ok((review, started)) => {
            app.ui.review.session = Some(review);
            let next = key_hint(ctx, &AppCommand::ReviewNext);
            let copied = match started.agreements_accepted {
                0 => String::new(),
                n => format!(
                    "{n} agreed {} copied to gold ({} to undo); ",
                    if n == 1 { "span" } else { "spans" },
                    key_hint(ctx, &AppCommand::Undo)
                ),
            };
            app.set_status(
                ctx,
                format!(
                    "Review mode: {copied}{} to decide. {next} goes to the first; deciding moves on.",
                    items(started.open)
                ),
            );
        }
        Err(e) => app.set_status(ctx, format!("Cannot start review: {e}")),
    }
}

/// "3 items", "1 item".
fn items(n: usize) -> String {
    format!("{n} {}", if n == 1 { "item" } else { "items" })
}

/// Back to annotating the analyst's own layer.
pub fn stop(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if let Some(review) = app.ui.review.session.take() {
        app.ui.review.last_layers = Some(review.layers().clone());
        review.stop(&mut app.session);
    }
    app.set_status(ctx, "Review mode off");
}

/// Chooses the layers to compare.
pub fn set_layers(app: &mut SpanmarkApp, layers: ReviewLayers) {
    if let Some(review) = &mut app.ui.review.session {
        review.set_layers(&app.session, layers.clone());
    }
    app.ui.review.last_layers = Some(layers);
}

/// Swaps A and B: the other layer becomes the reference.
pub fn swap_layers(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    review.swap_layers(&app.session);
    let layers = review.layers().clone();
    app.ui.review.last_layers = Some(layers.clone());
    app.set_status(
        ctx,
        format!(
            "Reference (A) is now {}; B is {}",
            layer_name(&layers.a),
            layer_name(&layers.b)
        ),
    );
}

/// "label conflict in Bannu report (3 open left)".
fn describe_stop(app: &SpanmarkApp, stepped: &Stepped) -> String {
    let name = app
        .session
        .project
        .documents
        .get(stepped.doc_index)
        .map(|d| d.name.clone())
        .unwrap_or_default();
    format!(
        "now on {} in {name} ({} open)",
        stepped.item.describe(),
        app.ui.review.open_total()
    )
}

/// Moves to the next (or previous) open item, across documents, without deciding.
pub fn step(app: &mut SpanmarkApp, ctx: &egui::Context, forward: bool) {
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    match review.step(&mut app.session, forward) {
        Some(stepped) => {
            app.view.scroll_to(stepped.item.range().start);
            let text = describe_stop(app, &stepped);
            app.set_status(ctx, capitalised(&text));
        }
        None => app.set_status(ctx, "Nothing is left to decide: gold is complete"),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Records `verdict` on the current item; then moves on (except for "edit",
/// which selects the gold copy so it can be changed with the usual keys).
pub fn decide(app: &mut SpanmarkApp, ctx: &egui::Context, verdict: Verdict) {
    let reviewer = app.session.annotator().to_string();
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    let decided = match review.decide(&mut app.session, verdict, &reviewer, now()) {
        Ok(decided) => decided,
        Err(crate::review::session::ReviewActionError::NoItem) => {
            let next = key_hint(ctx, &AppCommand::ReviewNext);
            app.set_status(
                ctx,
                format!("No item chosen: press {next} to go to the next one"),
            );
            return;
        }
        Err(e) => {
            app.set_status(ctx, format!("Cannot do that: {e}"));
            return;
        }
    };
    if verdict == Verdict::Edit && decided.gold_frame.is_some() {
        app.set_status(
            ctx,
            "Copied the event into gold: fill or empty its roles in the event panel",
        );
        return;
    }
    if verdict == Verdict::Edit {
        let key = |c: AppCommand| key_hint(ctx, &c);
        app.set_status(
            ctx,
            format!(
                "Copied into gold: move its end with {} / {}, its start with {} / {}, relabel with a label key",
                key(AppCommand::MoveEndLeft),
                key(AppCommand::MoveEndRight),
                key(AppCommand::MoveStartLeft),
                key(AppCommand::MoveStartRight),
            ),
        );
        return;
    }
    let what = capitalised(verdict.describe());
    match &decided.next {
        Some(next) => {
            app.view.scroll_to(next.item.range().start);
            let text = describe_stop(app, next);
            app.set_status(ctx, format!("{what}; {text}"));
        }
        None => app.set_status(
            ctx,
            format!("{what}; nothing is left to decide: gold is complete"),
        ),
    }
}

/// Decides the row under the row cursor of the current pair of events
/// otherwise than the event (one undoable step); the cursor stays.
pub fn decide_row(app: &mut SpanmarkApp, ctx: &egui::Context, verdict: Verdict) {
    let reviewer = app.session.annotator().to_string();
    let Some(row) = app.ui.review.event_row() else {
        return;
    };
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    match review.decide_slot(&mut app.session, row, verdict, &reviewer, now()) {
        Ok(_) => app.set_status(ctx, format!("Row {}: {}", row + 1, verdict.describe())),
        Err(e) => app.set_status(ctx, format!("Cannot do that: {e}")),
    }
}

/// Takes back the decision on the current item.
pub fn undecide(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    match review.undecide(&mut app.session) {
        Ok(()) => app.set_status(ctx, "Decision withdrawn"),
        Err(e) => app.set_status(ctx, capitalised(&e.to_string())),
    }
}

/// Copies every open agreement into gold in one undoable step.
pub fn accept_all_agreements(app: &mut SpanmarkApp, ctx: &egui::Context) {
    let reviewer = app.session.annotator().to_string();
    let Some(review) = &mut app.ui.review.session else {
        return;
    };
    match review.accept_all_agreements(&mut app.session, &reviewer, now()) {
        Ok(0) => app.set_status(ctx, "No agreements left to copy"),
        Ok(n) => app.set_status(
            ctx,
            format!(
                "{n} agreed spans copied to gold ({} to undo)",
                key_hint(ctx, &AppCommand::Undo)
            ),
        ),
        Err(e) => app.set_status(ctx, format!("Not copied: {e}")),
    }
}

/// Makes the item under `pos` (innermost first) the current one, if any.
pub fn pick_at(app: &mut SpanmarkApp, pos: usize) {
    if let Some(review) = &mut app.ui.review.session {
        review.pick_at(pos);
    }
}

/// Display name of a layer, for pickers and the legend.
pub fn layer_name(layer: &LayerId) -> String {
    match layer {
        LayerId::Annotator(n) => n.clone(),
        LayerId::Gold => "gold".into(),
    }
}
