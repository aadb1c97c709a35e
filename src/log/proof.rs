//! RFC 9162 (RFC 6962 section 2.1) inclusion and consistency proofs: generation from leaf
//! hashes and verification.
//!
//! Generation here recomputes subtree hashes from the leaf hashes, O(n) per proof: right for
//! tests and small logs; a service at a million entries needs stored interior nodes.

use super::node_hash;
use crate::crypto;

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The index or sizes are out of range (`index >= size`, `size1 > size2`, `size1 == 0`).
    #[error("out of range: {0}")]
    OutOfRange(String),
    /// The proof has the wrong number of hashes for these sizes.
    #[error("the proof has {found} hashes, {expected} expected")]
    WrongLength {
        /// Hashes the sizes call for.
        expected: usize,
        /// Hashes given.
        found: usize,
    },
    /// The proof does not lead to the root (or roots) given.
    #[error("the proof does not lead to the given root")]
    Mismatch,
}

/// The Merkle tree hash of a list of leaf hashes (the empty tree's is SHA-256 of nothing).
pub fn root(leaves: &[[u8; 32]]) -> [u8; 32] {
    match leaves {
        [] => crypto::sha256(b""),
        [one] => *one,
        _ => {
            let k = split(leaves.len());
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The largest power of two smaller than `n` (n > 1).
fn split(n: usize) -> usize {
    let mut k = 1;
    while k << 1 < n {
        k <<= 1;
    }
    k
}

/// The audit path of leaf `index` in the tree of `leaves` (RFC 9162 section 2.1.3.1), or `None`
/// when the index is out of range.
pub fn inclusion_proof(leaves: &[[u8; 32]], index: usize) -> Option<Vec<[u8; 32]>> {
    if index >= leaves.len() {
        return None;
    }
    let mut proof = Vec::new();
    path(index, leaves, &mut proof);
    Some(proof)
}

fn path(m: usize, leaves: &[[u8; 32]], out: &mut Vec<[u8; 32]>) {
    if leaves.len() <= 1 {
        return;
    }
    let k = split(leaves.len());
    if m < k {
        path(m, &leaves[..k], out);
        out.push(root(&leaves[k..]));
    } else {
        path(m - k, &leaves[k..], out);
        out.push(root(&leaves[..k]));
    }
}

/// The proof that the tree of the first `size1` leaves is a prefix of the tree of `leaves`
/// (RFC 9162 section 2.1.4.1), or `None` when `size1` is 0 or larger than the tree.
pub fn consistency_proof(leaves: &[[u8; 32]], size1: usize) -> Option<Vec<[u8; 32]>> {
    if size1 == 0 || size1 > leaves.len() {
        return None;
    }
    let mut proof = Vec::new();
    subproof(size1, leaves, true, &mut proof);
    Some(proof)
}

fn subproof(m: usize, leaves: &[[u8; 32]], whole: bool, out: &mut Vec<[u8; 32]>) {
    let n = leaves.len();
    if m == n {
        if !whole {
            out.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], whole, out);
        out.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, out);
        out.push(root(&leaves[..k]));
    }
}

/// Verifies that `leaf_hash` is leaf `index` of the tree of `size` leaves with `root`
/// (RFC 9162 section 2.1.3.2).
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf_hash: &[u8; 32],
    proof: &[[u8; 32]],
    root: &[u8; 32],
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::OutOfRange(format!(
            "leaf index {index} is not below tree size {size}"
        )));
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf_hash;
    for p in proof {
        if s == 0 {
            return Err(ProofError::WrongLength {
                expected: inclusion_length(index, size),
                found: proof.len(),
            });
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength {
            expected: inclusion_length(index, size),
            found: proof.len(),
        });
    }
    if r == *root {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

/// The length of an inclusion proof for these parameters.
fn inclusion_length(index: u64, size: u64) -> usize {
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    // When the index and the last leaf differ in the top bit, `inner` is 64 and no border is
    // left above it (Go's `index >> 64` is 0; Rust's shift by 64 overflows).
    let border = index.checked_shr(inner).unwrap_or(0).count_ones();
    (inner + border) as usize
}

/// Verifies that the tree of `size1` leaves with `root1` is a prefix of the tree of `size2`
/// leaves with `root2` (RFC 9162 section 2.1.4.2). As transparency-dev/merkle does, a first size
/// of 0 is refused, and equal sizes need an empty proof and equal roots.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    root1: &[u8; 32],
    root2: &[u8; 32],
    proof: &[[u8; 32]],
) -> Result<(), ProofError> {
    if size1 == 0 || size1 > size2 {
        return Err(ProofError::OutOfRange(format!(
            "no consistency proof from size {size1} to size {size2}"
        )));
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength {
                expected: 0,
                found: proof.len(),
            });
        }
        return if root1 == root2 {
            Ok(())
        } else {
            Err(ProofError::Mismatch)
        };
    }
    let Some((first, rest)) = proof.split_first() else {
        return Err(ProofError::WrongLength {
            expected: 1,
            found: 0,
        });
    };
    // When size1 is a power of two, the first tree is a complete subtree and its root is the
    // start of the path.
    let (start, rest) = if size1.is_power_of_two() {
        (root1, proof)
    } else {
        (first, rest)
    };
    let (mut f, mut s) = (size1 - 1, size2 - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*start, *start);
    for c in rest {
        if s == 0 {
            return Err(ProofError::WrongLength {
                expected: proof.len() - 1,
                found: proof.len(),
            });
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    if s != 0 {
        return Err(ProofError::WrongLength {
            expected: proof.len() + 1,
            found: proof.len(),
        });
    }
    if fr == *root1 && sr == *root2 {
        Ok(())
    } else {
        Err(ProofError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `tests/fuzz` (target `merkle`): a wrong-length proof for a tree of more than
    /// 2^63 leaves, where the index and the last leaf differ in the top bit, made the expected
    /// length's computation shift by 64 (a panic with overflow checks, a wrong count without).
    #[test]
    fn wrong_length_proofs_for_trees_past_two_to_the_63_are_refused_without_overflow() {
        let hash = [7; 32];
        assert_eq!(
            verify_inclusion(0, u64::MAX, &hash, &[], &hash),
            Err(ProofError::WrongLength {
                expected: 64,
                found: 0
            })
        );
        assert_eq!(
            verify_inclusion(1 << 63, u64::MAX, &hash, &[hash], &hash),
            Err(ProofError::WrongLength {
                expected: 64,
                found: 1
            })
        );
        assert_eq!(inclusion_length(u64::MAX - 1, u64::MAX), 63);
        assert_eq!(inclusion_length(0, 1 << 63), 63);
        assert_eq!(inclusion_length(5, 8), 3);
        assert_eq!(inclusion_length(4, 5), 1);
    }
}
