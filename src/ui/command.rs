//! Every user action of the workspace, in one table: its name, its
//! shortcuts and when it applies. Menus, the keyboard, the F1 help, the
//! command palette, the label palette and the review panel all read this
//! table and queue commands; the app runs them in one place at the end of
//! the frame (`SpanmarkApp::run_commands`). A shortcut is written nowhere else.

use eframe::egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

use crate::model::Verdict;

/// One user action. Label keys carry the label's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AppCommand {
    NewFromTexts,
    AddTextFiles,
    OpenProject,
    ChooseAnnotator,
    Save,
    SaveAs,
    ImportAnnotations,
    ImportColleague,
    Export,
    ExportPicture,
    Quit,
    Undo,
    Redo,
    MarkDoneAndNext,
    /// Opens "Date of the document" for the open document.
    DateDocument,
    Find,
    FindNext,
    FindPrevious,
    NextSpan,
    PreviousSpan,
    DeleteSpan,
    ClearSelection,
    ExtendLeft,
    ExtendRight,
    ExtendWordLeft,
    ExtendWordRight,
    MoveEndLeft,
    MoveEndRight,
    MoveStartLeft,
    MoveStartRight,
    AcceptOffer,
    DismissOffer,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    ScrollToTop,
    ScrollToBottom,
    CaretLeft,
    CaretRight,
    CaretLineStart,
    CaretLineEnd,
    ExtendLineStart,
    ExtendLineEnd,
    ToggleTags,
    /// Shows or hides the documents panel (hidden by itself in a narrow window).
    ToggleDocumentsPanel,
    /// Shows or hides the labels panel (hidden by itself in a narrow window).
    ToggleLabelsPanel,
    EditLabels,
    ShowHelp,
    CommandPalette,
    /// Closes the help, the palette, the label editor or the agreement window.
    CloseWindow,
    ToggleReview,
    ShowAgreement,
    AcceptAllAgreements,
    /// Makes B the reference layer and A the other.
    SwapReviewLayers,
    /// Leaves a read-only layer (the sample's) for the analyst's own copy of it.
    AnnotateCopy,
    /// Leaves a read-only layer for an empty layer of the analyst's own.
    AnnotateEmpty,
    ReviewNext,
    ReviewPrevious,
    Decide(Verdict),
    Undecide,
    /// On a pair of events: moves the row cursor down or up the slot rows.
    NextEventRow,
    PreviousEventRow,
    /// On a pair of events: decides the row under the cursor otherwise
    /// than the event (A, B, both or none).
    DecideRow(Verdict),
    /// Confirms a dialog, or the text field that has the keyboard (Enter).
    ConfirmDialog,
    /// Cancels a dialog (Esc).
    CancelDialog,
    /// Labels the selection (or relabels the selected span, or toggles
    /// sticky mode) with this label: its key, or a click in the palette.
    Label(String),
    /// With an event selected: the next span clicked fills this role of
    /// it; the role's key again fills it with the nearest candidate.
    FillRole(String),
    /// Fills the link the event panel suggests (the first role wanting a
    /// filler, with its nearest candidate in the sentence).
    AcceptSuggestedLink,
    /// A second event on the selected trigger ("killed in Bajaur and one
    /// in Khyber" is two events, one verb).
    AddEvent,
    /// Removes the selected event; its trigger span stays.
    RemoveEvent,
    /// Steps to the trigger's next event, when it has several.
    NextEventOfTrigger,
    /// Steps the selected event's type forward through the schema's list.
    NextEventType,
    PreviousEventType,
    /// The span list shows only events whose roles are not all filled.
    ToggleMissingRolesFilter,
}

/// When a command's shortcut applies. Shortcuts are unique within one
/// context; where contexts overlap, the earlier one in [`Context::PRIORITY`]
/// takes the key (an offer on screen takes Enter and Esc first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Always, even while a text field has the keyboard.
    Global,
    /// While no text field has the keyboard.
    Editing,
    /// In review mode, while no text field has the keyboard.
    Review,
    /// While the offer to label other occurrences is shown.
    Offer,
    /// While the find bar is open with matches.
    Find,
    /// While a window (help, palette, label editor, agreement) is open.
    Window,
    /// Inside a dialog or a text field: the dialog reads these keys itself
    /// ([`confirm_pressed`], [`take_cancel`]), not the app's key handler.
    Dialog,
}

