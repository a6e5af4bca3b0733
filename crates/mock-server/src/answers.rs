//! Answers worked out once per generation of the database (see [`crate::db`]).
//!
//! An office's slots are counted from the bookings and serialised, and the
//! bytes are served again while the database's generation has not moved;
//! the session behind an access token is looked up once the same way. Any
//! committed change moves it (a booking, a cancellation, an expired billing
//! code, a quota release, a login or logout, a reset), so an answer is never
//! older than the last write: this is the live state, worked out once
//! instead of per read.

use axum::body::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most this many answers are kept for one generation (a key is an
/// office, a first day and a number of days; or a token's hash).
const MOST: usize = 512;

/// `V`: a rendered body, or what a lookup found.
#[derive(Clone)]
pub struct Answers<V = Bytes> {
    memo: Arc<Mutex<Memo<V>>>,
}

impl<V> Default for Answers<V> {
    fn default() -> Self {
        Answers {
            memo: Arc::new(Mutex::new(Memo {
                generation: 0,
                bodies: HashMap::new(),
            })),
        }
    }
}

struct Memo<V> {
    generation: u64,
    bodies: HashMap<String, V>,
}

impl<V: Clone> Answers<V> {
    /// The answer worked out for `key` at `generation`, if there is one.
    pub fn get(&self, key: &str, generation: u64) -> Option<V> {
        let memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        (memo.generation == generation)
            .then(|| memo.bodies.get(key).cloned())
            .flatten()
    }

    /// Keeps `body`, worked out from the rows of `generation`; an older one is dropped.
    pub fn put(&self, key: String, generation: u64, body: V) {
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if generation < memo.generation {
            return;
        }
        if generation > memo.generation || memo.bodies.len() >= MOST {
            memo.bodies.clear();
            memo.generation = generation;
        }
        memo.bodies.insert(key, body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_serves_only_its_own_generation() {
        let answers: Answers = Answers::default();
        answers.put("a".into(), 3, Bytes::from_static(b"three"));
        assert_eq!(answers.get("a", 3).as_deref(), Some(&b"three"[..]));
        assert_eq!(answers.get("a", 4), None, "the database moved on");
        assert_eq!(answers.get("b", 3), None);
        answers.put("a".into(), 2, Bytes::from_static(b"two"));
        assert_eq!(answers.get("a", 2), None, "older than what is kept");
        answers.put("a".into(), 4, Bytes::from_static(b"four"));
        assert_eq!(
            answers.get("a", 3),
            None,
            "a newer generation clears the old"
        );
        assert_eq!(answers.get("a", 4).as_deref(), Some(&b"four"[..]));
    }

    #[test]
    fn it_stays_bounded() {
        let answers: Answers = Answers::default();
        for i in 0..MOST + 10 {
            answers.put(i.to_string(), 1, Bytes::new());
        }
        assert!(answers.memo.lock().unwrap().bodies.len() <= MOST);
    }
}
