//! Right panel in review mode: which layers are compared, the legend with
//! counts, both versions of the current item, and the decision buttons.

use eframe::egui::{self, RichText};

use super::actions::{self, layer_name};
use super::{CATEGORIES, category_color, layer_choices};
use crate::model::{Span, Verdict};
use crate::ui::app::SpanmarkApp;
use crate::ui::command::{AppCommand, key_hint};

/// A short bar in a category's colour: top for A, bottom for B, as in the text.
pub(super) fn legend_bar(ui: &mut egui::Ui, color: egui::Color32) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(22.0, 14.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(
        rect.shrink2(egui::vec2(0.0, 2.0)),
        2.0,
        color.gamma_multiply(0.25),
    );
    painter.rect_filled(
        egui::Rect::from_min_size(
            rect.left_top() + egui::vec2(0.0, 1.0),
            egui::vec2(22.0, 3.0),
        ),
        1.0,
        color,
    );
    painter.rect_filled(
        egui::Rect::from_min_size(
            rect.left_bottom() - egui::vec2(0.0, 4.0),
            egui::vec2(22.0, 3.0),
        ),
        1.0,
        color,
    );
}

pub fn show(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.heading("Review");
        if ui.button("Leave review").clicked() {
            app.queue(AppCommand::ToggleReview);
        }
    });
    layer_pickers(app, ui);
    ui.separator();
    legend(app, ui);
    ui.separator();
    let here = app.ui.review.open_in(app.session.doc_index()).unwrap_or(0);
    let total = app.ui.review.open_total();
    ui.label(format!(
        "Undecided: {here} in this document, {total} in the project"
    ))
    .on_hover_text(
        "Every item gold does not account for yet, agreements included: \
         zero means gold is complete. Deciding an item moves on to the next.",
    );
    ui.horizontal(|ui| {
        let previous = AppCommand::ReviewPrevious;
        if ui
            .button(format!("◀ Previous  {}", key_hint(ui.ctx(), &previous)))
            .clicked()
        {
            app.queue(previous);
        }
        let next = AppCommand::ReviewNext;
        if ui
            .button(format!("Next  {} ▶", key_hint(ui.ctx(), &next)))
            .clicked()
        {
            app.queue(next);
        }
    });
    if ui
        .button("Accept all agreements")
        .on_hover_text("Copy every span both annotators agree on into gold (one undoable step)")
        .clicked()
    {
        app.queue(AppCommand::AcceptAllAgreements);
    }
    if ui.button("Agreement…").clicked() && !app.ui.review.show_agreement {
        app.queue(AppCommand::ShowAgreement);
    }
    ui.separator();
    current(app, ui);
}

