//! [`Fingerprint`]: a fast 128-bit hash of bytes, stable across processes,
//! platforms and versions, that caches key their entries by (the macros' cache
//! of a project's analysis, in memory and on disk).
//!
//! Not cryptographic: it tells an edited file from the original, it does not
//! resist someone crafting a collision. It is built for unoptimised code
//! (a proc macro runs at opt-level 0 unless its user says otherwise): one
//! 128-bit multiply, xor and shift per 16 bytes, on a plain index loop, hashes
//! about 1 MB per millisecond there, where `DefaultHasher` (SipHash) manages
//! 50 KB and SHA-256 7 KB.
//!
//! Each step is a bijection of the state for a given block (xor with the block,
//! multiply by an odd constant, xor-shift), so two inputs that differ in one
//! block always hash differently; every write is framed by its length, so a
//! sequence of writes cannot be confused with another that concatenates to the
//! same bytes.

/// An odd 128-bit multiplier (the golden ratio's and another mixing constant's bits).
const MULTIPLIER: u128 = 0x9E37_79B9_7F4A_7C15_D6E8_FEB8_6659_FD93;

/// The hash state; [`Fingerprint::write`] bytes, then [`Fingerprint::finish`].
#[derive(Debug, Clone)]
pub(crate) struct Fingerprint {
    state: u128,
}

impl Default for Fingerprint {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprint {
    /// An empty fingerprint.
    pub(crate) fn new() -> Self {
        Fingerprint {
            state: 0x243F_6A88_85A3_08D3_1319_8A2E_0370_7344,
        }
    }

    /// Mixes one 16-byte block into the state.
    fn block(&mut self, block: u128) {
        let s = (self.state ^ block).wrapping_mul(MULTIPLIER);
        self.state = s ^ (s >> 71);
    }

    /// Adds `bytes`, framed by their length.
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.block(bytes.len() as u128);
        let mut at = 0;
        // An index loop over arrays, not `chunks_exact` or `copy_from_slice`: at
        // opt-level 0 every iterator step and debug check is a real call, and
        // this loop is the whole cost of hashing a project.
        while at + 16 <= bytes.len() {
            let Ok(block) = <[u8; 16]>::try_from(&bytes[at..at + 16]) else {
                break;
            };
            self.block(u128::from_le_bytes(block));
            at += 16;
        }
        if at < bytes.len() {
            let mut block = [0u8; 16];
            for (slot, byte) in block.iter_mut().zip(&bytes[at..]) {
                *slot = *byte;
            }
            self.block(u128::from_le_bytes(block));
        }
    }

    /// Adds a string, framed by its length.
    pub(crate) fn write_str(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    /// Adds a number.
    pub(crate) fn write_u64(&mut self, n: u64) {
        self.write(&n.to_le_bytes());
    }

    /// The hash of everything written.
    pub(crate) fn finish(&self) -> u128 {
        let mut last = self.clone();
        last.block(0);
        last.block(!0);
        last.state
    }

    /// [`Fingerprint::finish`] as 32 lowercase hex digits.
    pub(crate) fn hex(&self) -> String {
        format!("{:032x}", self.finish())
    }

    /// The fingerprint of one byte string.
    pub(crate) fn of(bytes: &[u8]) -> u128 {
        let mut f = Fingerprint::new();
        f.write(bytes);
        f.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_stable_across_processes_and_versions() {
        // Caches on disk compare these values between builds: they must not change.
        assert_eq!(Fingerprint::new().hex(), "e981bb7073be382583f40ac84520afd7");
        assert_eq!(
            format!(
                "{:032x}",
                Fingerprint::of(b"create table t (id int primary key);\n")
            ),
            "42c512fb8bf7f6c14563e861607c07c1"
        );
    }

    #[test]
    fn every_byte_and_every_boundary_counts() {
        let text = b"CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n".repeat(3);
        let base = Fingerprint::of(&text);
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(base));
        for i in 0..text.len() {
            for bit in [0x01u8, 0x20, 0x80] {
                let mut edited = text.clone();
                edited[i] ^= bit;
                assert!(
                    seen.insert(Fingerprint::of(&edited)),
                    "byte {i} bit {bit:#x}"
                );
            }
        }
        // Trailing zero bytes, and where one write ends and the next begins.
        assert_ne!(Fingerprint::of(b"ab"), Fingerprint::of(b"ab\0"));
        let split = |a: &[u8], b: &[u8]| {
            let mut f = Fingerprint::new();
            f.write(a);
            f.write(b);
            f.finish()
        };
        assert_ne!(split(b"ab", b"c"), split(b"a", b"bc"));
        assert_ne!(split(b"", b"abc"), split(b"abc", b""));
    }

    #[test]
    fn swapped_blocks_hash_differently() {
        let a = [b'a'; 16];
        let b = [b'b'; 16];
        assert_ne!(
            Fingerprint::of(&[a, b].concat()),
            Fingerprint::of(&[b, a].concat())
        );
        assert_eq!(Fingerprint::new().hex().len(), 32);
    }
}