impl Context {
    /// Which context takes a key that several would match.
    pub const PRIORITY: [Context; 7] = [
        Context::Dialog,
        Context::Window,
        Context::Offer,
        Context::Find,
        Context::Review,
        Context::Editing,
        Context::Global,
    ];
}

/// Where a command sits in the menus and the help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    File,
    Edit,
    Select,
    View,
    Events,
    Review,
    Help,
}

impl Group {
    pub const ALL: [Group; 7] = [
        Group::File,
        Group::Edit,
        Group::Select,
        Group::View,
        Group::Events,
        Group::Review,
        Group::Help,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Group::File => "File",
            Group::Edit => "Edit",
            Group::Select => "Select and resize",
            Group::View => "View",
            Group::Events => "Events",
            Group::Review => "Review",
            Group::Help => "Help",
        }
    }
}

/// What the enabled checks look at: a snapshot of the app taken once per
/// frame, so the table knows nothing of the app's types.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommandState {
    pub has_document: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// A text selection or a selected span.
    pub has_selection: bool,
    pub span_selected: bool,
    pub reviewing: bool,
    /// A current review item (decisions need one).
    pub review_item: bool,
    /// The current review item is a pair of events with slot rows.
    pub event_rows: bool,
    pub offer_shown: bool,
    pub find_hits: bool,
    /// A window Esc closes is open.
    pub window_open: bool,
    /// A worker holds the project (opening, merging): no edits.
    pub busy: bool,
    /// The layer shown is read-only (the sample's annotator's).
    pub layer_read_only: bool,
    /// The selected span can trigger an event (an EVENT span).
    pub event_selected: bool,
    /// The selected trigger has an event (a frame) to work on.
    pub frame_selected: bool,
    /// The event panel has a link to suggest.
    pub link_suggested: bool,
}

