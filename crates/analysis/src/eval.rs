//! External evaluation of a clustering against reference labels: normalised mutual information
//! (arithmetic-mean normalisation, scikit-learn's default) and the adjusted Rand index.

use std::collections::BTreeMap;

/// Contingency table of two labellings given as small integer ids.
type Table = (BTreeMap<(u32, u32), u64>, Vec<u64>, Vec<u64>);

fn contingency(a: &[u32], b: &[u32]) -> Table {
    let na = a.iter().map(|&x| x as usize + 1).max().unwrap_or(0);
    let nb = b.iter().map(|&x| x as usize + 1).max().unwrap_or(0);
    let mut table = BTreeMap::new();
    let mut ra = vec![0u64; na];
    let mut rb = vec![0u64; nb];
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_insert(0) += 1;
        ra[x as usize] += 1;
        rb[y as usize] += 1;
    }
    (table, ra, rb)
}

fn entropy(counts: &[u64], n: f64) -> f64 {
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.ln()
        })
        .sum()
}

/// NMI with arithmetic normalisation: `MI / ((H(a) + H(b)) / 2)`; 1 when both are constant.
pub fn nmi(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len());
    if n == 0 {
        return 0.0;
    }
    let (table, ra, rb) = contingency(&a[..n], &b[..n]);
    let nf = n as f64;
    let (ha, hb) = (entropy(&ra, nf), entropy(&rb, nf));
    if ha == 0.0 && hb == 0.0 {
        return 1.0;
    }
    let mut mi = 0.0;
    for (&(x, y), &c) in &table {
        let c = c as f64;
        mi += c / nf * (nf * c / (ra[x as usize] as f64 * rb[y as usize] as f64)).ln();
    }
    let denom = (ha + hb) / 2.0;
    if denom <= 0.0 {
        0.0
    } else {
        (mi / denom).clamp(0.0, 1.0)
    }
}

fn comb2(x: u64) -> f64 {
    let x = x as f64;
    x * (x - 1.0) / 2.0
}

/// Adjusted Rand index (Hubert & Arabie); 1 for identical partitions.
pub fn ari(a: &[u32], b: &[u32]) -> f64 {
    let n = a.len().min(b.len());
    if n < 2 {
        return 1.0;
    }
    let (table, ra, rb) = contingency(&a[..n], &b[..n]);
    let index: f64 = table.values().map(|&c| comb2(c)).sum();
    let sa: f64 = ra.iter().map(|&c| comb2(c)).sum();
    let sb: f64 = rb.iter().map(|&c| comb2(c)).sum();
    let expected = sa * sb / comb2(n as u64);
    let max = (sa + sb) / 2.0;
    if (max - expected).abs() < 1e-12 {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Map arbitrary labels to dense ids in order of first appearance.
pub fn dense_ids<T: Ord + Clone>(labels: &[T]) -> Vec<u32> {
    let mut map: BTreeMap<T, u32> = BTreeMap::new();
    labels
        .iter()
        .map(|l| {
            let n = map.len() as u32;
            *map.entry(l.clone()).or_insert(n)
        })
        .collect()
}

/// Same as [`dense_ids`] with a hash map: faster on long labels, same result.
pub fn dense_ids_hashed<T: std::hash::Hash + Eq + Clone>(labels: &[T]) -> Vec<u32> {
    let mut map: crate::util::FxHashMap<T, u32> = Default::default();
    labels
        .iter()
        .map(|l| {
            let n = map.len() as u32;
            *map.entry(l.clone()).or_insert(n)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn identical_and_relabelled() {
        let a = [0, 0, 1, 1, 2, 2];
        let b = [5, 5, 3, 3, 4, 4];
        assert!(close(nmi(&a, &b), 1.0));
        assert!(close(ari(&a, &b), 1.0));
    }

    #[test]
    fn hand_computed_example() {
        // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]
        // Contingency: (0,0)=2 (0,1)=1 (1,1)=1 (1,2)=2; rows 3,3; cols 2,2,2.
        // ARI: index = 1+0+0+1 = 2; sa = 3+3 = 6; sb = 1+1+1 = 3; expected = 18/15 = 1.2;
        // max = 4.5; ARI = 0.8 / 3.3 = 0.242424...
        let a = [0, 0, 0, 1, 1, 1];
        let b = [0, 0, 1, 1, 2, 2];
        assert!(close(ari(&a, &b), 0.8 / 3.3));
        // MI = 2*(2/6)ln(2*6/(3*2)) + 2*(1/6)ln(6/(3*2)) = (2/3) ln 2
        // H(a) = ln 2, H(b) = ln 3, NMI = (2/3) ln2 / ((ln2 + ln3)/2)
        let want = (2.0 / 3.0) * 2f64.ln() / ((2f64.ln() + 3f64.ln()) / 2.0);
        assert!(close(nmi(&a, &b), want), "{} vs {want}", nmi(&a, &b));
    }

    #[test]
    fn independent_labellings() {
        let a = [0, 0, 1, 1];
        let b = [0, 1, 0, 1];
        assert!(close(nmi(&a, &b), 0.0));
        // index 0, sa = 2, sb = 2, expected = 4/6, max = 2: ARI = -(2/3)/(4/3) = -0.5
        assert!(close(ari(&a, &b), -0.5));
    }

    #[test]
    fn dense_ids_first_appearance() {
        assert_eq!(dense_ids(&["b", "a", "b", "c"]), vec![0, 1, 0, 2]);
        assert_eq!(dense_ids_hashed(&["b", "a", "b", "c"]), vec![0, 1, 0, 2]);
    }
}
