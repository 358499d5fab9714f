//! `window.stsplay`: the page's scripting API, for tests and embedding.
//!
//! - `exec(line)` → Promise of what the line printed (run in terminal 2, or the
//!   first terminal no watch holds);
//! - `step()` → whether anything changed; `stepBack()` → whether there was a
//!   moment to go back to; `settle()` → whether it settled;
//! - `reset()`: a fresh cluster, keeping the editor's files;
//! - `state()` → `{clock, nextChangeAt, settled, files, terminals, objects}`.

use js_sys::{Function, Object, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::session::Session;

/// Where `exec` runs when it can: the tutorial's prompt terminal.
const EXEC_TERMINAL: usize = 1;
const GLOBAL: &str = "stsplay";

/// Installs `window.stsplay` while the calling component is mounted.
#[hook]
pub fn use_scripting_api(session: &Session) {
    let session = session.clone();
    use_effect_with((), move |_| {
        let api = Api::install(&session);
        move || drop(api)
    });
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
}

impl Api {
    fn install(session: &Session) -> Api {
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
        let object = Object::new();
        let methods: [(&str, &JsValue); 6] = [
            ("exec", exec.as_ref()),
            ("step", step.as_ref()),
            ("stepBack", step_back.as_ref()),
            ("settle", settle.as_ref()),
            ("reset", reset.as_ref()),
            ("state", state.as_ref()),
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
