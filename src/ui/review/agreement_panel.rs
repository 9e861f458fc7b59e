//! The agreement window: the per-label table, F1 per label as bars, and the
//! confusion matrix as a heat map whose cells jump to the spans they count.

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Plot};

use super::actions::layer_name;
use crate::review::adjudicate::Item;
use crate::review::align::Category;
use crate::review::metrics::{self, Agreement};
use crate::ui::app::SpanmarkApp;
use crate::ui::app::job_output::JobOutput;
use crate::ui::jobs::JobKind;

/// "0.857", or "n/a" where a figure is undefined (never NaN).
pub fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "n/a".to_string(), |v| format!("{v:.3}"))
}

/// The figures for the current layers. When the project or the layers
/// changed, they are recomputed on a worker (on a snapshot of the project)
/// while the last figures stay on screen, so large projects never stall a frame.
fn figures(app: &mut SpanmarkApp, ctx: &egui::Context) -> Option<Agreement> {
    let layers = super::layers_to_review(app);
    let key = (app.session.revision(), layers.clone());
    let running = app.jobs.is_running(JobKind::Agreement);
    let review = &app.ui.review;
    let current = review.agreement.as_ref().map(|(k, _)| k) == Some(&key);
    if !current && !running {
        let project = app.session.project.clone();
        let chosen = [layers.a.clone(), layers.b.clone()];
        app.jobs
            .spawn(ctx, JobKind::Agreement, "Computing agreement", move |_| {
                JobOutput::Agreement {
                    key,
                    report: metrics::agreement(&project, &chosen, false),
                }
            });
    }
    app.ui.review.agreement.as_ref().map(|(_, a)| a.clone())
}

pub fn show(app: &mut SpanmarkApp, ctx: &egui::Context) {
    if !app.ui.review.show_agreement {
        return;
    }
    let report = figures(app, ctx);
    let busy = app.jobs.is_running(JobKind::Agreement);
    let mut open = true;
    egui::Window::new("Agreement")
        .open(&mut open)
        .default_size([560.0, 620.0])
        .show(ctx, |ui| {
            if busy {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Computing agreement…");
                });
            }
            if let Some(report) = &report {
                egui::ScrollArea::vertical().show(ui, |ui| body(app, ui, ctx, report));
            }
        });
    app.ui.review.show_agreement = open;
}

fn body(app: &mut SpanmarkApp, ui: &mut egui::Ui, ctx: &egui::Context, r: &Agreement) {
    let a = r.layers.first().cloned().unwrap_or_default();
    let b = r.layers.get(1).cloned().unwrap_or_default();
    ui.label(format!(
        "A = {a} (reference), B = {b}, over {} documents",
        r.documents
    ));
    ui.label(format!(
        "Exact F1 {}   Overlap F1 {}   Token κ {}",
        fmt(r.exact.micro.f1),
        fmt(r.overlap.micro.f1),
        fmt(r.token_kappa.overall)
    ));
    ui.separator();
    table(ui, r);
    ui.separator();
    ui.strong("F1 per label");
    chart(ui, r);
    ui.separator();
    ui.strong("Confusion (same boundaries; rows A, columns B)");
    ui.weak("Click a cell to go to those spans.");
    heat_map(app, ui, ctx, r);
    super::event_agreement::section(ui, r.frames.as_ref());
}