fn cmd(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}
fn cmd_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, key)
}
fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}
fn with(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// The decisions of review, with their keys.
const VERDICTS: [(Verdict, Key); 5] = [
    (Verdict::AcceptA, Key::A),
    (Verdict::AcceptB, Key::B),
    (Verdict::AcceptBoth, Key::C),
    (Verdict::Reject, Key::R),
    (Verdict::Edit, Key::E),
];

/// The verdicts a row of an event comparison can take, with their keys
/// (the event's keys with Shift).
pub const ROW_VERDICTS: [(Verdict, Key); 4] = [
    (Verdict::AcceptA, Key::A),
    (Verdict::AcceptB, Key::B),
    (Verdict::AcceptBoth, Key::C),
    (Verdict::Reject, Key::R),
];

/// Lists the commands without data, in menu order, and writes an
/// exhaustive match over them: a command added to the enum but not here
/// does not compile, so no command can be left out of menus, help and palette.
macro_rules! listed_commands {
    ($($name:ident),* $(,)?) => {
        const LISTED: &[AppCommand] = &[$(AppCommand::$name),*];

        #[allow(dead_code)]
        fn every_command_is_listed(command: &AppCommand) {
            match command {
                $(AppCommand::$name)|* => {}
                AppCommand::Decide(_)
                | AppCommand::DecideRow(_)
                | AppCommand::Label(_)
                | AppCommand::FillRole(_) => {}
            }
        }
    };
}

listed_commands!(
    NewFromTexts,
    AddTextFiles,
    OpenProject,
    ChooseAnnotator,
    AnnotateCopy,
    AnnotateEmpty,
    Save,
    SaveAs,
    ImportAnnotations,
    ImportColleague,
    Export,
    ExportPicture,
    Quit,
    Undo,
    Redo,
    MarkDoneAndNext,
    DateDocument,
    Find,
    FindNext,
    FindPrevious,
    NextSpan,
    PreviousSpan,
    DeleteSpan,
    ClearSelection,
    ExtendLeft,
    ExtendRight,
    ExtendWordLeft,
    ExtendWordRight,
    MoveEndLeft,
    MoveEndRight,
    MoveStartLeft,
    MoveStartRight,
    AcceptOffer,
    DismissOffer,
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    ScrollToTop,
    ScrollToBottom,
    CaretLeft,
    CaretRight,
    CaretLineStart,
    CaretLineEnd,
    ExtendLineStart,
    ExtendLineEnd,
    ToggleTags,
    ToggleDocumentsPanel,
    ToggleLabelsPanel,
    EditLabels,
    AcceptSuggestedLink,
    AddEvent,
    NextEventOfTrigger,
    NextEventType,
    PreviousEventType,
    RemoveEvent,
    ToggleMissingRolesFilter,
    ShowHelp,
    CommandPalette,
    CloseWindow,
    ConfirmDialog,
    CancelDialog,
    ToggleReview,
    ShowAgreement,
    AcceptAllAgreements,
    SwapReviewLayers,
    ReviewNext,
    ReviewPrevious,
    Undecide,
    NextEventRow,
    PreviousEventRow,
);

impl AppCommand {
    /// Every command but the label keys (those come from the schema), in
    /// menu order; a decision key per verdict sits before Undecide.
    pub fn fixed() -> Vec<AppCommand> {
        let mut all = Vec::with_capacity(LISTED.len() + VERDICTS.len() + ROW_VERDICTS.len());
        for command in LISTED {
            if *command == AppCommand::Undecide {
                all.extend(VERDICTS.iter().map(|(v, _)| AppCommand::Decide(*v)));
            }
            all.push(command.clone());
        }
        all.extend(ROW_VERDICTS.iter().map(|(v, _)| AppCommand::DecideRow(*v)));
        all
    }

    /// Every command: the fixed ones, then one per label of the schema,
    /// then one per event role.
    pub fn all(schema: &crate::model::LabelSchema) -> Vec<AppCommand> {
        let mut all = Self::fixed();
        all.extend(
            schema
                .labels
                .iter()
                .map(|l| AppCommand::Label(l.name.clone())),
        );
        all.extend(
            schema
                .events
                .roles
                .iter()
                .map(|r| AppCommand::FillRole(r.name.clone())),
        );
        all
    }

    /// The name in menus, the help and the palette.
    pub fn name(&self) -> String {
        use AppCommand::*;
        let name = match self {
            NewFromTexts => "New project from text files…",
            AddTextFiles => "Add text files…",
            OpenProject => "Open project…",
            ChooseAnnotator => "Annotator…",
            Save => "Save",
            SaveAs => "Save as…",
            ImportAnnotations => "Import annotations (brat, doccano, …)…",
            ImportColleague => "Import colleague's annotations…",
            Export => "Export…",
            ExportPicture => "Export picture…",
            Quit => "Quit",
            Undo => "Undo",
            Redo => "Redo",
            MarkDoneAndNext => "Mark done and open the next document",
            DateDocument => "Date of the document…",
            Find => "Find…",
            FindNext => "Next match",
            FindPrevious => "Previous match",
            NextSpan => "Next span",
            PreviousSpan => "Previous span",
            DeleteSpan => "Remove the selected span",
            ClearSelection => "Clear the selection (again: stop the sticky label)",
            ExtendLeft => "Extend the selection left by a character",
            ExtendRight => "Extend the selection right by a character",
            ExtendWordLeft => "Extend the selection left by a word",
            ExtendWordRight => "Extend the selection right by a word",
            MoveEndLeft => "Move the selected span's end left",
            MoveEndRight => "Move the selected span's end right",
            MoveStartLeft => "Move the selected span's start left",
            MoveStartRight => "Move the selected span's start right",
            AcceptOffer => "Label the other occurrences too",
            DismissOffer => "Dismiss the offer to label other occurrences",
            ScrollDown => "Caret down a line (scroll without a caret)",
            ScrollUp => "Caret up a line (scroll without a caret)",
            PageDown => "Scroll down a screen",
            PageUp => "Scroll up a screen",
            ScrollToTop => "Go to the start of the document",
            ScrollToBottom => "Go to the end of the document",
            CaretLeft => "Move the caret left",
            CaretRight => "Move the caret right",
            CaretLineStart => "Move the caret to the start of the line (the right end in Urdu)",
            CaretLineEnd => "Move the caret to the end of the line",
            ExtendLineStart => "Extend the selection to the start of the line",
            ExtendLineEnd => "Extend the selection to the end of the line",
            ToggleTags => "Label tags on spans",
            ToggleDocumentsPanel => "Documents panel",
            ToggleLabelsPanel => "Labels panel",
            EditLabels => "Edit labels…",
            ShowHelp => "Keyboard shortcuts",
            CommandPalette => "Command palette…",
            CloseWindow => "Close the window",
            ToggleReview => "Review mode (on / off)",
            ShowAgreement => "Agreement…",
            AcceptAllAgreements => "Accept all agreements",
            SwapReviewLayers => "Swap layers A and B (change the reference)",
            AnnotateCopy => "Annotate a copy of this layer as me",
            AnnotateEmpty => "Annotate on an empty layer of my own",
            ConfirmDialog => "Confirm a dialog or a field",
            CancelDialog => "Cancel a dialog",
            ReviewNext => "Next difference",
            ReviewPrevious => "Previous difference",
            Decide(Verdict::AcceptA) => "Accept A",
            Decide(Verdict::AcceptB) => "Accept B",
            Decide(Verdict::AcceptBoth) => "Accept both",
            Decide(Verdict::Reject) => "Reject",
            Decide(Verdict::Edit) => "Edit in gold",
            Undecide => "Undecide",
            NextEventRow => "Next row of the event comparison",
            PreviousEventRow => "Previous row of the event comparison",
            DecideRow(Verdict::AcceptA) => "Row: take A",
            DecideRow(Verdict::AcceptB) => "Row: take B",
            DecideRow(Verdict::AcceptBoth) => "Row: take both",
            DecideRow(_) => "Row: take none",
            AcceptSuggestedLink => "Accept the suggested link",
            AddEvent => "Add another event on this trigger",
            RemoveEvent => "Remove the selected event (the trigger span stays)",
            NextEventOfTrigger => "Next event on this trigger",
            NextEventType => "Next event type",
            PreviousEventType => "Previous event type",
            ToggleMissingRolesFilter => "Span list: only events with missing roles",
            Label(name) => return format!("Label as {name}"),
            FillRole(role) => return format!("Fill the event's {role}"),
        };
        name.to_string()
    }

    /// The keyboard shortcuts, first the one shown in menus. `Modifiers::COMMAND`
    /// is Cmd on macOS and Ctrl elsewhere. Label keys are typed characters,
    /// not keys: see [`AppCommand::label_key`].
    pub fn shortcuts(&self) -> Vec<KeyboardShortcut> {
        use AppCommand::*;
        let alt_shift = Modifiers::ALT | Modifiers::SHIFT;
        let alt_ctrl = Modifiers::ALT | Modifiers::CTRL;
        match self {
            OpenProject => vec![cmd(Key::O)],
            ConfirmDialog => vec![plain(Key::Enter)],
            CancelDialog => vec![plain(Key::Escape)],
            ToggleDocumentsPanel => vec![cmd(Key::B)],
            ToggleLabelsPanel => vec![KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::ALT,
                Key::B,
            )],
            Save => vec![cmd(Key::S)],
            SaveAs => vec![cmd_shift(Key::S)],
            Undo => vec![cmd(Key::Z)],
            Redo => vec![cmd_shift(Key::Z), cmd(Key::Y)],
            MarkDoneAndNext => vec![cmd(Key::Enter)],
            Find => vec![cmd(Key::F)],
            FindNext => vec![plain(Key::Enter), plain(Key::F3)],
            FindPrevious => vec![
                with(Modifiers::SHIFT, Key::Enter),
                with(Modifiers::SHIFT, Key::F3),
            ],
            NextSpan => vec![plain(Key::Tab)],
            PreviousSpan => vec![with(Modifiers::SHIFT, Key::Tab)],
            DeleteSpan => vec![plain(Key::Delete), plain(Key::Backspace)],
            ClearSelection => vec![plain(Key::Escape)],
            ExtendLeft => vec![with(Modifiers::SHIFT, Key::ArrowLeft)],
            ExtendRight => vec![with(Modifiers::SHIFT, Key::ArrowRight)],
            ExtendWordLeft => vec![cmd_shift(Key::ArrowLeft)],
            ExtendWordRight => vec![cmd_shift(Key::ArrowRight)],
            MoveEndLeft => vec![with(alt_shift, Key::ArrowLeft)],
            MoveEndRight => vec![with(alt_shift, Key::ArrowRight)],
            MoveStartLeft => vec![with(alt_ctrl, Key::ArrowLeft)],
            MoveStartRight => vec![with(alt_ctrl, Key::ArrowRight)],
            AcceptOffer => vec![plain(Key::Enter)],
            DismissOffer => vec![plain(Key::Escape)],
            ScrollDown => vec![plain(Key::ArrowDown)],
            ScrollUp => vec![plain(Key::ArrowUp)],
            PageDown => vec![plain(Key::PageDown), plain(Key::Space)],
            PageUp => vec![plain(Key::PageUp), with(Modifiers::SHIFT, Key::Space)],
            ScrollToTop => vec![cmd(Key::Home)],
            ScrollToBottom => vec![cmd(Key::End)],
            CaretLeft => vec![plain(Key::ArrowLeft)],
            CaretRight => vec![plain(Key::ArrowRight)],
            CaretLineStart => vec![plain(Key::Home)],
            CaretLineEnd => vec![plain(Key::End)],
            ExtendLineStart => vec![with(Modifiers::SHIFT, Key::Home)],
            ExtendLineEnd => vec![with(Modifiers::SHIFT, Key::End)],
            ShowHelp => vec![plain(Key::F1)],
            CommandPalette => vec![cmd_shift(Key::P)],
            CloseWindow => vec![plain(Key::Escape)],
            ToggleReview => vec![plain(Key::F7)],
            ShowAgreement => vec![plain(Key::F8)],
            ReviewNext => vec![plain(Key::N)],
            ReviewPrevious => vec![plain(Key::P)],
            Decide(v) => VERDICTS
                .iter()
                .filter(|(x, _)| x == v)
                .map(|(_, k)| plain(*k))
                .collect(),
            Undecide => vec![plain(Key::U)],
            NextEventRow => vec![with(Modifiers::ALT, Key::ArrowDown)],
            PreviousEventRow => vec![with(Modifiers::ALT, Key::ArrowUp)],
            DecideRow(v) => ROW_VERDICTS
                .iter()
                .filter(|(x, _)| x == v)
                .map(|(_, k)| with(Modifiers::SHIFT, *k))
                .collect(),
            AcceptSuggestedLink => vec![plain(Key::Enter)],
            AddEvent => vec![cmd_shift(Key::N)],
            RemoveEvent => vec![with(Modifiers::SHIFT, Key::Delete)],
            NextEventOfTrigger => vec![with(Modifiers::ALT, Key::E)],
            NextEventType => vec![cmd(Key::E)],
            PreviousEventType => vec![cmd_shift(Key::E)],
            ToggleMissingRolesFilter => vec![cmd_shift(Key::M)],
            DateDocument => vec![cmd_shift(Key::D)],
            NewFromTexts | AddTextFiles | ChooseAnnotator | ImportAnnotations | ImportColleague
            | Export | ExportPicture | Quit | ToggleTags | EditLabels | AcceptAllAgreements
            | SwapReviewLayers | AnnotateCopy | AnnotateEmpty | Label(_) | FillRole(_) => {
                Vec::new()
            }
        }
    }

    /// A label command's key in `schema` (typed as text, so `1` works on
    /// every keyboard layout that types it).
    pub fn label_key(&self, schema: &crate::model::LabelSchema) -> Option<char> {
        match self {
            AppCommand::Label(name) => schema.get(name).and_then(|l| l.key),
            AppCommand::FillRole(role) => schema.events.role(role).and_then(|r| r.key),
            _ => None,
        }
    }

    /// When the shortcuts apply.
    pub fn context(&self) -> Context {
        use AppCommand::*;
        match self {
            OpenProject | Save | SaveAs | Find | ShowHelp | CommandPalette | ToggleReview
            | ShowAgreement | ToggleDocumentsPanel | ToggleLabelsPanel => Context::Global,
            ReviewNext | ReviewPrevious | Decide(_) | Undecide | NextEventRow
            | PreviousEventRow | DecideRow(_) | AcceptAllAgreements | SwapReviewLayers => {
                Context::Review
            }
            AcceptOffer | DismissOffer => Context::Offer,
            FindNext | FindPrevious => Context::Find,
            CloseWindow => Context::Window,
            ConfirmDialog | CancelDialog => Context::Dialog,
            _ => Context::Editing,
        }
    }

    /// The menu (and help section) the command is listed under.
    pub fn group(&self) -> Group {
        use AppCommand::*;
        match self {
            NewFromTexts | AddTextFiles | OpenProject | ChooseAnnotator | AnnotateCopy
            | AnnotateEmpty | Save | SaveAs | ImportAnnotations | ImportColleague | Export
            | ExportPicture | Quit => Group::File,
            Undo | Redo | MarkDoneAndNext | DateDocument | Find | FindNext | FindPrevious
            | DeleteSpan | AcceptOffer | DismissOffer | Label(_) => Group::Edit,
            FillRole(_)
            | AcceptSuggestedLink
            | AddEvent
            | RemoveEvent
            | NextEventOfTrigger
            | NextEventType
            | PreviousEventType
            | ToggleMissingRolesFilter => Group::Events,
            NextSpan | PreviousSpan | ClearSelection | ExtendLeft | ExtendRight
            | ExtendWordLeft | ExtendWordRight | ExtendLineStart | ExtendLineEnd | MoveEndLeft
            | MoveEndRight | MoveStartLeft | MoveStartRight => Group::Select,
            ToggleTags | ToggleDocumentsPanel | ToggleLabelsPanel | EditLabels | ScrollDown
            | ScrollUp | PageDown | PageUp | ScrollToTop | ScrollToBottom | CaretLeft
            | CaretRight | CaretLineStart | CaretLineEnd => Group::View,
            ToggleReview | ShowAgreement | AcceptAllAgreements | SwapReviewLayers | ReviewNext
            | ReviewPrevious | Decide(_) | Undecide | NextEventRow | PreviousEventRow
            | DecideRow(_) => Group::Review,
            ShowHelp | CommandPalette | CloseWindow | ConfirmDialog | CancelDialog => Group::Help,
        }
    }

    /// Whether the command can run now. A disabled command is greyed in the
    /// menus and the palette, and its key does nothing (and is left to egui).
    pub fn enabled(&self, s: &CommandState) -> bool {
        use AppCommand::*;
        let editable = s.has_document && !s.busy;
        match self {
            Undo => s.can_undo && !s.busy,
            Redo => s.can_redo && !s.busy,
            MarkDoneAndNext | NextSpan | PreviousSpan | ExtendLeft | ExtendRight
            | ExtendWordLeft | ExtendWordRight | Label(_) | ScrollDown | ScrollUp | PageDown
            | PageUp | ScrollToTop | ScrollToBottom | CaretLeft | CaretRight | CaretLineStart
            | CaretLineEnd | ExtendLineStart | ExtendLineEnd => editable,
            DeleteSpan | MoveEndLeft | MoveEndRight | MoveStartLeft | MoveStartRight => {
                editable && s.span_selected && !s.layer_read_only
            }
            AnnotateCopy | AnnotateEmpty => s.layer_read_only && !s.busy,
            FillRole(_) | AddEvent => editable && s.event_selected && !s.layer_read_only,
            RemoveEvent | NextEventOfTrigger | NextEventType | PreviousEventType => {
                editable && s.frame_selected && !s.layer_read_only
            }
            AcceptSuggestedLink => editable && s.link_suggested && !s.layer_read_only,
            ToggleMissingRolesFilter => s.has_document,
            DateDocument => s.has_document && !s.busy,
            ClearSelection => true,
            AcceptOffer | DismissOffer => s.offer_shown && !s.busy,
            FindNext | FindPrevious => s.find_hits,
            CloseWindow => s.window_open,
            ShowAgreement | AcceptAllAgreements | SwapReviewLayers | ReviewNext
            | ReviewPrevious => s.reviewing && !s.busy,
            Decide(_) | Undecide => s.reviewing && s.review_item && !s.busy,
            NextEventRow | PreviousEventRow | DecideRow(_) => {
                s.reviewing && s.event_rows && !s.busy
            }
            AddTextFiles | ImportAnnotations | ImportColleague | ToggleReview => !s.busy,
            ExportPicture => s.has_document,
            NewFromTexts | OpenProject | ChooseAnnotator | Save | SaveAs | Export | Quit | Find
            | ToggleTags | ToggleDocumentsPanel | ToggleLabelsPanel | EditLabels | ShowHelp
            | CommandPalette | ConfirmDialog | CancelDialog => true,
        }
    }

    /// Whether the command is listed in its menu (the others are keys only:
    /// moving the selection, answering an offer).
    pub fn in_menu(&self) -> bool {
        use AppCommand::*;
        !matches!(
            self,
            NextSpan
                | PreviousSpan
                | ClearSelection
                | ExtendLeft
                | ExtendRight
                | ExtendWordLeft
                | ExtendWordRight
                | MoveEndLeft
                | MoveEndRight
                | MoveStartLeft
                | MoveStartRight
                | AcceptOffer
                | DismissOffer
                | FindNext
                | FindPrevious
                | CloseWindow
                | ScrollDown
                | ScrollUp
                | PageDown
                | PageUp
                | ScrollToTop
                | ScrollToBottom
                | CaretLeft
                | CaretRight
                | CaretLineStart
                | CaretLineEnd
                | ExtendLineStart
                | ExtendLineEnd
                | ConfirmDialog
                | CancelDialog
                | Label(_)
        )
    }
}

