//! Runs queued commands: the one place where a user action becomes a call
//! into the session, the file actions or a panel's state. Menus, keys, the
//! palette and panels only queue ([`SpanmarkApp::queue`]); the queue is run
//! at the end of the frame, after everything was drawn.

use eframe::egui;

use super::file_requests::FilePurpose;
use super::{AfterUnsaved, Dialog, SpanmarkApp};
use crate::model::CharOffset;
use crate::model::Edge;
use crate::model::words::{next_word_start, prev_word_start};
use crate::text_layout::Motion;
use crate::ui::command::{AppCommand, CommandState};
use crate::ui::file_dialogs::FileRequest;
use crate::ui::text_view::Scroll;

/// How many run commands the app remembers (tests and diagnostics read them).
const REMEMBERED: usize = 64;

impl SpanmarkApp {
    /// Asks for `command` to run at the end of this frame.
    pub fn queue(&mut self, command: AppCommand) {
        self.pending_commands.push(command);
    }

    /// The commands run so far, oldest first (the last [`REMEMBERED`]).
    pub fn ran_commands(&self) -> &[AppCommand] {
        &self.ran_commands
    }

    /// What the command table's enabled checks need, read once per frame.
    pub fn command_state(&self) -> CommandState {
        let history = self.session.history();
        CommandState {
            has_document: self.session.document().is_some(),
            can_undo: history.undo_description().is_some(),
            can_redo: history.redo_description().is_some(),
            has_selection: self.session.selection().is_some()
                || self.session.selected_span_id().is_some(),
            span_selected: self.session.selected_span_id().is_some(),
            reviewing: self.ui.review.active(),
            review_item: self.ui.review.current_item().is_some()
                || self.ui.review.current_frame_item().is_some(),
            event_rows: self.ui.review.event_row().is_some(),
            offer_shown: self.session.offer().is_some(),
            find_hits: self.ui.search.open && !self.ui.search.hits.is_empty(),
            window_open: self.ui.palette.open
                || self.ui.show_help
                || self.ui.label_all.is_open()
                || self.ui.schema_editor.open
                || self.ui.review.show_agreement,
            busy: self.is_busy(),
            layer_read_only: self.session.is_read_only(),
            event_selected: self
                .session
                .selected()
                .is_some_and(|s| self.session.project.schema.events.can_trigger(&s.label)),
            frame_selected: self.session.selected_frame().is_some(),
            link_suggested: self.ui.event_hints.suggested.is_some(),
        }
    }

    /// Runs the queued commands in order.
    pub fn run_commands(&mut self, ctx: &egui::Context) {
        let queued = std::mem::take(&mut self.pending_commands);
        if queued.is_empty() {
            return;
        }
        for command in queued {
            // Checked again: an earlier command of the same frame may have
            // changed what is possible (a queued decide after leaving review).
            if !command.enabled(&self.command_state()) {
                continue;
            }
            self.run_command(ctx, &command);
            self.ran_commands.push(command);
        }
        let over = self.ran_commands.len().saturating_sub(REMEMBERED);
        self.ran_commands.drain(..over);
        ctx.request_repaint();
    }