fn table(ui: &mut egui::Ui, r: &Agreement) {
    egui::Grid::new("agreement-table")
        .striped(true)
        .num_columns(7)
        .show(ui, |ui| {
            for h in [
                "Label",
                "Exact P",
                "Exact R",
                "Exact F1",
                "Overlap F1",
                "κ",
                "A / B",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for (label, e) in &r.exact.per_label {
                let o = r.overlap.per_label.get(label).copied().unwrap_or_default();
                let k = r.token_kappa.per_label.get(label).copied().flatten();
                ui.label(label);
                ui.label(fmt(e.precision));
                ui.label(fmt(e.recall));
                ui.label(fmt(e.f1));
                ui.label(fmt(o.f1));
                ui.label(fmt(k));
                ui.label(format!("{} / {}", e.tp + e.fn_, e.tp + e.fp));
                ui.end_row();
            }
            let m = &r.exact.micro;
            ui.strong("All (micro)");
            ui.label(fmt(m.precision));
            ui.label(fmt(m.recall));
            ui.label(fmt(m.f1));
            ui.label(fmt(r.overlap.micro.f1));
            ui.label(fmt(r.token_kappa.overall));
            ui.label(format!("{} / {}", m.tp + m.fn_, m.tp + m.fp));
            ui.end_row();
        });
}

fn chart(ui: &mut egui::Ui, r: &Agreement) {
    let labels: Vec<String> = r.exact.per_label.keys().cloned().collect();
    let series = |f: &dyn Fn(&str) -> Option<f64>, offset: f64| -> Vec<Bar> {
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                Bar::new(i as f64 + offset, f(l).unwrap_or(0.0))
                    .width(0.35)
                    .name(l)
            })
            .collect()
    };
    let exact = series(&|l| r.exact.per_label.get(l).and_then(|p| p.f1), -0.2);
    let overlap = series(&|l| r.overlap.per_label.get(l).and_then(|p| p.f1), 0.2);
    let names = labels.clone();
    Plot::new("agreement-f1")
        .height(180.0)
        .legend(Legend::default())
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .include_y(0.0)
        .include_y(1.0)
        .x_axis_formatter(move |mark, _| {
            let i = mark.value.round();
            if (mark.value - i).abs() < 1e-6 && i >= 0.0 {
                names.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .show(ui, |plot| {
            plot.bar_chart(BarChart::new("exact F1", exact).color(Color32::from_rgb(0, 114, 178)));
            plot.bar_chart(
                BarChart::new("overlap F1", overlap).color(Color32::from_rgb(230, 159, 0)),
            );
        });
}

/// Does `item` count in confusion cell (`la`, `lb`)? Mirrors `metrics`: equal
/// boundaries pair up; every other span counts against "missing".
fn in_cell(item: &Item, la: &str, lb: &str) -> bool {
    let label = |s: &Option<crate::model::Span>| s.as_ref().map(|s| s.label.clone());
    match item.category {
        Category::Agree | Category::LabelConflict => {
            label(&item.a).as_deref() == Some(la) && label(&item.b).as_deref() == Some(lb)
        }
        _ => {
            (lb == "missing" && label(&item.a).as_deref() == Some(la))
                || (la == "missing" && label(&item.b).as_deref() == Some(lb))
        }
    }
}

fn heat_map(app: &mut SpanmarkApp, ui: &mut egui::Ui, ctx: &egui::Context, r: &Agreement) {
    let mut rows: Vec<String> = r.exact.per_label.keys().cloned().collect();
    rows.push("missing".into());
    let max = r
        .confusion
        .values()
        .flat_map(|m| m.values())
        .copied()
        .max()
        .unwrap_or(1)
        .max(1);
    let mut clicked = None;
    egui::Grid::new("agreement-confusion")
        .num_columns(rows.len() + 1)
        .show(ui, |ui| {
            ui.weak("A \\ B");
            for lb in &rows {
                ui.label(RichText::new(lb).small());
            }
            ui.end_row();
            for la in &rows {
                ui.label(RichText::new(la).small());
                for lb in &rows {
                    let n = r
                        .confusion
                        .get(la)
                        .and_then(|m| m.get(lb))
                        .copied()
                        .unwrap_or(0);
                    if la == "missing" && lb == "missing" {
                        ui.label("");
                        continue;
                    }
                    let t = n as f32 / max as f32;
                    let diagonal = la == lb;
                    let base = if diagonal {
                        Color32::from_rgb(0, 158, 115)
                    } else {
                        Color32::from_rgb(213, 94, 0)
                    };
                    let fill = if n == 0 {
                        ui.visuals().faint_bg_color
                    } else {
                        base.gamma_multiply(0.25 + 0.75 * t)
                    };
                    let name = format!("{la} in A, {lb} in B: {n}");
                    let response = ui
                        .add_enabled(
                            n > 0,
                            egui::Button::new(n.to_string())
                                .fill(fill)
                                .min_size(egui::vec2(44.0, 22.0)),
                        )
                        .on_hover_text(&name);
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, n > 0, &name)
                    });
                    if response.clicked() {
                        clicked = Some((la.clone(), lb.clone()));
                    }
                }
                ui.end_row();
            }
        });
    if let Some((la, lb)) = clicked {
        jump_to_cell(app, ctx, &la, &lb);
    }
}

/// Opens the next item (after the current one) counted in the cell.
fn jump_to_cell(app: &mut SpanmarkApp, ctx: &egui::Context, la: &str, lb: &str) {
    let Some(review) = &mut app.ui.review.session else {
        app.set_status(ctx, "Start review mode (F7) to go to the spans of a cell");
        return;
    };
    let Some((stepped, count)) = review.next_matching(&mut app.session, |i| in_cell(i, la, lb))
    else {
        return;
    };
    let layers = review.layers().clone();
    app.view.scroll_to(stepped.item.range().start);
    app.set_status(
        ctx,
        format!(
            "{count} {}: {la} in {}, {lb} in {}",
            if count == 1 { "item" } else { "items" },
            layer_name(&layers.a),
            layer_name(&layers.b)
        ),
    );
}
