//! The Yew page in headless Chromium (`cargo test --target wasm32-unknown-unknown --test web`):
//! each test renders the App into a fresh element and drives it as a user would, through
//! clicks and key presses, or as a script would, through `window.stsplay`.
#![cfg(all(target_arch = "wasm32", not(target_os = "wasi")))]

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit,
};
use yew::AppHandle;

use stsplay::ui::App;

wasm_bindgen_test_configure!(run_in_browser);

struct Page {
    root: Element,
    app: Option<AppHandle<App>>,
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Lets the pages of earlier tests finish going away (an app saves its
/// session when it is destroyed, as on a reload), then empties localStorage.
async fn forget_earlier_pages() {
    yew::scheduler::flush().await;
    local_storage().clear().unwrap();
}

impl Page {
    /// A page on a fresh browser profile: nothing saved by earlier tests.
    async fn open() -> Page {
        forget_earlier_pages().await;
        Page::reopen().await
    }

    /// A page as a reload shows it, with whatever localStorage holds.
    async fn reopen() -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        let app = yew::Renderer::<App>::with_root(root.clone()).render();
        yew::scheduler::flush().await;
        Page {
            root,
            app: Some(app),
        }
    }

    fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    /// The button whose accessible name (its text, or aria-label) is `name`.
    fn button(&self, name: &str) -> HtmlElement {
        let buttons = self.root.query_selector_all("button").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i)?.dyn_into::<HtmlElement>().ok())
            .find(|b| {
                b.get_attribute("aria-label").as_deref() == Some(name)
                    || b.text_content().unwrap_or_default().trim() == name
            })
            .unwrap_or_else(|| panic!("no button named {name}"))
    }

    async fn click(&self, name: &str) {
        self.button(name).click();
        yew::scheduler::flush().await;
    }

    fn output(&self, terminal: usize) -> String {
        self.find(&format!(
            "[data-testid=\"terminal-{terminal}\"] .terminal-output"
        ))
        .text_content()
        .unwrap_or_default()
    }

    fn input(&self, terminal: usize) -> HtmlInputElement {
        self.find(&format!(
            "[data-testid=\"terminal-{terminal}\"] input[aria-label=\"Terminal input\"]"
        ))
        .dyn_into()
        .unwrap()
    }

    /// Types `text` into a terminal's input as the browser reports typing.
    async fn type_into(&self, terminal: usize, text: &str) {
        let input = self.input(terminal);
        input.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    fn editor(&self) -> web_sys::HtmlTextAreaElement {
        self.find("textarea[aria-label=\"Editor\"]")
            .dyn_into()
            .unwrap()
    }

    /// Replaces the editor's text as typing would.
    async fn edit(&self, text: &str) {
        let editor = self.editor();
        editor.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = Event::new_with_event_init_dict("input", &init).unwrap();
        editor.dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }

    async fn press(&self, terminal: usize, key: &str, ctrl: bool) {
        press_on(&self.input(terminal), key, ctrl).await;
    }
}

