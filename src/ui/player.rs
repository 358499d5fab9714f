//! Play: a real-time timer that moves the virtual clock while it runs.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use super::session::Session;
use super::toolbar::{DEFAULT_SPEED, SPEEDS};
use crate::sim::clock::Millis;

/// Real milliseconds between two ticks of the clock while playing.
const TICK_MS: u32 = 100;

pub struct Player {
    pub playing: UseStateHandle<bool>,
    /// An index into [`SPEEDS`].
    pub speed: UseStateHandle<usize>,
}

/// While `playing` is set, advances the session by `TICK_MS × speed` of virtual
/// time every `TICK_MS` of real time (at "max": until it settles). The timer stops when playing ends, the
/// speed changes (a new one starts) or the component goes away.
#[hook]
pub fn use_player(session: &Session) -> Player {
    let playing = use_state_eq(|| false);
    let speed = use_state_eq(|| DEFAULT_SPEED);
    {
        let session = session.clone();
        use_effect_with((*playing, *speed), move |&(playing, speed)| {
            let factor = SPEEDS.get(speed).map_or(1.0, |(factor, _)| *factor);
            let by = (f64::from(TICK_MS) * factor) as Millis;
            let tick = move || {
                if factor.is_finite() {
                    session.update(|p| p.advance(by));
                } else {
                    session.settle();
                }
            };
            let timer = playing.then(|| Interval::new(TICK_MS, tick));
            move || drop(timer)
        });
    }
    Player { playing, speed }
}
