//! Hashing inside the engine: a fast, fixed hasher for its own maps and
//! digests, the stable hex ids it shows as image digests and exec ids, and
//! the hex writing behind those, uids and Event names (`format!`'s `{:x}`
//! cost a tenth of a large run, in hundreds of thousands of names).
//!
//! std's SipHash resists collision attacks from untrusted keys; the engine
//! hashes its own names, uids and tasks, millions of times per large run,
//! where SipHash cost several percent of the time. This is the multiply-
//! rotate hash rustc uses for the same reason. Nothing may depend on the
//! iteration order of these maps (none did with std's random seeds either).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Clone, Copy, Default)]
pub struct FastHasher {
    hash: u64,
}

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
        // The zero padding above would make "a" and "a\0" one word.
        self.add(bytes.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// hashbrown picks a bucket by the low bits and a tag by the top seven.
    /// The multiply leaves a low bit depending only on the input's bits
    /// below it, so names that differ in their last bytes (`web-1`,
    /// `web-2`, …) shared 1,024 of 16,384 buckets at 10,000 pods; folding the
    /// high half down and mixing once more spreads them as random keys
    /// would be.
    fn finish(&self) -> u64 {
        let folded = (self.hash ^ (self.hash >> 32)).wrapping_mul(SEED);
        folded ^ (folded >> 29)
    }
}

/// A digest of several strings, telling ("ab", "c") from ("a", "bc").
/// Unmixed: seeds drawn from it show in output and keep their values.
pub fn digest_of(parts: &[&str]) -> u64 {
    let mut hasher = FastHasher::default();
    for part in parts {
        part.hash(&mut hasher);
    }
    hasher.hash
}

/// Appends `value` in lower-case hex, padded with zeros to at least
/// `width` digits: `format!("{value:0width$x}")` without the formatter.
pub fn push_hex(out: &mut String, value: u64, width: usize) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let significant = (64 - value.leading_zeros() as usize).div_ceil(4).max(1);
    for _ in significant..width {
        out.push('0');
    }
    for shift in (0..significant).rev() {
        out.push(char::from(DIGITS[((value >> (shift * 4)) & 0xf) as usize]));
    }
}

/// 64 hex digits that depend only on `seed`, for ids a real runtime would
/// make up (image digests, exec ids). FNV-1a, so that they stay as they were.
pub fn hex_id(seed: &str) -> String {
    let mut id = String::with_capacity(64);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    // Each block of 16 digits also hashes how many came before it, in decimal.
    for written in ["0", "16", "32", "48"] {
        for b in seed.bytes().chain(written.bytes()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        push_hex(&mut id, hash, 16);
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_differ_in_their_tail_spread_over_the_low_bits() {
        // 10,000 random keys fill about 7,470 of 16,384 buckets.
        for pattern in ["web-", "www-web-", "data-web-"] {
            let buckets: HashSet<u64> = (0..10_000)
                .map(|i| {
                    let mut hasher = FastHasher::default();
                    format!("{pattern}{i}").hash(&mut hasher);
                    hasher.finish() & 0x3fff
                })
                .collect();
            assert!(buckets.len() > 7_000, "{pattern}: {}", buckets.len());
        }
    }

    #[test]
    fn strings_that_differ_only_in_their_tail_hash_apart() {
        let hash = |s: &str| digest_of(&[s]);
        assert_ne!(hash("web-1234.1"), hash("web-1234.2"));
        assert_ne!(hash("web-12345678"), hash("web-12345679"));
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(digest_of(&["ab", "c"]), digest_of(&["a", "bc"]));
    }

    #[test]
    fn hex_is_written_as_the_formatter_writes_it() {
        for value in [0, 1, 0xf, 0x10, 0xabc, 0x1234_5678, u64::MAX, 1 << 63] {
            for width in [0, 1, 3, 4, 8, 12, 16, 20] {
                let mut out = String::from("x");
                push_hex(&mut out, value, width);
                assert_eq!(out, format!("x{value:0width$x}"), "{value} {width}");
            }
        }
    }

    #[test]
    fn hex_ids_keep_their_values() {
        // The digest `kubectl describe pod` shows for this image in the
        // transcripts, since hex ids were first written.
        assert_eq!(
            hex_id("registry.k8s.io/nginx-slim:0.21"),
            "0a0d5532d47308eee0f83b13fbd3f7cc83f273ed9fd05e8877ef1fbcb1a55245"
        );
    }

    #[test]
    fn hex_ids_are_64_digits_and_differ_by_seed() {
        let id = hex_id("registry.k8s.io/nginx-slim:0.21");
        assert_eq!(id.len(), 64);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(id, hex_id("registry.k8s.io/nginx-slim:0.20"));
    }
}
