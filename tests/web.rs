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

impl Page {
    /// A page on a fresh browser profile: nothing saved by earlier tests.
    async fn open() -> Page {
        local_storage().clear().unwrap();
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

    async fn press(&self, terminal: usize, key: &str, ctrl: bool) {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.input(terminal).dispatch_event(&event).unwrap();
        yew::scheduler::flush().await;
    }
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
    assert!(yaml.contains("registry.k8s.io/nginx-slim:0.8"), "{yaml}");

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
    local_storage().clear().unwrap();
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
