//! The browser app: renders the playground into `#app` (see www/index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<stsplay::ui::App>::with_root(root).render(),
        None => yew::Renderer::<stsplay::ui::App>::new().render(),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    println!("stsplay-web is the browser app: build and serve it with `make serve`");
    println!(
        "(for the command-line transcript runner, use `cargo run --bin stsplay -- run SCRIPT`)."
    );
}