    fn run_command(&mut self, ctx: &egui::Context, command: &AppCommand) {
        use crate::ui::review::{actions as review, import as review_import};
        use AppCommand::*;
        match command {
            NewFromTexts => {
                self.ask_for_files(ctx, FileRequest::OpenTexts, FilePurpose::NewFromTexts)
            }
            AddTextFiles => self.ask_for_files(ctx, FileRequest::OpenTexts, FilePurpose::AddTexts),
            OpenProject => {
                self.ask_for_files(ctx, FileRequest::OpenProject, FilePurpose::OpenProject)
            }
            // Read by the dialogs and fields themselves.
            ConfirmDialog | CancelDialog => {}
            AnnotateCopy => self.annotate_own_layer(ctx, true),
            AnnotateEmpty => self.annotate_own_layer(ctx, false),
            ChooseAnnotator => {
                // The analyst's own name, not the sample annotator's whose layer is shown.
                let name = if self.session.read_only_layer().is_some() {
                    self.own_name()
                } else {
                    self.session.annotator().to_string()
                };
                self.push_dialog(Dialog::AskAnnotator { name, switch: true });
            }
            Save => self.save(ctx),
            SaveAs => self.save_as(ctx),
            ImportAnnotations => self.ui.import.open = true,
            ImportColleague => review_import::start(self, ctx),
            Export => self.ui.export.open = true,
            ExportPicture => self.ask_export_picture(ctx),
            Quit => {
                if self.session.is_dirty() {
                    self.push_dialog(Dialog::UnsavedChanges {
                        then: AfterUnsaved::Quit,
                    });
                } else {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
            }
            Undo => match self.session.undo() {
                Ok(true) => self.set_status(ctx, "Undone"),
                Ok(false) => self.set_status(ctx, "Nothing to undo"),
                Err(e) => self.set_status(ctx, format!("Cannot undo: {e}")),
            },
            Redo => match self.session.redo() {
                Ok(true) => self.set_status(ctx, "Redone"),
                Ok(false) => self.set_status(ctx, "Nothing to redo"),
                Err(e) => self.set_status(ctx, format!("Cannot redo: {e}")),
            },
            MarkDoneAndNext => self.ask_mark_done(ctx),
            DateDocument => {
                if let Some(doc) = self.session.document() {
                    self.ui.document_date.open(doc);
                }
            }
            Find => self.ui.search.open(),
            FindNext => crate::ui::search_bar::step(self, true),
            FindPrevious => crate::ui::search_bar::step(self, false),
            NextSpan => self.step_span(true),
            PreviousSpan => self.step_span(false),
            DeleteSpan => {
                if self.session.delete_selected() {
                    let undo = crate::ui::command::key_hint(ctx, &Undo);
                    self.set_status(ctx, format!("Span removed ({undo} to undo)"));
                }
            }
            ClearSelection if self.ui.linking.is_some() => {
                self.ui.linking = None;
                self.set_status(ctx, "Linking cancelled");
            }
            ClearSelection => {
                if !self.session.has_selection() {
                    self.session.set_sticky_label(None);
                }
                self.session.clear_selection();
            }
            ExtendLeft => self.extend_visually(ctx, Motion::Left),
            ExtendRight => self.extend_visually(ctx, Motion::Right),
            ExtendWordLeft => self.extend_selection(ctx, false, true),
            ExtendWordRight => self.extend_selection(ctx, true, true),
            MoveEndLeft => self.resize(ctx, Edge::End, -1),
            MoveEndRight => self.resize(ctx, Edge::End, 1),
            MoveStartLeft => self.resize(ctx, Edge::Start, -1),
            MoveStartRight => self.resize(ctx, Edge::Start, 1),
            AcceptOffer => crate::ui::propagation::accept_offer(self, ctx),
            DismissOffer => self.session.dismiss_offer(),
            ScrollDown => self.caret_or_scroll_vertically(true),
            ScrollUp => self.caret_or_scroll_vertically(false),
            PageDown => self.view.scroll(Scroll::Pages(1.0)),
            PageUp => self.view.scroll(Scroll::Pages(-1.0)),
            ScrollToTop => self.view.scroll(Scroll::Top),
            ScrollToBottom => self.view.scroll(Scroll::Bottom),
            CaretLeft => self.move_caret(Motion::Left),
            CaretRight => self.move_caret(Motion::Right),
            CaretLineStart => self.move_caret(Motion::LineStart),
            CaretLineEnd => self.move_caret(Motion::LineEnd),
            ExtendLineStart => self.extend_visually(ctx, Motion::LineStart),
            ExtendLineEnd => self.extend_visually(ctx, Motion::LineEnd),
            ToggleTags => self.ui.show_tags = !self.ui.show_tags,
            ToggleDocumentsPanel => {
                let width = self.ui.window_width;
                self.ui.panels.toggle_documents(width)
            }
            ToggleLabelsPanel => {
                let width = self.ui.window_width;
                self.ui.panels.toggle_labels(width)
            }
            EditLabels => self.ui.schema_editor.open = true,
            ShowHelp => self.ui.show_help = !self.ui.show_help,
            CommandPalette => self.ui.palette.toggle(),
            CloseWindow => {
                // One window per press, the most recently opened kind first.
                let ui = &mut self.ui;
                if ui.palette.open {
                    ui.palette.open = false;
                } else if ui.show_help {
                    ui.show_help = false;
                } else if ui.label_all.is_open() {
                    ui.label_all.close();
                } else if ui.schema_editor.open {
                    ui.schema_editor.open = false;
                } else {
                    ui.review.show_agreement = false;
                }
            }
            ToggleReview => {
                if self.ui.review.active() {
                    review::stop(self, ctx);
                } else {
                    review::start(self, ctx);
                }
            }
            ShowAgreement => self.ui.review.show_agreement = !self.ui.review.show_agreement,
            AcceptAllAgreements => review::accept_all_agreements(self, ctx),
            SwapReviewLayers => review::swap_layers(self, ctx),
            ReviewNext => review::step(self, ctx, true),
            ReviewPrevious => review::step(self, ctx, false),
            Decide(verdict) => review::decide(self, ctx, *verdict),
            Undecide => review::undecide(self, ctx),
            NextEventRow => self.ui.review.step_event_row(true),
            PreviousEventRow => self.ui.review.step_event_row(false),
            DecideRow(verdict) => review::decide_row(self, ctx, *verdict),
            Label(label) => self.press_label(ctx, label),
            FillRole(role) => self.press_role(ctx, role),
            AcceptSuggestedLink => self.accept_suggested_link(ctx),
            AddEvent => self.add_event(ctx),
            RemoveEvent => self.remove_event(ctx),
            NextEventOfTrigger => self.next_event_of_trigger(ctx),
            NextEventType => self.step_event_type(ctx, true),
            PreviousEventType => self.step_event_type(ctx, false),
            ToggleMissingRolesFilter => {
                self.ui.missing_roles_only = !self.ui.missing_roles_only;
            }
        }
    }

    /// Marks the document done, unless an event lacks a role the schema
    /// needs: then a dialog asks first.
    fn ask_mark_done(&mut self, ctx: &egui::Context) {
        let short = self.session.short_roles();
        if short.is_empty() {
            self.mark_done_now(ctx);
            return;
        }
        let layer = self.session.layer_id();
        let trigger_of = |frame| {
            let doc = self.session.document()?;
            Some(doc.layer(&layer)?.frame(frame)?.trigger)
        };
        let first = short.first().and_then(|(f, _)| Some((trigger_of(*f)?, *f)));
        let problems = short
            .iter()
            .map(|(f, p)| {
                let what = self.span_text(trigger_of(*f));
                format!("“{what}”: {p}")
            })
            .collect();
        self.push_dialog(Dialog::ShortRoles { problems, first });
    }

    /// Marks the document done and opens the next one not done.
    pub(crate) fn mark_done_now(&mut self, ctx: &egui::Context) {
        match self.session.mark_done_and_next() {
            Some(_) => self.set_status(ctx, "Marked done; opened the next document"),
            None => self.set_status(ctx, "Marked done; every document is done"),
        }
    }

    fn step_span(&mut self, forward: bool) {
        if self.session.step_span(forward).is_some()
            && let Some(span) = self.session.selected()
        {
            let start = span.start();
            self.view.scroll_to(start);
        }
    }

    /// Moves the caret a code point, if there is one (a click placed it).
    /// ↑/↓: with a caret, to the row above or below at the same place;
    /// without one, the view scrolls by a row.
    fn caret_or_scroll_vertically(&mut self, down: bool) {
        let rows = if down { 1.0 } else { -1.0 };
        if !self.session.has_caret() {
            self.view.scroll(Scroll::Rows(rows));
            return;
        }
        let cursor = self.session.cursor();
        match self.view.vertical_neighbour(cursor, down) {
            Some(to) if to != cursor => {
                self.session.set_cursor(to);
                if self.view.screen_pos(to).is_none() {
                    self.view.scroll_to(to);
                }
            }
            // The row beyond is off screen: scroll it in, the caret follows next time.
            _ => self.view.scroll(Scroll::Rows(rows)),
        }
    }

    /// Moves the caret on screen: Left and Right go left and right whatever
    /// the text's direction (in Urdu, Left goes on to the next letter);
    /// Home and End go to the visual line's ends. Without a caret, Home and
    /// End scroll to the document's ends.
    fn move_caret(&mut self, motion: Motion) {
        if !self.session.has_caret() {
            match motion {
                Motion::LineStart => self.view.scroll(Scroll::Top),
                Motion::LineEnd => self.view.scroll(Scroll::Bottom),
                Motion::Left | Motion::Right => {}
            }
            return;
        }
        let cursor = self.session.cursor();
        let len = self.session.document().map_or(0, |d| d.char_len());
        let to = self
            .view
            .step(cursor, motion)
            .unwrap_or_else(|| logical_step(cursor, motion, len));
        self.session.set_cursor(to);
        // Only when it left the screen: the view does not jump at each key.
        if self.view.screen_pos(self.session.cursor()).is_none() {
            self.view.scroll_to(self.session.cursor());
        }
    }

    /// Moves the selection's head on screen (Shift+Left/Right/Home/End).
    fn extend_visually(&mut self, ctx: &egui::Context, motion: Motion) {
        let cursor = self.session.cursor();
        let len = self.session.document().map_or(0, |d| d.char_len());
        let head = self
            .view
            .step(cursor, motion)
            .unwrap_or_else(|| logical_step(cursor, motion, len));
        if let Some(outcome) = self.session.extend_selection(head) {
            self.report_label(ctx, outcome);
        }
    }

    fn resize(&mut self, ctx: &egui::Context, edge: Edge, delta: isize) {
        if !self.session.resize_selected(edge, delta) {
            self.set_status(ctx, "Cannot resize the span that way");
        }
    }

    /// Moves the selection's head by a character or a word.
    fn extend_selection(&mut self, ctx: &egui::Context, forward: bool, by_word: bool) {
        let Some(doc) = self.session.document() else {
            return;
        };
        let cursor = self.session.cursor();
        let head = match (forward, by_word) {
            (true, true) => next_word_start(doc, cursor),
            (false, true) => prev_word_start(doc, cursor),
            (true, false) => (cursor + 1).min(doc.char_len()),
            (false, false) => cursor.saturating_sub(1),
        };
        if let Some(outcome) = self.session.extend_selection(head) {
            self.report_label(ctx, outcome);
        }
    }

    /// What a label's key or a click on it in the palette does: labels the
    /// selection, relabels the selected span, or with nothing selected
    /// toggles sticky mode for that label.
    fn press_label(&mut self, ctx: &egui::Context, label: &str) {
        if self.session.selection().is_some() || self.session.selected_span_id().is_some() {
            let outcome = self.session.label_selection(label);
            self.report_label(ctx, outcome);
        } else if self.session.sticky_label() == Some(label) {
            self.session.set_sticky_label(None);
            self.set_status(ctx, "Sticky label off");
        } else {
            self.session.set_sticky_label(Some(label.to_string()));
            self.set_status(
                ctx,
                format!(
                    "Sticky label: every selection becomes {label} ({} to stop)",
                    crate::ui::command::key_hint(ctx, &AppCommand::ClearSelection)
                ),
            );
        }
    }
}

/// Where a caret moves when its row is not on screen: by code point, as
/// if the text ran left to right.
fn logical_step(cursor: CharOffset, motion: Motion, len: CharOffset) -> CharOffset {
    match motion {
        Motion::Left => cursor.saturating_sub(1),
        Motion::Right => (cursor + 1).min(len),
        Motion::LineStart | Motion::LineEnd => cursor,
    }
}
