//! `window.stsplay`: the page's scripting API, for tests and embedding.
//!
//! - `exec(line)` → Promise of what the line printed (run in terminal 2, or the
//!   first terminal no watch holds; a blocking command runs to its end);
//! - `step()` → whether anything changed; `stepBack()` → whether there was a
//!   moment to go back to; `settle()` → whether it settled;
//! - `reset()`: a fresh cluster, keeping the editor's files;
//! - `state()` → `{clock, nextChangeAt, settled, files, terminals, objects}` (times in ms
//!   since kind handed the cluster over, as the clock on the page);
//! - `load({files, commands})` → Promise of what the commands printed: the
//!   files replace the editor's, then the commands run as `exec` runs them;
//! - `on(event, callback)`: `"step"` calls back with `{clock}` whenever the
//!   clock or the cluster changed, `"output"` with `{terminal, text}` for the
//!   lines a terminal printed (terminals counted from 0).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::session::Session;
use crate::sim::clock::HANDOVER;

/// Where `exec` runs when it can: the tutorial's prompt terminal.
const EXEC_TERMINAL: usize = 1;
const GLOBAL: &str = "stsplay";

/// The callbacks `on` registered, by event name.
type Listeners = Rc<RefCell<Vec<(String, Function)>>>;

/// Installs `window.stsplay` while the calling component is mounted, and
/// tells its listeners what each change did.
#[hook]
pub fn use_scripting_api(session: &Session, version: u64) {
    let listeners: Listeners = use_mut_ref(Vec::new);
    // What the listeners were last told: the clock and store, and each screen's length.
    let seen = use_mut_ref(|| watermark(session));
    {
        let session = session.clone();
        let listeners = listeners.clone();
        use_effect_with((), move |_| {
            let api = Api::install(&session, &listeners);
            move || drop(api)
        });
    }
    let session = session.clone();
    use_effect_with(version, move |_| {
        let now = watermark(&session);
        let before = std::mem::replace(&mut *seen.borrow_mut(), now.clone());
        if listeners.borrow().is_empty() {
            return;
        }
        if now.0 != before.0 {
            emit(
                &listeners,
                "step",
                &[(
                    "clock",
                    JsValue::from_f64(now.0 .0.saturating_sub(HANDOVER) as f64),
                )],
            );
        }
        let playground = session.read();
        for (terminal, (term, &was)) in playground.terminals.iter().zip(&before.1).enumerate() {
            // A cleared screen starts over; anything past what was seen is new.
            let from = if term.lines.len() >= was { was } else { 0 };
            let text: String = term.lines[from..]
                .iter()
                .map(|l| format!("{}\n", l.text))
                .collect();
            if !text.is_empty() {
                emit(
                    &listeners,
                    "output",
                    &[
                        ("terminal", JsValue::from_f64(terminal as f64)),
                        ("text", text.into()),
                    ],
                );
            }
        }
    });
}

/// The clock and the store's change count, and how many lines each terminal shows.
fn watermark(session: &Session) -> ((u64, u64), Vec<usize>) {
    let p = session.read();
    let cluster = (p.cluster.now(), p.cluster.store().resource_version());
    (cluster, p.terminals.iter().map(|t| t.lines.len()).collect())
}

fn emit(listeners: &Listeners, event: &str, fields: &[(&str, JsValue)]) {
    let payload = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&payload, &(*key).into(), value);
    }
    // A listener may register another; call the ones there are now.
    let callbacks: Vec<Function> = listeners
        .borrow()
        .iter()
        .filter(|(name, _)| name == event)
        .map(|(_, f)| f.clone())
        .collect();
    for callback in callbacks {
        // A throwing listener is the page's problem, not the playground's.
        let _ = callback.call1(&JsValue::NULL, &payload);
    }
}

/// The JS object and the Rust closures behind its methods, which must live
/// as long as the object is reachable from `window`.
struct Api {
    object: Object,
    _exec: Closure<dyn Fn(String) -> Promise>,
    _step: Closure<dyn Fn() -> bool>,
    _step_back: Closure<dyn Fn() -> bool>,
    _settle: Closure<dyn Fn() -> bool>,
    _reset: Closure<dyn Fn()>,
    _state: Closure<dyn Fn() -> JsValue>,
    _load: Closure<dyn Fn(JsValue) -> Promise>,
    _on: Closure<dyn Fn(String, Function)>,
}

