//! The page: the top bar, then the editor, the terminals and the inspector,
//! divided by splitters (laid out by www/style.css).

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use super::announcer::WatchAnnouncer;
use super::dom::{confirm, set_root_attribute};
use super::editor::{Editor, Notice};
use super::i18n::{Lang, Msg};
use super::inspector::Inspector;
use super::panes::Panes;
use super::player::use_player;
use super::scripting::use_scripting_api;
use super::scrubber::Scrubber;
use super::session::Session;
use super::splitter::{Axis, Splitter};
use super::storage;
use super::terminals::Terminals;
use super::toolbar::{Action, Toolbar};
use crate::playground::SEED_FILE;
use crate::shell::quote_word;

/// Real milliseconds without a change after which the user counts as idle.
const IDLE_MS: u32 = 300;

/// The tutorial's prompt terminal, where Apply runs until another is used.
const PROMPT_TERMINAL: usize = 1;
/// The least sizes (px) the splitters leave: the left column and the
/// terminals' width, then the editor's and the inspector's height.
const MIN_COLUMNS_PX: (f64, f64) = (300.0, 360.0);
const MIN_ROWS_PX: (f64, f64) = (140.0, 120.0);

#[component]
pub fn App() -> Html {
    // A saved session that could not be restored, if any.
    let set_aside = use_mut_ref(|| None::<storage::SetAside>);
    let playground = use_mut_ref(|| {
        let (playground, failure) = storage::load_session();
        *set_aside.borrow_mut() = failure;
        playground
    });
    let lang = use_state_eq(Lang::initial);
    use_effect_with(*lang, |lang| {
        set_root_attribute("lang", Some(lang.tag()));
        storage::save_preference(storage::LANG_KEY, lang.tag());
    });
    let history = use_mut_ref(Default::default);
    let version = use_mut_ref(|| 0_u64);
    let force_update = use_force_update();
    let changed = {
        let version = version.clone();
        Callback::from(move |()| {
            *version.borrow_mut() += 1;
            force_update.force_update();
        })
    };
    let session = Session::new(playground, history, *version.borrow(), changed);
    {
        let autosave = use_memo((), |_| storage::Autosave::new(&session));
        // After a moment without changes, the timeline copies the present
        // (a newer change cancels the wait).
        let idle = use_mut_ref(|| None::<Timeout>);
        let session = session.clone();
        use_effect_with(*version.borrow(), move |_| {
            autosave.schedule();
            *idle.borrow_mut() = Some(Timeout::new(IDLE_MS, move || session.keep_present()));
        });
    }
    let player = use_player(&session);
    // The file the editor shows and Apply sends; remembered across reloads.
    let file = use_state_eq(|| {
        storage::load_preference(storage::FILE_KEY).unwrap_or_else(|| SEED_FILE.to_string())
    });
    use_effect_with((*file).clone(), |file| {
        storage::save_preference(storage::FILE_KEY, file)
    });
    // `vim web.yaml` in a terminal opens it here.
    if let Some(wanted) = session.take_pending_edit() {
        file.set(wanted);
    }
    // A file removed from a terminal (`rm`) leaves the editor on the first one.
    let shown = {
        let p = session.read();
        if p.files.contains_key(file.as_str()) || p.files.is_empty() {
            (*file).clone()
        } else {
            p.files.keys().next().cloned().unwrap_or_default()
        }
    };
    // Apply's terminal, as the page last left it (fit to the terminals there are).
    let active = {
        let count = session.read().terminals.len();
        use_state_eq(move || {
            storage::load_preference(storage::ACTIVE_TERMINAL_KEY)
                .and_then(|saved| saved.trim().parse::<usize>().ok())
                .filter(|&t| t < count)
                .unwrap_or(PROMPT_TERMINAL)
        })
    };
    use_effect_with(*active, |active| {
        storage::save_preference(storage::ACTIVE_TERMINAL_KEY, &active.to_string())
    });
    let notice = use_state_eq(|| {
        set_aside.borrow().as_ref().map(|failed| {
            let blanks = [("why", failed.why.clone()), ("key", failed.key.to_string())];
            let message = if failed.files_kept {
                Msg::RestoreFailedFilesKept
            } else {
                Msg::RestoreFailed
            };
            Notice::new(true, message, &blanks)
        })
    });
    use_scripting_api(&session, *version.borrow());

    // Runs a command the user did not type (Apply, describe from the cluster
    // view) in the active terminal, or the first one no watch holds.
    let run_for_user = {
        let session = session.clone();
        let active = active.clone();
        move |line: String| {
            let ran = session.update(|p| {
                let terminal = p.idle_terminal(*active)?;
                Some((terminal, p.run(terminal, &line)))
            });
            if let Some((terminal, _)) = ran {
                active.set(terminal);
            }
            ran
        }
    };
    // Bumped by every Apply, so the editor rechecks its markers at once.
    let checks = use_state_eq(|| 0_u32);
    // Callbacks keep their identity between renders (use_callback), so that
    // panes whose props did not change skip re-rendering at each tick.
    let apply = {
        let run = run_for_user.clone();
        let notice = notice.clone();
        let checks = checks.clone();
        let session = session.clone();
        let deps = (shown.clone(), *active, *checks);
        use_callback(deps, move |(), (file, _, _)| {
            // The buffer of a `kubectl edit` is saved, not applied.
            let shown = if session.read().is_edit_buffer(file) {
                let ran = session.update(|p| p.save_edit(file));
                apply_notice(ran, file, (Msg::EditSaved, Msg::EditFailed))
            } else {
                let ran = run(format!("kubectl apply -f {}", quote_word(file)));
                apply_notice(ran, file, (Msg::Applied, Msg::ApplyFailed))
            };
            notice.set(Some(shown));
            checks.set(checks.wrapping_add(1));
        })
    };
    let on_describe = {
        let run_for_user = run_for_user.clone();
        let notice = notice.clone();
        use_callback(*active, move |target: String, _| {
            if run_for_user(format!("kubectl describe {target}")).is_none() {
                notice.set(Some(all_busy()));
            }
        })
    };
    // A fault button runs its command (`stsplay fault …`, `kubectl delete …`) as Apply does.
    let on_fault = {
        let notice = notice.clone();
        use_callback(*active, move |line: String, _| {
            if run_for_user(line).is_none() {
                notice.set(Some(all_busy()));
            }
        })
    };
    let on_action = {
        let session = session.clone();
        let apply = apply.clone();
        let playing = player.playing.clone();
        let speed = player.speed.clone();
        let active = active.clone();
        let notice = notice.clone();
        let lang = lang.clone();
        Callback::from(move |action: Action| match action {
            Action::Apply => apply.emit(()),
            Action::TogglePlay => playing.set(!*playing),
            Action::Step => {
                session.update(|p| p.step());
            }
            Action::StepBack => {
                session.step_back();
            }
            Action::Settle => {
                if !session.settle() {
                    notice.set(Some(Notice::new(true, Msg::NotSettled, &[])));
                }
            }
            Action::Reset => {
                if confirm(lang.t(Msg::ResetConfirm)) {
                    playing.set(false);
                    notice.set(None);
                    active.set(PROMPT_TERMINAL);
                    session.reset();
                }
            }
            Action::Speed(index) => speed.set(index),
            Action::SwitchLanguage => lang.set(lang.other()),
        })
    };
    let on_select_file = {
        let file = file.clone();
        use_callback((), move |name: String, _| file.set(name))
    };
    let on_focus = {
        let active = active.clone();
        use_callback((), move |terminal: usize, _| active.set(terminal))
    };
    let panes = use_state_eq(Panes::load);
    let on_resize = {
        let panes = panes.clone();
        Callback::from(move |next: Panes| {
            next.save();
            panes.set(next);
        })
    };
    let resize = |change: fn(&mut Panes, f64)| {
        let on_resize = on_resize.clone();
        let current = *panes;
        Callback::from(move |share: f64| {
            let mut next = current;
            change(&mut next, share);
            on_resize.emit(next);
        })
    };

    let (now, next_change) = {
        let p = session.read();
        (p.cluster.now(), p.next_change())
    };
    let can_step_back = session.can_step_back();
    // "Not settled" is about the cluster as it was: it goes once nothing is pending.
    {
        let notice = notice.clone();
        use_effect_with(next_change.is_none(), move |settled| {
            if *settled && notice.as_ref().is_some_and(|n| n.msg == Msg::NotSettled) {
                notice.set(None);
            }
        });
    }
    html! {
        <ContextProvider<Lang> context={*lang}>
        <div class="app">
            <Toolbar {now} {next_change} {can_step_back} playing={*player.playing}
                speed={*player.speed} {on_action} />
            <Scrubber session={session.clone()} />
            <main class="main" style={panes.main_style()}>
                <Editor session={session.files_view()} file={shown} notice={(*notice).clone()}
                    on_apply={apply} checks={*checks} on_select={on_select_file} />
                <Splitter axis={Axis::Columns} class="split-columns" value={panes.columns}
                    min_px={MIN_COLUMNS_PX} label={lang.t(Msg::ResizeColumns)} controls="editor-pane"
                    on_change={resize(|p, share| p.columns = share)} />
                <Terminals session={session.clone()} active={*active} on_activate={on_focus}
                    panes={*panes} on_resize={on_resize.clone()} />
                <Splitter axis={Axis::Rows} class="split-editor" value={panes.editor}
                    min_px={MIN_ROWS_PX} label={lang.t(Msg::ResizeEditor)} controls="editor-pane"
                    on_change={resize(|p, share| p.editor = share)} />
                <Inspector session={session.clone()} {on_describe} {on_fault} />
                <WatchAnnouncer session={session.clone()} />
            </main>
        </div>
        </ContextProvider<Lang>>
    }
}

/// What the line under the editor says after Apply: `(done, failed)` are
/// the messages for success and for a nonzero exit status.
fn apply_notice(ran: Option<(usize, i32)>, file: &str, (done, failed): (Msg, Msg)) -> Notice {
    match ran {
        Some((terminal, code)) => {
            let n = (terminal + 1).to_string();
            if code == 0 {
                let blanks = [("file", file.to_string()), ("n", n)];
                Notice::new(false, done, &blanks)
            } else {
                Notice::new(true, failed, &[("code", code.to_string()), ("n", n)])
            }
        }
        None => all_busy(),
    }
}

fn all_busy() -> Notice {
    Notice::new(true, Msg::AllTerminalsBusy, &[])
}