/// Whether one of `command`'s keys was pressed this frame (not taken).
fn pressed(ctx: &eframe::egui::Context, command: &AppCommand) -> bool {
    command.shortcuts().iter().any(|s| {
        ctx.input(|i| i.key_pressed(s.logical_key) && i.modifiers.matches_logically(s.modifiers))
    })
}

/// Whether the confirm key (Enter) was pressed: a dialog's default button,
/// or a text field's "go" (egui leaves the field's focus on it first).
pub fn confirm_pressed(ctx: &eframe::egui::Context) -> bool {
    pressed(ctx, &AppCommand::ConfirmDialog)
}

/// Whether the cancel key (Esc) was pressed, leaving it for others too.
pub fn cancel_pressed(ctx: &eframe::egui::Context) -> bool {
    pressed(ctx, &AppCommand::CancelDialog)
}

/// Takes the cancel key (Esc) if it was pressed, so that nothing behind the
/// dialog also acts on it.
pub fn take_cancel(ctx: &eframe::egui::Context) -> bool {
    AppCommand::CancelDialog
        .shortcuts()
        .iter()
        .any(|s| ctx.input_mut(|i| i.consume_shortcut(s)))
}

/// A shortcut as text, as on Windows and Linux ("Ctrl+Shift+S"); the app
/// shows macOS names through egui's `format_shortcut`.
pub fn shortcut_text(shortcut: &KeyboardShortcut) -> String {
    shortcut.format(&ModifierNames::NAMES, false)
}

