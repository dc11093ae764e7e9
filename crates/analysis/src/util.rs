//! Small deterministic helpers: a fast non-random hasher, a seeded RNG, a 64-bit mixer.
//!
//! Output must be byte-identical across runs, so nothing here depends on process-level
//! randomness; hash maps are used for look-ups only and never iterated into the output.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (rustc's hasher): fast and deterministic; fine for trusted-size keys.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, w: u64) {
        self.hash = (self.hash.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            self.add(u64::from_le_bytes(a));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut a = [0u8; 8];
            a[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(a) ^ ((rest.len() as u64) << 59));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxBuild = BuildHasherDefault<FxHasher>;
pub type FxHashMap<K, V> = HashMap<K, V, FxBuild>;

/// SplitMix64 finaliser: a good 64-bit mixing function.
#[inline]
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Seeded SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(mix64(seed ^ 0xC0DC_0DE5))
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }
    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    /// `m` distinct indices of 0..n, sorted (all of them when m >= n).
    pub fn sample_indices(&mut self, n: usize, m: usize) -> Vec<usize> {
        if m >= n {
            return (0..n).collect();
        }
        // Partial Fisher-Yates on a permutation; n is at most a few million.
        let mut perm: Vec<u32> = (0..n as u32).collect();
        for i in 0..m {
            let j = i + self.below(n - i);
            perm.swap(i, j);
        }
        let mut out: Vec<usize> = perm[..m].iter().map(|&x| x as usize).collect();
        out.sort_unstable();
        out
    }
}

/// Round to a fixed number of decimals so the JSON stays compact and stable.
pub fn round(x: f64, decimals: i32) -> f64 {
    let p = 10f64.powi(decimals);
    (x * p).round() / p
}

/// A character-safe prefix of `s` of at most `max_chars` characters, with "…" when cut.
pub fn excerpt(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n >= max_chars {
            out.push('…');
            return out;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

/// Like [`excerpt`], but a cut text ends at its last full sentence when one ends past a third
/// of the room, so a representative reads as whole sentences.
pub fn sentence_excerpt(s: &str, max_chars: usize) -> String {
    let cut = excerpt(s, max_chars);
    if !cut.ends_with('…') {
        return cut;
    }
    let chars: Vec<char> = cut.chars().collect();
    let end = chars
        .iter()
        .enumerate()
        .rev()
        .find(|&(i, c)| matches!(c, '.' | '!' | '?') && i >= max_chars / 3)
        .map(|(i, _)| i);
    match end {
        Some(i) => chars[..=i].iter().collect::<String>() + " […]",
        None => cut,
    }
}

/// Stage timings on stderr when `CONCORDE_ANALYSIS_TRACE` is set (development aid).
pub fn trace(what: &str, since: std::time::Instant) {
    if std::env::var_os("CONCORDE_ANALYSIS_TRACE").is_some() {
        eprintln!("[analysis] {what}: {:.3}s", since.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_end_on_a_sentence() {
        let t = "Première phrase assez longue pour compter. Deuxième phrase, qui déborde largement";
        assert_eq!(
            sentence_excerpt(t, 60),
            "Première phrase assez longue pour compter. […]"
        );
        assert_eq!(sentence_excerpt("Court.", 60), "Court.");
        // No sentence end in reach: the plain cut.
        assert_eq!(sentence_excerpt("abcdefghij", 5), "abcde…");
    }
}
