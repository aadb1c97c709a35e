//! The transparency log: its Merkle tree (RFC 6962 section 2.1), proofs, and signed checkpoints.
//!
//! - [`Tree`] holds every leaf hash and complete interior node in memory (64 bytes per leaf), so
//!   that roots of earlier sizes and proofs cost O(log² n) hashes at any size;
//! - [`CompactRange`] holds only the right edge (one hash per perfect subtree), enough to follow
//!   the root as leaves are appended: what a monitor keeps;
//! - [`proof`] verifies inclusion and consistency proofs (and generates them the slow, obviously
//!   correct way, as a reference for tests);
//! - [`note`] and [`checkpoint`] sign and open C2SP signed notes and tlog-checkpoints.

pub mod checkpoint;
pub mod note;
pub mod proof;
mod tree;

pub use self::checkpoint::{Checkpoint, CheckpointError};
pub use self::note::{NoteError, NoteSigner, NoteVerifier};
pub use self::tree::Tree;

use crate::crypto;

/// RFC 6962 hash of an interior node: SHA-256 of 0x01, the left and the right child.
pub fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    crypto::sha256_parts(&[&[1], left, right])
}

/// RFC 6962 hash of a leaf: SHA-256 of 0x00 and the leaf data.
pub fn leaf_hash(data: &[u8]) -> [u8; 32] {
    crypto::sha256_parts(&[&[0], data])
}

/// The right edge of a Merkle tree: one hash per perfect subtree, largest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompactRange {
    size: u64,
    /// (height, hash) of each perfect subtree, from the left.
    subtrees: Vec<(u32, [u8; 32])>,
}

impl CompactRange {
    /// The empty tree.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub(crate) fn from_parts(size: u64, subtrees: Vec<(u32, [u8; 32])>) -> Self {
        Self { size, subtrees }
    }

    /// The range of a tree of `size` leaves from its perfect subtrees' hashes, largest first;
    /// `None` unless there is exactly one hash per bit set in `size`.
    pub fn from_hashes(size: u64, hashes: &[[u8; 32]]) -> Option<Self> {
        if hashes.len() != size.count_ones() as usize {
            return None;
        }
        let heights = (0..64u32).rev().filter(|h| size & (1 << h) != 0);
        Some(Self {
            size,
            subtrees: heights.zip(hashes.iter().copied()).collect(),
        })
    }

    /// The perfect subtrees' hashes, largest first.
    pub fn hashes(&self) -> Vec<[u8; 32]> {
        self.subtrees.iter().map(|&(_, hash)| hash).collect()
    }

    /// Appends a leaf by its leaf hash.
    pub fn push(&mut self, leaf_hash: [u8; 32]) {
        let mut hash = leaf_hash;
        let mut height = 0;
        while let Some(&(h, left)) = self.subtrees.last() {
            if h != height {
                break;
            }
            self.subtrees.pop();
            hash = node_hash(&left, &hash);
            height += 1;
        }
        self.subtrees.push((height, hash));
        self.size += 1;
    }

    /// The root hash: SHA-256 of the empty string for the empty tree.
    pub fn root(&self) -> [u8; 32] {
        let mut iter = self.subtrees.iter().rev();
        let Some(&(_, mut root)) = iter.next() else {
            return crypto::sha256(b"");
        };
        for (_, left) in iter {
            root = node_hash(left, &root);
        }
        root
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6962 reference roots for the first eight leaves of the upstream test data.
    #[test]
    fn roots_match_the_reference_vectors() {
        let leaves: [&[u8]; 8] = [
            b"",
            &[0x00],
            &[0x10],
            &[0x20, 0x21],
            &[0x30, 0x31],
            &[0x40, 0x41, 0x42, 0x43],
            &[0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
            &[
                0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d,
                0x6e, 0x6f,
            ],
        ];
        let roots = [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ];
        let mut range = CompactRange::new();
        assert_eq!(
            crypto::hex(&range.root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for (leaf, root) in leaves.iter().zip(roots) {
            range.push(leaf_hash(leaf));
            assert_eq!(crypto::hex(&range.root()), root, "size {}", range.size());
        }
    }
}
