//! The Yew front end. It only renders a [`Playground`](crate::playground::Playground)
//! and sends it commands; every behaviour lives in the playground.

mod announcer;
mod app;
mod cluster_view;
mod code;
mod dom;
mod editor;
mod explain;
mod file_tabs;
mod i18n;
mod inspector;
mod markers;
mod panes;
mod player;
mod scripting;
mod scrubber;
mod session;
mod splitter;
mod storage;
mod terminal;
mod terminals;
mod theme;
mod toolbar;

pub use app::App;
