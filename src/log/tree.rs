//! The whole Merkle tree in memory, with every complete interior node stored, so that roots of any
//! earlier size and inclusion and consistency proofs take O(log² n) hash operations and never read
//! all leaves.
//!
//! `levels[h][i]` is the hash of the perfect subtree of height `h` that covers leaves
//! `i·2^h .. (i+1)·2^h`; level 0 holds the leaf hashes. A tree of n leaves holds fewer than 2n
//! hashes (64 bytes per leaf). Any subtree hash the RFC 9162 recursions ask for, `MTH(D[lo:hi])`,
//! splits into at most log n stored perfect subtrees, because those ranges always start at a
//! multiple of the largest power of two not above their length.

use super::proof::ProofError;
use super::{CompactRange, node_hash};
use crate::crypto;

/// An append-only RFC 6962 Merkle tree with its interior nodes.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    levels: Vec<Vec<[u8; 32]>>,
}

impl Tree {
    /// The empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |leaves| leaves.len() as u64)
    }

    /// Appends a leaf by its leaf hash, and every interior node it completes.
    pub fn push(&mut self, leaf_hash: [u8; 32]) {
        let mut hash = leaf_hash;
        let mut height = 0;
        loop {
            if self.levels.len() == height {
                self.levels.push(Vec::new());
            }
            let level = &mut self.levels[height];
            level.push(hash);
            let len = level.len();
            if len % 2 == 1 {
                return;
            }
            hash = node_hash(&level[len - 2], &level[len - 1]);
            height += 1;
        }
    }

    /// Gives back the spare capacity of every level (up to half of it after doubling growth):
    /// worth doing once a large tree has been loaded.
    pub fn shrink_to_fit(&mut self) {
        for level in &mut self.levels {
            level.shrink_to_fit();
        }
    }

    /// The leaf hash at `index`.
    pub fn leaf(&self, index: u64) -> Option<&[u8; 32]> {
        self.levels.first()?.get(usize::try_from(index).ok()?)
    }

    /// The root hash of the whole tree.
    pub fn root(&self) -> [u8; 32] {
        self.mth(0, self.size())
    }

    /// The root hash the tree had at `size` leaves, or `None` past the current size.
    pub fn root_at(&self, size: u64) -> Option<[u8; 32]> {
        (size <= self.size()).then(|| self.mth(0, size))
    }

    /// The right edge of the tree at its current size: enough to compute the root after more
    /// appends without touching this tree.
    pub fn compact_range(&self) -> CompactRange {
        let size = self.size();
        let mut subtrees = Vec::new();
        let mut start = 0u64;
        for height in (0..64u32).rev() {
            let width = 1u64 << height;
            if size & width != 0 {
                subtrees.push((height, self.node(height, start >> height)));
                start += width;
            }
        }
        CompactRange::from_parts(size, subtrees)
    }

    /// The audit path of leaf `index` in the tree of the first `size` leaves (RFC 9162 section
    /// 2.1.3.1), nearest sibling first.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<[u8; 32]>, ProofError> {
        if size > self.size() {
            return Err(ProofError::OutOfRange(format!(
                "tree size {size} is larger than the log ({})",
                self.size()
            )));
        }
        if index >= size {
            return Err(ProofError::OutOfRange(format!(
                "leaf index {index} is not below tree size {size}"
            )));
        }
        let mut proof = Vec::with_capacity(64);
        self.path(index, 0, size, &mut proof);
        Ok(proof)
    }

    /// The proof that the tree of `size1` leaves is a prefix of the tree of `size2` leaves
    /// (RFC 9162 section 2.1.4.1): empty when the sizes are equal.
    pub fn consistency_proof(&self, size1: u64, size2: u64) -> Result<Vec<[u8; 32]>, ProofError> {
        if size2 > self.size() {
            return Err(ProofError::OutOfRange(format!(
                "tree size {size2} is larger than the log ({})",
                self.size()
            )));
        }
        if size1 == 0 || size1 > size2 {
            return Err(ProofError::OutOfRange(format!(
                "no consistency proof from size {size1} to size {size2}"
            )));
        }
        let mut proof = Vec::with_capacity(64);
        self.subproof(size1, 0, size2, true, &mut proof);
        Ok(proof)
    }

    /// The stored node of `height` at position `index` within its level.
    fn node(&self, height: u32, index: u64) -> [u8; 32] {
        // Callers ask only for complete subtrees inside the tree, which are stored.
        self.levels[height as usize][index as usize]
    }

    /// `MTH(D[lo:hi])` for a range that starts at a multiple of the largest power of two not
    /// above its length (every range the RFC recursions produce).
    fn mth(&self, lo: u64, hi: u64) -> [u8; 32] {
        let n = hi - lo;
        if n == 0 {
            return crypto::sha256(b"");
        }
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            return self.node(n.trailing_zeros(), lo >> n.trailing_zeros());
        }
        let k = split(n);
        node_hash(&self.mth(lo, lo + k), &self.mth(lo + k, hi))
    }

    fn path(&self, m: u64, lo: u64, hi: u64, out: &mut Vec<[u8; 32]>) {
        let n = hi - lo;
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            self.path(m, lo, lo + k, out);
            out.push(self.mth(lo + k, hi));
        } else {
            self.path(m - k, lo + k, hi, out);
            out.push(self.mth(lo, lo + k));
        }
    }

    fn subproof(&self, m: u64, lo: u64, hi: u64, whole: bool, out: &mut Vec<[u8; 32]>) {
        let n = hi - lo;
        if m == n {
            if !whole {
                out.push(self.mth(lo, hi));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            self.subproof(m, lo, lo + k, whole, out);
            out.push(self.mth(lo + k, hi));
        } else {
            self.subproof(m - k, lo + k, hi, false, out);
            out.push(self.mth(lo, lo + k));
        }
    }
}

