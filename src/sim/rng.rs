//! Seeded randomness for uids, IPs, name suffixes and timing jitter.
//! SplitMix64: tiny, fast and good enough; what matters is that the same seed
//! gives the same cluster.

use super::fast_hash::push_hex;

#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// A version-4 style UUID, as the apiserver puts in `metadata.uid`.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut uuid = String::with_capacity(36);
        push_hex(&mut uuid, a >> 32, 8);
        uuid.push('-');
        push_hex(&mut uuid, (a >> 16) & 0xffff, 4);
        uuid.push_str("-4");
        push_hex(&mut uuid, a & 0x0fff, 3);
        uuid.push('-');
        push_hex(&mut uuid, ((b >> 48) & 0x3fff) | 0x8000, 4);
        uuid.push('-');
        push_hex(&mut uuid, b & 0xffff_ffff_ffff, 12);
        uuid
    }

    /// Random characters from the apimachinery alphabet (no vowels, no 0/1/3),
    /// as used in generated name suffixes like `kube-api-access-x7k2p`.
    pub fn suffix(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
        (0..len)
            .map(|_| ALPHABET[(self.next_u64() % ALPHABET.len() as u64) as usize] as char)
            .collect()
    }

    /// Lower-case hex digits, as in event name suffixes.
    pub fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(len);
        while out.len() < len {
            let mut word = self.next_u64();
            for _ in 0..16.min(len - out.len()) {
                out.push(char::from(DIGITS[(word >> 60) as usize]));
                word <<= 4;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.suffix(5), b.suffix(5));
    }

    #[test]
    fn uuid_has_the_canonical_shape() {
        let id = Rng::new(1).uuid();
        let parts: Vec<_> = id.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert_eq!(&id[14..15], "4");
    }
}