async fn press_on(target: &Element, key: &str, ctrl: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    target.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

impl Drop for Page {
    fn drop(&mut self) {
        if let Some(app) = self.app.take() {
            app.destroy();
        }
        self.root.remove();
    }
}

/// The index of the first line of `text` whose cells start with `cells`.
fn row(text: &str, cells: &[&str]) -> Option<usize> {
    text.lines().position(|line| {
        let found: Vec<&str> = line.split_whitespace().collect();
        found.len() >= cells.len() && found[..cells.len()] == *cells
    })
}

#[wasm_bindgen_test]
async fn apply_then_step_brings_web_0_up_before_web_1() {
    let page = Page::open().await;
    let editor = page.find("textarea[aria-label=\"Editor\"]");
    let yaml = editor
        .dyn_into::<web_sys::HtmlTextAreaElement>()
        .unwrap()
        .value();
    assert!(yaml.contains("registry.k8s.io/nginx-slim:0.24"), "{yaml}");

    page.click("Apply").await;
    let applied = page.output(1);
    assert!(
        applied.contains("$ kubectl apply -f statefulset.yaml\nservice/nginx created\nstatefulset.apps/web created\n"),
        "{applied}"
    );

    let mut steps = 0;
    while row(&page.output(0), &["web-0", "1/1", "Running"]).is_none() {
        assert!(
            steps < 200,
            "no web-0 Running row after 200 steps:\n{}",
            page.output(0)
        );
        page.click("Step").await;
        steps += 1;
    }
    let watch = page.output(0);
    let lines: Vec<&str> = watch.lines().collect();
    assert_eq!(lines[0], "$ kubectl get pods --watch -l app=nginx");
    assert_eq!(
        lines[1].split_whitespace().collect::<Vec<_>>(),
        ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    );
    let pending = row(&watch, &["web-0", "0/1", "Pending"]).expect("web-0 Pending");
    let creating = row(&watch, &["web-0", "0/1", "ContainerCreating"]).expect("creating");
    let running = row(&watch, &["web-0", "1/1", "Running"]).expect("web-0 Running");
    assert!(pending < creating && creating < running, "{watch}");
    assert!(
        row(&watch, &["web-1"]).is_none_or(|web1| web1 > running),
        "web-1 appeared before web-0 was Running:\n{watch}"
    );
    let clock = page.find(".clock").text_content().unwrap_or_default();
    assert_ne!(clock, "t = 0.0s", "stepping moved the virtual clock");
}

#[wasm_bindgen_test]
async fn a_terminal_runs_lines_and_recalls_them() {
    let page = Page::open().await;
    page.type_into(1, "kubectl get pods").await;
    page.press(1, "Enter", false).await;
    assert_eq!(
        page.output(1),
        "$ kubectl get pods\nNo resources found in default namespace.\n"
    );
    assert_eq!(page.input(1).value(), "", "Enter empties the input");

    page.press(1, "ArrowUp", false).await;
    assert_eq!(page.input(1).value(), "kubectl get pods");
    page.press(1, "ArrowDown", false).await;
    assert_eq!(
        page.input(1).value(),
        "",
        "back to the (empty) line being typed"
    );

    page.press(1, "l", true).await;
    assert_eq!(page.output(1), "", "Ctrl+L clears the screen");
}

#[wasm_bindgen_test]
async fn ctrl_c_stops_the_watch() {
    let page = Page::open().await;
    let watch = page.input(0);
    assert!(watch.read_only(), "a watching terminal takes no lines");
    assert_eq!(watch.placeholder(), "watching… Ctrl+C to stop");

    page.press(0, "c", true).await;
    assert!(page.output(0).ends_with("^C\n"), "{}", page.output(0));
    let input = page.input(0);
    assert!(
        !input.read_only(),
        "after Ctrl+C the terminal takes lines again"
    );
    page.type_into(0, "echo again").await;
    page.press(0, "Enter", false).await;
    assert!(
        page.output(0).ends_with("$ echo again\nagain\n"),
        "{}",
        page.output(0)
    );
}

#[wasm_bindgen_test]
async fn step_back_returns_to_the_previous_moment() {
    let page = Page::open().await;
    let back = page.button("Step back");
    assert!(back.has_attribute("disabled"), "nothing to go back to yet");

    page.click("Apply").await;
    let mut moments = vec![page.output(0)];
    for _ in 0..3 {
        page.click("Step").await;
        moments.push(page.output(0));
    }
    let clock = |page: &Page| page.find(".clock").text_content().unwrap_or_default();
    let clock_after_two = {
        page.click("Step back").await;
        clock(&page)
    };
    assert_eq!(page.output(0), moments[2]);
    page.click("Step").await;
    assert_eq!(
        page.output(0),
        moments[3],
        "stepping again replays the same change"
    );
    page.click("Step back").await;
    assert_eq!(clock(&page), clock_after_two);
    for _ in 0..3 {
        page.click("Step back").await;
    }
    assert!(
        page.output(1).is_empty(),
        "back before Apply: {}",
        page.output(1)
    );
    assert!(page.button("Step back").has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn play_then_pause_toggles_the_button() {
    let page = Page::open().await;
    page.click("Play").await;
    page.button("Pause");
    page.click("Pause").await;
    page.button("Play");
}

async fn call(method: &str, args: &[JsValue]) -> JsValue {
    let api = Reflect::get(&web_sys::window().unwrap(), &"stsplay".into()).unwrap();
    let function: Function = Reflect::get(&api, &method.into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let result = function
        .apply(&api, &args.iter().collect::<js_sys::Array>())
        .unwrap();
    yew::scheduler::flush().await;
    match result.dyn_ref::<Promise>() {
        Some(promise) => JsFuture::from(promise.clone()).await.unwrap(),
        None => result,
    }
}

#[wasm_bindgen_test]
async fn the_scripting_api_drives_the_same_playground() {
    let page = Page::open().await;
    let applied = call("exec", &["kubectl apply -f statefulset.yaml".into()]).await;
    assert_eq!(
        applied.as_string().unwrap(),
        "service/nginx created\nstatefulset.apps/web created\n"
    );
    assert!(page.output(1).contains("statefulset.apps/web created"));

    assert_eq!(call("settle", &[]).await, JsValue::TRUE);
    let state = call("state", &[]).await;
    let clock = Reflect::get(&state, &"clock".into())
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(clock > 0.0, "settling took virtual time");
    assert!(row(&page.output(0), &["web-1", "1/1", "Running"]).is_some());

    call("reset", &[]).await;
    let state = call("state", &[]).await;
    assert_eq!(
        Reflect::get(&state, &"clock".into()).unwrap().as_f64(),
        Some(0.0)
    );
    assert_eq!(page.output(1), "");
}

#[wasm_bindgen_test]
async fn a_reload_brings_the_session_back() {
    let before = {
        let page = Page::open().await;
        page.click("Apply").await;
        for _ in 0..4 {
            page.click("Step").await;
        }
        page.type_into(1, "kubectl get pods").await;
        page.press(1, "Enter", false).await;
        (page.output(0), page.output(1))
    };
    let page = Page::reopen().await;
    assert_eq!((page.output(0), page.output(1)), before);
    page.press(1, "ArrowUp", false).await;
    assert_eq!(
        page.input(1).value(),
        "kubectl get pods",
        "history came back too"
    );
}

#[wasm_bindgen_test]
async fn an_unreadable_save_is_set_aside_and_reported() {
    forget_earlier_pages().await;
    local_storage()
        .set_item("stsplay.session", "{not json")
        .unwrap();
    let page = Page::reopen().await;
    let status = page
        .find("#editor-status")
        .text_content()
        .unwrap_or_default();
    assert!(status.contains("could not be restored"), "{status}");
    assert_eq!(
        local_storage()
            .get_item("stsplay.session.unreadable")
            .unwrap()
            .as_deref(),
        Some("{not json")
    );
    assert!(page
        .output(0)
        .starts_with("$ kubectl get pods --watch -l app=nginx\n"));
}

#[wasm_bindgen_test]
async fn the_theme_button_cycles_and_is_remembered() {
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    let page = Page::open().await;
    assert_eq!(
        root.get_attribute("data-theme"),
        None,
        "follows the system at first"
    );
    page.click("Theme: system").await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("light"));
    page.click("Theme: light").await;
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    drop(page);
    let page = Page::reopen().await;
    page.button("Theme: dark");
    page.click("Theme: dark").await;
    assert_eq!(root.get_attribute("data-theme"), None);
}

#[wasm_bindgen_test]
async fn the_language_switch_translates_and_is_remembered() {
    let html = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .document_element()
            .unwrap()
    };
    let page = Page::open().await;
    assert_eq!(html().get_attribute("lang").as_deref(), Some("en"));
    page.click("中文").await;
    assert_eq!(html().get_attribute("lang").as_deref(), Some("zh-CN"));
    page.click("应用").await;
    let status = page
        .find("#editor-status")
        .text_content()
        .unwrap_or_default();
    assert_eq!(status, "已在终端 2 中应用 statefulset.yaml。");
    assert!(
        page.output(1).contains("statefulset.apps/web created"),
        "kubectl stays English"
    );
    drop(page);

    let page = Page::reopen().await;
    page.button("单步");
    page.click("English").await;
    page.button("Step");
    assert_eq!(html().get_attribute("lang").as_deref(), Some("en"));
}

#[wasm_bindgen_test]
async fn apply_marks_the_line_kubectl_complains_about() {
    let page = Page::open().await;
    assert!(page
        .root
        .query_selector(".gutter .marked")
        .unwrap()
        .is_none());
    let yaml = page.editor().value();
    page.edit(&yaml.replace("replicas: 2", "replica: 2")).await;
    page.click("Apply").await;
    assert!(
        page.output(1).contains("strict decoding error: unknown field \"spec.replica\"\nhint: did you mean spec.replicas?"),
        "{}",
        page.output(1)
    );
    let marker = page.find(".gutter .marked.error");
    assert_eq!(marker.get_attribute("data-line").as_deref(), Some("21"));
    assert!(marker
        .get_attribute("title")
        .unwrap_or_default()
        .contains("unknown field \"spec.replica\""));
    let status = page
        .find("#editor-status .problem")
        .text_content()
        .unwrap_or_default();
    assert!(status.starts_with("Line 21: "), "{status}");
}

#[wasm_bindgen_test]
async fn file_tabs_add_rename_and_delete_files_the_terminal_sees() {
    let page = Page::open().await;
    page.click("New file").await;
    let rename: HtmlInputElement = page.find("input.file-rename").dyn_into().unwrap();
    assert_eq!(rename.value(), "untitled-1.yaml");
    rename.set_value("pod.yaml");
    press_on(&rename, "Enter", false).await;
    assert_eq!(
        page.find(".file-tab.active .file-tab-name")
            .text_content()
            .as_deref(),
        Some("pod.yaml")
    );
    page.edit("kind: Pod\n").await;
    page.type_into(1, "ls; cat pod.yaml").await;
    page.press(1, "Enter", false).await;
    assert!(
        page.output(1)
            .ends_with("pod.yaml  statefulset.yaml\nkind: Pod\n"),
        "{}",
        page.output(1)
    );

    // A name that is taken is refused, and the tab keeps its old one.
    let tab = page.find(".file-tab.active .file-tab-name");
    press_on(&tab, "F2", false).await;
    let rename: HtmlInputElement = page.find("input.file-rename").dyn_into().unwrap();
    rename.set_value("statefulset.yaml");
    press_on(&rename, "Enter", false).await;
    assert_eq!(
        page.find(".file-rename-error").text_content().as_deref(),
        Some("statefulset.yaml already exists")
    );
    press_on(&page.find("input.file-rename"), "Escape", false).await;

    let window = web_sys::window().unwrap();
    let yes = Function::new_no_args("return true");
    Reflect::set(&window, &"confirm".into(), &yes).unwrap();
    page.click("Delete pod.yaml").await;
    page.type_into(1, "ls").await;
    page.press(1, "Enter", false).await;
    assert!(
        page.output(1).ends_with("$ ls\nstatefulset.yaml\n"),
        "{}",
        page.output(1)
    );
    assert!(
        page.root
            .query_selector(".file-tab-delete")
            .unwrap()
            .is_none(),
        "the last file cannot be deleted"
    );
    assert!(page.editor().value().contains("kind: StatefulSet"));
}

#[wasm_bindgen_test]
async fn tab_completes_a_single_match_and_lists_several() {
    let page = Page::open().await;
    page.click("Apply").await;
    call("settle", &[]).await;
    page.type_into(1, "kubectl get po").await;
    page.press(1, "Tab", false).await;
    assert_eq!(page.input(1).value(), "kubectl get po");
    let listed = page
        .root
        .query_selector_all(".completions .completion")
        .unwrap();
    let listed: Vec<String> = (0..listed.length())
        .filter_map(|i| listed.item(i)?.text_content())
        .collect();
    assert_eq!(
        listed,
        [
            "po",
            "pod",
            "poddisruptionbudget",
            "poddisruptionbudgets",
            "pods"
        ]
    );
    page.type_into(1, "kubectl get pods we").await;
    assert!(
        page.root.query_selector(".completions").unwrap().is_none(),
        "typing hides the list"
    );
    page.press(1, "Tab", false).await;
    assert_eq!(page.input(1).value(), "kubectl get pods web-");
    page.type_into(1, "kubectl get pods web-1").await;
    page.press(1, "Tab", false).await;
    assert_eq!(page.input(1).value(), "kubectl get pods web-1 ");
    page.press(1, "Enter", false).await;
    assert!(row(&page.output(1), &["web-1", "1/1", "Running"]).is_some());
}

#[wasm_bindgen_test]
async fn the_scrubber_shows_earlier_moments_and_comes_back() {
    let page = Page::open().await;
    page.click("Apply").await;
    let mut screens = vec![page.output(0)];
    for _ in 0..3 {
        page.click("Step").await;
        screens.push(page.output(0));
    }
    let slider: HtmlInputElement = page
        .find("input[type=range][aria-label=\"Timeline\"]")
        .dyn_into()
        .unwrap();
    let last: usize = slider.max().parse().unwrap();
    assert_eq!(slider.value(), slider.max(), "at the present");
    assert_eq!(
        page.root
            .query_selector_all(".scrubber-mark")
            .unwrap()
            .length() as usize,
        last
    );
    let seek = |at: usize| {
        slider.set_value(&at.to_string());
        let init = EventInit::new();
        init.set_bubbles(true);
        slider
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
    };
    seek(last - 2);
    yew::scheduler::flush().await;
    assert_eq!(page.output(0), screens[1]);
    seek(last);
    yew::scheduler::flush().await;
    assert_eq!(page.output(0), screens[3], "forward again to the present");
}

#[wasm_bindgen_test]
async fn load_and_on_script_a_tutorial() {
    let page = Page::open().await;
    let seen = js_sys::Array::new();
    let record = Function::new_with_args("seen, event", "return (e) => seen.push([event, e])");
    for event in ["step", "output"] {
        let callback = record.call2(&JsValue::NULL, &seen, &event.into()).unwrap();
        call("on", &[event.into(), callback]).await;
    }
    let spec = js_sys::JSON::parse(
        r#"{"files": {"cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"}, "commands": ["ls", "kubectl apply -f cm.yaml"]}"#,
    )
    .unwrap();
    let out = call("load", &[spec]).await;
    assert_eq!(out.as_string().unwrap(), "cm.yaml\nconfigmap/a created\n");
    yew::scheduler::flush().await;
    let events: Vec<String> = seen
        .iter()
        .map(|pair| js_sys::JSON::stringify(&pair).unwrap().as_string().unwrap())
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e.starts_with("[\"step\",{\"clock\":")),
        "{events:?}"
    );
    assert!(
        events.contains(&r#"["output",{"terminal":1,"text":"$ ls\ncm.yaml\n$ kubectl apply -f cm.yaml\nconfigmap/a created\n"}]"#.to_string()),
        "{events:?}"
    );
    assert_eq!(
        page.editor().value(),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
    );
}

#[wasm_bindgen_test]
async fn a_long_output_renders_only_the_rows_in_view() {
    let page = Page::open().await;
    let rows: String = (0..5_000).map(|i| format!("row {i}\n")).collect();
    let files = js_sys::Object::new();
    Reflect::set(&files, &"rows.txt".into(), &rows.into()).unwrap();
    let spec = js_sys::Object::new();
    Reflect::set(&spec, &"files".into(), &files).unwrap();
    let commands = js_sys::Array::of1(&"cat rows.txt".into());
    Reflect::set(&spec, &"commands".into(), &commands).unwrap();
    call("load", &[spec.into()]).await;
    yew::scheduler::flush().await;
    let output = page.find("[data-testid=\"terminal-1\"] .terminal-output.virtual");
    let rows = output.query_selector_all(".row").unwrap();
    let shown = rows.length();
    assert!(shown > 0 && shown < 300, "{shown} rows in the page");
    let last = rows.item(shown - 1).unwrap();
    assert_eq!(
        last.text_content().as_deref(),
        Some("row 4999\n"),
        "following the end"
    );

    output.set_scroll_top(0);
    output
        .dispatch_event(&Event::new("scroll").unwrap())
        .unwrap();
    yew::scheduler::flush().await;
    let first = output.query_selector(".row").unwrap().unwrap();
    assert_eq!(first.text_content().as_deref(), Some("$ cat rows.txt\n"));
}

#[wasm_bindgen_test]
async fn fault_buttons_run_their_commands_and_step_back_undoes_them() {
    let page = Page::open().await;
    page.click("Apply").await;
    page.click("Settle").await;
    let settled = page.output(1);
    page.click("Delete pod web-1").await;
    assert!(
        page.output(1).ends_with(
            "$ kubectl delete pod web-1 --wait=false\npod \"web-1\" deleted from default namespace\n"
        ),
        "{}",
        page.output(1)
    );
    assert!(row(&page.output(0), &["web-1", "1/1", "Terminating"]).is_some());
    page.click("Disconnect node kind-worker2, making it NotReady")
        .await;
    assert!(
        page.output(1)
            .ends_with("$ stsplay fault node-down kind-worker2\nstsplay: fault node-down kind-worker2 injected\n"),
        "{}",
        page.output(1)
    );
    page.button("Reconnect node kind-worker2");
    page.click("Step back").await;
    page.click("Step back").await;
    assert_eq!(page.output(1), settled, "both faults undone");
    page.button("Disconnect node kind-worker2, making it NotReady");
}

/// The row of pod `name` in a node's card (not the card of pods on no node).
fn scheduled_pod_row(page: &Page, name: &str) -> Option<Element> {
    let rows = page
        .root
        .query_selector_all(".node-card:not(.unscheduled) li.object-row")
        .unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<Element>().ok())
        .find(|row| {
            row.query_selector(".pod-name")
                .ok()
                .flatten()
                .and_then(|n| n.text_content())
                .as_deref()
                == Some(name)
        })
}