fn layer_pickers(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    let choices = layer_choices(app);
    let Some(mut layers) = app.ui.review.layers().cloned() else {
        return;
    };
    egui::Grid::new("review-layers")
        .num_columns(2)
        .show(ui, |ui| {
            for (caption, slot, salt) in [
                ("Layer A", &mut layers.a, "review-a"),
                ("Layer B", &mut layers.b, "review-b"),
            ] {
                let caption = ui.label(caption);
                egui::ComboBox::from_id_salt(salt)
                    .selected_text(layer_name(slot))
                    .show_ui(ui, |ui| {
                        for c in &choices {
                            ui.selectable_value(slot, c.clone(), layer_name(c));
                        }
                    })
                    .response
                    .labelled_by(caption.id);
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        ui.label(format!("Reference: A ({})", layer_name(&layers.a)))
            .on_hover_text(
                "Precision is the share of B's spans that A has; recall the share of A's that B has",
            );
        let swap = AppCommand::SwapReviewLayers;
        if ui.button("Swap A ⇄ B").on_hover_text(swap.name()).clicked() {
            app.queue(swap);
        }
    });
    if layers.a == layers.b {
        ui.colored_label(ui.visuals().warn_fg_color, "Choose two different layers.");
        return;
    }
    if app.ui.review.layers() != Some(&layers) {
        actions::set_layers(app, layers);
    }
}

fn legend(app: &SpanmarkApp, ui: &mut egui::Ui) {
    let items = app.ui.review.items();
    egui::Grid::new("review-legend")
        .num_columns(3)
        .show(ui, |ui| {
            for c in CATEGORIES {
                legend_bar(ui, category_color(c));
                ui.label(c.name());
                ui.label(items.iter().filter(|i| i.category == c).count().to_string());
                ui.end_row();
            }
        });
    ui.weak("Bar above the text: layer A. Bar below: layer B. Shaded: undecided.");
}

fn version(ui: &mut egui::Ui, app: &SpanmarkApp, caption: &str, span: Option<&Span>) {
    ui.label(RichText::new(caption).strong());
    match span {
        Some(s) => {
            let text = app
                .session
                .document()
                .and_then(|d| d.slice(s.start(), s.end()))
                .unwrap_or("");
            ui.label(format!("{}  “{text}”", s.label));
            ui.weak(format!("{}–{}", s.start(), s.end()));
            if !s.note().is_empty() {
                ui.label(format!("Note: {}", s.note()));
            }
        }
        None => {
            ui.weak("(no span)");
        }
    }
}

fn current(app: &mut SpanmarkApp, ui: &mut egui::Ui) {
    if let Some(item) = app.ui.review.current_frame_item().cloned() {
        super::event_item::show(app, ui, &item);
        return;
    }
    let Some(item) = app.ui.review.current_item().cloned() else {
        ui.weak(format!(
            "Press {} for the first undecided item, or click a marked span.",
            key_hint(ui.ctx(), &AppCommand::ReviewNext)
        ));
        return;
    };
    let layers = app.ui.review.layers().cloned();
    let (a_name, b_name) = layers
        .as_ref()
        .map(|l| (layer_name(&l.a), layer_name(&l.b)))
        .unwrap_or_default();
    ui.horizontal(|ui| {
        legend_bar(ui, category_color(item.category));
        ui.strong(item.category.name());
    });
    version(ui, app, &format!("A: {a_name}"), item.a.as_ref());
    version(ui, app, &format!("B: {b_name}"), item.b.as_ref());
    match item.decision {
        Some(v) => {
            ui.label(format!("Decision: {}", v.describe()));
        }
        None if item.agreed_in_gold => {
            ui.label("Both agree, and gold has it");
        }
        None if item.category.is_difference() => {
            ui.label("Decision: undecided");
        }
        None => {
            ui.label("Both agree; not in gold yet (A, B or C puts it there)");
        }
    }
    decision_buttons(
        app,
        ui,
        item.a.is_some(),
        item.b.is_some(),
        item.decision.is_some(),
    );
}

/// The verdict buttons (with their keys) and, once decided, "undecide".
pub(super) fn decision_buttons(
    app: &mut SpanmarkApp,
    ui: &mut egui::Ui,
    has_a: bool,
    has_b: bool,
    decided: bool,
) {
    ui.horizontal_wrapped(|ui| {
        let buttons = [
            (Verdict::AcceptA, has_a),
            (Verdict::AcceptB, has_b),
            (Verdict::AcceptBoth, true),
            (Verdict::Reject, true),
            (Verdict::Edit, true),
        ];
        for (verdict, enabled) in buttons {
            let command = AppCommand::Decide(verdict);
            let text = format!("{}  {}", command.name(), key_hint(ui.ctx(), &command));
            if ui.add_enabled(enabled, egui::Button::new(text)).clicked() {
                app.queue(command);
            }
        }
        let undecide = AppCommand::Undecide;
        if decided
            && ui
                .button(format!(
                    "{}  {}",
                    undecide.name(),
                    key_hint(ui.ctx(), &undecide)
                ))
                .clicked()
        {
            app.queue(undecide);
        }
    });
}
