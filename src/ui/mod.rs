//! The Yew front end. It only renders a [`Playground`](crate::playground::Playground)
//! and sends it commands; every behaviour lives in the playground.

mod announcer;
mod app;
mod cluster_view;
mod dom;
mod editor;
mod explain;
mod i18n;
mod inspector;
mod player;
mod scripting;
mod session;
mod storage;
mod terminal;
mod theme;
mod toolbar;

pub use app::App;
