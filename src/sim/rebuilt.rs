//! Controller state that is derived from the store and can always be
//! rebuilt from it, like an informer's cache after a relist.

use std::ops::{Deref, DerefMut};

/// Holds a controller's derived state. A copy of the cluster (a timeline
/// snapshot, a History step) starts without it and rebuilds it on first
/// use: copies stay cheap, and because a rebuilt cache must give exactly
/// the results a kept one gives, every copy also exercises that promise
/// (tests/engine_props.rs compares the two).
#[derive(Debug, Default)]
pub struct Rebuilt<T>(T);

impl<T: Default> Clone for Rebuilt<T> {
    fn clone(&self) -> Self {
        Rebuilt(T::default())
    }
}

impl<T> Deref for Rebuilt<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Rebuilt<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}
