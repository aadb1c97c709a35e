//! RFC 9162 inclusion and consistency proofs with fuzzed sizes, indices and hashes.
//!
//! A tree of up to [`MAX_LEAVES`] distinct leaves is built three ways ([`Tree`], the reference
//! [`proof::root`] and a [`CompactRange`]); they must agree on every root. Proofs from [`Tree`]
//! must equal the reference proofs, verify, and stop verifying when any hash, the index, a size
//! or a root is changed, or a hash is added or dropped. Then the verifiers are given fuzzed
//! proofs for arbitrary (up to 64-bit) sizes: they must not panic, must refuse out-of-range
//! arguments, and must accept a fuzzed proof only when it is exactly as long as the sizes call
//! for and leads to the root the verifier itself would compute.

#![no_main]

use bonafide::log::proof::{self, ProofError};
use bonafide::log::{CompactRange, Tree, leaf_hash, node_hash};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

const MAX_LEAVES: u64 = 300;

#[derive(Debug, Arbitrary)]
enum Change {
    None,
    FlipBit { hash: u8, bit: u8 },
    Drop,
    Push([u8; 32]),
    Index(u64),
    Size(u64),
    Root(u8),
}

#[derive(Debug, Arbitrary)]
struct Input {
    leaves: u16,
    salt: u8,
    index: u64,
    size1: u64,
    size2: u64,
    change: Change,
    /// For the free-form half.
    free_index: u64,
    free_size1: u64,
    free_size2: u64,
    free_leaf: [u8; 32],
    free_proof: Vec<[u8; 32]>,
    free_root: [u8; 32],
    free_root2: [u8; 32],
}