/// The largest power of two smaller than `n` (n > 1).
fn split(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::leaf_hash;
    use crate::log::proof;

    #[test]
    fn split_is_the_largest_power_of_two_below() {
        for (n, k) in [
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 4),
            (8, 4),
            (9, 8),
            (1 << 40, 1 << 39),
        ] {
            assert_eq!(split(n), k, "n = {n}");
        }
    }

    #[test]
    fn proofs_and_roots_agree_with_the_reference_recursion() {
        let leaves: Vec<[u8; 32]> = (0u32..70).map(|i| leaf_hash(&i.to_be_bytes())).collect();
        let mut tree = Tree::new();
        assert_eq!(tree.root(), proof::root(&[]));
        for (i, leaf) in leaves.iter().enumerate() {
            tree.push(*leaf);
            assert_eq!(tree.size(), i as u64 + 1);
            assert_eq!(tree.compact_range().root(), tree.root());
        }
        for size in 1..=leaves.len() {
            let prefix = &leaves[..size];
            assert_eq!(tree.root_at(size as u64), Some(proof::root(prefix)));
            for index in 0..size {
                assert_eq!(
                    tree.inclusion_proof(index as u64, size as u64),
                    Ok(proof::inclusion_proof(prefix, index).unwrap_or_default()),
                );
            }
            for size1 in 1..=size {
                assert_eq!(
                    tree.consistency_proof(size1 as u64, size as u64),
                    Ok(proof::consistency_proof(prefix, size1).unwrap_or_default()),
                );
            }
        }
        assert_eq!(tree.root_at(71), None);
        assert!(tree.inclusion_proof(70, 70).is_err());
        assert!(tree.inclusion_proof(0, 71).is_err());
        assert!(tree.consistency_proof(0, 5).is_err());
        assert!(tree.consistency_proof(6, 5).is_err());
        assert!(tree.consistency_proof(5, 71).is_err());
    }
}