impl Api {
    fn install(session: &Session, listeners: &Listeners) -> Api {
        let exec = {
            let session = session.clone();
            Closure::<dyn Fn(String) -> Promise>::new(move |line: String| {
                let output = session.update(|p| {
                    let terminal = p.idle_terminal(EXEC_TERMINAL)?;
                    Some(p.exec(terminal, &line))
                });
                match output {
                    Some(text) => Promise::resolve(&JsValue::from_str(&text)),
                    None => Promise::reject(&js_sys::Error::new(
                        "every terminal is running a watch; interrupt one first",
                    )),
                }
            })
        };
        let step = {
            let session = session.clone();
            Closure::<dyn Fn() -> bool>::new(move || session.update(|p| p.step()))
        };
        let step_back = {
            let session = session.clone();
            Closure::<dyn Fn() -> bool>::new(move || session.step_back())
        };
        let settle = {
            let session = session.clone();
            Closure::<dyn Fn() -> bool>::new(move || session.update(|p| p.settle()))
        };
        let reset = {
            let session = session.clone();
            Closure::<dyn Fn()>::new(move || session.reset())
        };
        let state = {
            let session = session.clone();
            Closure::<dyn Fn() -> JsValue>::new(move || {
                let json = session.read().snapshot().to_string();
                JSON::parse(&json).unwrap_or(JsValue::NULL)
            })
        };
        let load = {
            let session = session.clone();
            Closure::<dyn Fn(JsValue) -> Promise>::new(move |spec: JsValue| {
                let loaded = read_load(&spec).and_then(|(files, commands)| {
                    session.update(|p| {
                        let terminal = p
                            .idle_terminal(EXEC_TERMINAL)
                            .ok_or("every terminal is running a watch; interrupt one first")?;
                        p.load(files, &commands, terminal)
                    })
                });
                match loaded {
                    Ok(text) => Promise::resolve(&JsValue::from_str(&text)),
                    Err(why) => Promise::reject(&js_sys::Error::new(&why)),
                }
            })
        };
        let on = {
            let listeners = listeners.clone();
            Closure::<dyn Fn(String, Function)>::new(move |event: String, callback: Function| {
                listeners.borrow_mut().push((event, callback));
            })
        };
        let object = Object::new();
        let methods: [(&str, &JsValue); 8] = [
            ("exec", exec.as_ref()),
            ("step", step.as_ref()),
            ("stepBack", step_back.as_ref()),
            ("settle", settle.as_ref()),
            ("reset", reset.as_ref()),
            ("state", state.as_ref()),
            ("load", load.as_ref()),
            ("on", on.as_ref()),
        ];
        for (name, method) in methods {
            let _ = Reflect::set(&object, &name.into(), method.unchecked_ref::<Function>());
        }
        if let Some(window) = web_sys::window() {
            let _ = Reflect::set(&window, &GLOBAL.into(), &object);
        }
        Api {
            object,
            _exec: exec,
            _step: step,
            _step_back: step_back,
            _settle: settle,
            _reset: reset,
            _state: state,
            _load: load,
            _on: on,
        }
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        // Another playground on the page may have installed its own since.
        let ours = Reflect::get(&window, &GLOBAL.into())
            .is_ok_and(|current| Object::is(&current, &self.object));
        if ours {
            let _ = Reflect::delete_property(&window, &GLOBAL.into());
        }
    }
}

/// `{files: {name: text}, commands: [line]}`, both optional.
fn read_load(spec: &JsValue) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let json = JSON::stringify(spec)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or("load takes an object: {files: {name: text}, commands: [line]}")?;
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Spec {
        #[serde(default)]
        files: BTreeMap<String, String>,
        #[serde(default)]
        commands: Vec<String>,
    }
    let spec: Spec = serde_json::from_str(&json).map_err(|e| format!("load: {e}"))?;
    Ok((spec.files, spec.commands))
}