/// The first shortcut of `command` as this platform writes it ("Ctrl+Z",
/// "⌘Z"), for messages and buttons that mention a key: the table stays the
/// only place a key is written.
pub fn key_hint(ctx: &eframe::egui::Context, command: &AppCommand) -> String {
    command
        .shortcuts()
        .first()
        .map(|s| ctx.format_shortcut(s))
        .unwrap_or_default()
}

/// All shortcut texts of a command ("Ctrl+Shift+Z / Ctrl+Y"), or its label key.
pub fn shortcuts_text(command: &AppCommand, schema: &crate::model::LabelSchema) -> String {
    if let Some(k) = command.label_key(schema) {
        return k.to_string();
    }
    command
        .shortcuts()
        .iter()
        .map(shortcut_text)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The bindings in the order they are tried: most modifiers first (so
/// Ctrl+Shift+Z is not taken for Ctrl+Z), then by context priority.
pub fn bindings_in_match_order(commands: &[AppCommand]) -> Vec<(KeyboardShortcut, AppCommand)> {
    let mut all: Vec<(KeyboardShortcut, AppCommand)> = commands
        .iter()
        .flat_map(|c| c.shortcuts().into_iter().map(move |s| (s, c.clone())))
        .collect();
    let rank = |c: &AppCommand| {
        Context::PRIORITY
            .iter()
            .position(|x| *x == c.context())
            .unwrap_or(usize::MAX)
    };
    let modifier_count = |m: Modifiers| {
        [m.alt, m.ctrl, m.shift, m.mac_cmd, m.command]
            .iter()
            .filter(|b| **b)
            .count()
    };
    all.sort_by_key(|(s, c)| (std::cmp::Reverse(modifier_count(s.modifiers)), rank(c)));
    all
}

/// The keyboard page (`docs/keyboard.md`), made from the table.
pub fn keyboard_markdown(schema: &crate::model::LabelSchema) -> String {
    let mut out = String::from(
        "# Keyboard\n\nGenerated from the command table (`src/ui/command.rs`); a test checks that it is current.\n\
         Ctrl is Cmd on macOS. Label keys come from the project's schema; these are the default schema's.\n",
    );
    for group in Group::ALL {
        let rows: Vec<AppCommand> = AppCommand::all(schema)
            .into_iter()
            .filter(|c| c.group() == group)
            .collect();
        out.push_str(&format!(
            "\n## {}\n\n| Keys | Command |\n|---|---|\n",
            group.name()
        ));
        for c in rows {
            let keys = shortcuts_text(&c, schema);
            let keys = if keys.is_empty() {
                "menu".to_string()
            } else {
                keys
            };
            out.push_str(&format!("| {keys} | {} |\n", c.name()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LabelSchema;

    /// Contexts that can hold at the same time as `c` without one taking
    /// priority by design: the same context.
    #[test]
    fn no_two_commands_share_a_shortcut_in_the_same_context() {
        let all = AppCommand::all(&LabelSchema::default());
        let mut seen: std::collections::HashMap<(String, Context), AppCommand> = Default::default();
        for c in &all {
            for s in c.shortcuts() {
                // Cmd and Ctrl are one key on Windows and Linux.
                let key = (shortcut_text(&s), c.context());
                if let Some(other) = seen.insert(key.clone(), c.clone()) {
                    panic!("{other:?} and {c:?} share {}", key.0);
                }
            }
        }
    }

    #[test]
    fn review_letters_and_label_keys_do_not_meet_in_review() {
        let schema = LabelSchema::default();
        let review_keys: Vec<String> = AppCommand::fixed()
            .iter()
            .filter(|c| c.context() == Context::Review)
            .flat_map(|c| c.shortcuts())
            .map(|s| shortcut_text(&s).to_lowercase())
            .collect();
        for l in &schema.labels {
            if let Some(k) = l.key {
                assert!(
                    !review_keys.contains(&k.to_lowercase().to_string()),
                    "label key {k} is a review key"
                );
            }
        }
    }

    #[test]
    fn longer_chords_are_tried_before_their_prefixes() {
        let order = bindings_in_match_order(&AppCommand::fixed());
        let at = |c: AppCommand, text: &str| {
            order
                .iter()
                .position(|(s, x)| *x == c && shortcut_text(s) == text)
                .unwrap()
        };
        assert!(at(AppCommand::Redo, "Ctrl+Shift+Z") < at(AppCommand::Undo, "Ctrl+Z"));
        assert!(at(AppCommand::SaveAs, "Ctrl+Shift+S") < at(AppCommand::Save, "Ctrl+S"));
        assert!(
            at(AppCommand::MoveEndLeft, "Alt+Shift+Left")
                < at(AppCommand::ExtendLeft, "Shift+Left")
        );
        assert!(at(AppCommand::AcceptOffer, "Enter") < at(AppCommand::FindNext, "Enter"));
        assert!(at(AppCommand::DismissOffer, "Escape") < at(AppCommand::ClearSelection, "Escape"));
    }

    #[test]
    fn the_keyboard_page_is_current() {
        let page = keyboard_markdown(&LabelSchema::default());
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/keyboard.md");
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        if on_disk != page {
            // Regenerate with SPANMARK_WRITE_KEYBOARD=1 cargo test keyboard_page.
            if std::env::var_os("SPANMARK_WRITE_KEYBOARD").is_some() {
                std::fs::write(path, &page).unwrap();
            } else {
                panic!(
                    "docs/keyboard.md is not current: run SPANMARK_WRITE_KEYBOARD=1 cargo test keyboard_page"
                );
            }
        }
    }
}