/// RFC 9162 section 2.1.3.2, written out again: the root a proof leads to, or `None` when it
/// has the wrong length.
fn inclusion_root(index: u64, size: u64, leaf: &[u8; 32], proof: &[[u8; 32]]) -> Option<[u8; 32]> {
    if index >= size {
        return None;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s == 0 {
            return None;
        }
        if f % 2 == 1 || f == s {
            r = node_hash(p, &r);
            if f % 2 == 0 {
                while f % 2 == 0 && f != 0 {
                    f /= 2;
                    s /= 2;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f /= 2;
        s /= 2;
    }
    (s == 0).then_some(r)
}

/// RFC 9162 section 2.1.4.2, written out again: the two roots a proof leads to, or `None`.
fn consistency_roots(
    size1: u64,
    size2: u64,
    root1: &[u8; 32],
    proof: &[[u8; 32]],
) -> Option<([u8; 32], [u8; 32])> {
    if size1 == 0 || size1 >= size2 || proof.is_empty() {
        return None;
    }
    let mut path: Vec<[u8; 32]> = proof.to_vec();
    if size1.is_power_of_two() {
        path.insert(0, *root1);
    }
    let (mut f, mut s) = (size1 - 1, size2 - 1);
    while f % 2 == 1 {
        f /= 2;
        s /= 2;
    }
    let (mut fr, mut sr) = (path[0], path[0]);
    for c in &path[1..] {
        if s == 0 {
            return None;
        }
        if f % 2 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f % 2 == 0 && f != 0 {
                f /= 2;
                s /= 2;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f /= 2;
        s /= 2;
    }
    (s == 0).then_some((fr, sr))
}

fn change_proof(proof: &mut Vec<[u8; 32]>, change: &Change) -> bool {
    match change {
        Change::FlipBit { hash, bit } if !proof.is_empty() => {
            let i = usize::from(*hash) % proof.len();
            proof[i][usize::from(*bit / 8) % 32] ^= 1 << (bit % 8);
            true
        }
        Change::Drop if !proof.is_empty() => {
            proof.pop();
            true
        }
        Change::Push(extra) => {
            proof.push(*extra);
            true
        }
        _ => false,
    }
}

fn built(input: &Input) {
    let n = u64::from(input.leaves) % MAX_LEAVES + 1;
    let leaves: Vec<[u8; 32]> = (0..n)
        .map(|i| leaf_hash(&[&i.to_be_bytes()[..], &[input.salt]].concat()))
        .collect();
    let mut tree = Tree::new();
    let mut range = CompactRange::new();
    for (i, leaf) in leaves.iter().enumerate() {
        tree.push(*leaf);
        range.push(*leaf);
        let size = i as u64 + 1;
        assert_eq!(tree.size(), size);
        assert_eq!(range.root(), tree.root());
        assert_eq!(
            CompactRange::from_hashes(size, &range.hashes()).as_ref(),
            Some(&range)
        );
    }
    assert_eq!(tree.compact_range(), range);
    assert_eq!(tree.root(), proof::root(&leaves));
    assert_eq!(tree.root_at(n + 1), None);

    let size = input.size2 % n + 1;
    let index = input.index % size;
    let root = tree.root_at(size).expect("in range");
    let slice = &leaves[..size as usize];
    assert_eq!(root, proof::root(slice));
    let leaf = leaves[index as usize];

    // Inclusion.
    let path = tree.inclusion_proof(index, size).expect("in range");
    assert_eq!(
        Some(&path),
        proof::inclusion_proof(slice, index as usize).as_ref()
    );
    assert_eq!(
        proof::verify_inclusion(index, size, &leaf, &path, &root),
        Ok(())
    );
    assert_eq!(inclusion_root(index, size, &leaf, &path), Some(root));
    assert!(tree.inclusion_proof(size, size).is_err());
    assert!(tree.inclusion_proof(0, n + 1).is_err());
    let mut changed = path.clone();
    if change_proof(&mut changed, &input.change) {
        assert!(proof::verify_inclusion(index, size, &leaf, &changed, &root).is_err());
    }
    match input.change {
        Change::Index(other) if other != index => {
            assert!(proof::verify_inclusion(other, size, &leaf, &path, &root).is_err());
            // Another leaf at the same place fails too.
            let other_leaf = leaves[(other % size) as usize];
            if other_leaf != leaf {
                assert!(proof::verify_inclusion(index, size, &other_leaf, &path, &root).is_err());
            }
        }
        Change::Size(other) if other != size => {
            // A proof does not bind the size (index 0 of 5 and of 8 take the same path): the
            // root does. So another size verifies exactly when the path leads to the root.
            assert_eq!(
                proof::verify_inclusion(index, other, &leaf, &path, &root).is_ok(),
                inclusion_root(index, other, &leaf, &path) == Some(root)
            );
        }
        Change::Root(bit) => {
            let mut bad = root;
            bad[usize::from(bit / 8) % 32] ^= 1 << (bit % 8);
            assert_eq!(
                proof::verify_inclusion(index, size, &leaf, &path, &bad),
                Err(ProofError::Mismatch)
            );
        }
        _ => {}
    }

    // Consistency from size1 to size.
    let size1 = input.size1 % size + 1;
    let root1 = tree.root_at(size1).expect("in range");
    let path = tree.consistency_proof(size1, size).expect("in range");
    assert_eq!(
        Some(&path),
        proof::consistency_proof(slice, size1 as usize).as_ref()
    );
    assert_eq!(
        proof::verify_consistency(size1, size, &root1, &root, &path),
        Ok(())
    );
    if size1 < size {
        assert_eq!(
            consistency_roots(size1, size, &root1, &path),
            Some((root1, root))
        );
        // Swapped roots (they differ: the trees have different sizes and distinct leaves).
        assert!(proof::verify_consistency(size1, size, &root, &root1, &path).is_err());
    } else {
        assert!(path.is_empty());
    }
    assert!(tree.consistency_proof(0, size).is_err());
    assert!(tree.consistency_proof(size, size1 - 1).is_err());
    let mut changed = path.clone();
    if change_proof(&mut changed, &input.change) {
        assert!(proof::verify_consistency(size1, size, &root1, &root, &changed).is_err());
    }
    match input.change {
        Change::Size(other) if other != size && other != size1 => {
            // As for inclusion, the sizes are bound only through the roots.
            for (s1, s2) in [(size1, other), (other, size)] {
                let expected = match consistency_roots(s1, s2, &root1, &path) {
                    _ if s1 == 0 || s1 > s2 => false,
                    _ if s1 == s2 => path.is_empty() && root1 == root,
                    Some(roots) => roots == (root1, root),
                    None => false,
                };
                assert_eq!(
                    proof::verify_consistency(s1, s2, &root1, &root, &path).is_ok(),
                    expected,
                    "sizes {s1} and {s2}"
                );
            }
        }
        Change::Root(bit) => {
            let mut bad = root1;
            bad[usize::from(bit / 8) % 32] ^= 1 << (bit % 8);
            assert!(proof::verify_consistency(size1, size, &bad, &root, &path).is_err());
            let mut bad = root;
            bad[usize::from(bit / 8) % 32] ^= 1 << (bit % 8);
            assert!(proof::verify_consistency(size1, size, &root1, &bad, &path).is_err());
        }
        _ => {}
    }
}

fn free(input: &Input) {
    let proof_hashes = &input.free_proof[..input.free_proof.len().min(80)];
    let (index, size) = (input.free_index, input.free_size2);
    let leaf = &input.free_leaf;
    // The fuzzed root, and the root the fuzzed proof leads to.
    let result = proof::verify_inclusion(index, size, leaf, proof_hashes, &input.free_root);
    let expected = inclusion_root(index, size, leaf, proof_hashes);
    match expected {
        None => assert!(result.is_err()),
        Some(r) => {
            assert_eq!(result.is_ok(), r == input.free_root);
            assert_eq!(
                proof::verify_inclusion(index, size, leaf, proof_hashes, &r),
                Ok(())
            );
        }
    }
    if index >= size {
        assert!(matches!(result, Err(ProofError::OutOfRange(_))));
    }

    let (size1, size2) = (input.free_size1, input.free_size2);
    let (root1, root2) = (&input.free_root, &input.free_root2);
    let result = proof::verify_consistency(size1, size2, root1, root2, proof_hashes);
    if size1 == 0 || size1 > size2 {
        assert!(matches!(result, Err(ProofError::OutOfRange(_))));
    } else if size1 == size2 {
        assert_eq!(result.is_ok(), proof_hashes.is_empty() && root1 == root2);
    } else {
        match consistency_roots(size1, size2, root1, proof_hashes) {
            None => assert!(result.is_err()),
            Some((r1, r2)) => {
                assert_eq!(result.is_ok(), r1 == *root1 && r2 == *root2);
                // With the roots it leads to, it verifies, unless the first is fixed by the
                // proof (a power of two size1 takes root1 as given).
                if size1.is_power_of_two() {
                    if r1 == *root1 {
                        assert!(
                            proof::verify_consistency(size1, size2, root1, &r2, proof_hashes)
                                .is_ok()
                        );
                    }
                } else {
                    assert!(
                        proof::verify_consistency(size1, size2, &r1, &r2, proof_hashes).is_ok()
                    );
                }
            }
        }
    }
}

fuzz_target!(|input: Input| {
    built(&input);
    free(&input);
});
