//! Helpers of the unit tests only.

/// A text of `count` pieces drawn from `pieces` by a xorshift generator whose state is `seed`:
/// the same seed gives the same texts on every run, and each call moves the seed on.
pub fn random_text(pieces: &[&str], count: usize, seed: &mut u64) -> String {
    let mut text = String::new();
    for _ in 0..count {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        text.push_str(pieces[(*seed % pieces.len() as u64) as usize]);
    }
    text
}