#[wasm_bindgen_test]
async fn new_pods_and_lines_leave_the_rows_already_shown_in_place() {
    let page = Page::open().await;
    page.click("Apply").await;
    let mut steps = 0;
    while scheduled_pod_row(&page, "web-0").is_none() {
        assert!(steps < 200, "web-0 never reached a node");
        page.click("Step").await;
        steps += 1;
    }
    let web_0 = scheduled_pod_row(&page, "web-0").unwrap();
    let watch = page.find("[data-testid=\"terminal-0\"] .terminal-output");
    let first_line = watch.first_child().expect("the watch's command line");
    let lines = page.output(0).lines().count();
    let mut unscheduled_shown = false;
    while scheduled_pod_row(&page, "web-1").is_none() {
        assert!(steps < 400, "web-1 never reached a node");
        page.click("Step").await;
        steps += 1;
        unscheduled_shown |= page.root.query_selector(".unscheduled").unwrap().is_some();
        assert!(web_0.is_connected(), "web-0's row was rebuilt");
        assert!(
            watch
                .first_child()
                .is_some_and(|n| n.is_same_node(Some(&first_line))),
            "the watch's first line was rebuilt"
        );
    }
    assert!(unscheduled_shown, "web-1 was shown on no node first");
    assert!(
        page.output(0).lines().count() > lines,
        "the watch printed more lines"
    );
}

#[wasm_bindgen_test]
async fn the_terminals_on_screen_and_apply_s_are_remembered() {
    let shown = |page: &Page| -> Vec<usize> {
        (0..4)
            .filter(|i| {
                page.root
                    .query_selector(&format!("[data-testid=\"terminal-{i}\"]"))
                    .unwrap()
                    .is_some()
            })
            .collect()
    };
    {
        let page = Page::open().await;
        assert_eq!(shown(&page), [0, 1]);
        page.click("New terminal").await;
        yew::scheduler::flush().await;
        assert_eq!(shown(&page), [0, 2], "the new one takes the lower place");
    }
    let page = Page::reopen().await;
    assert_eq!(shown(&page), [0, 2], "a reload shows the same two");
    page.find("[data-testid=\"terminal-2\"] .badge");
}
