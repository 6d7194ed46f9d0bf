//! Hash maps and sets keyed by what templates write (names, addresses, paths): `foldhash`'s
//! hasher, several times faster than the standard library's SipHash on short keys, and seeded
//! per process like it, so that a template cannot choose keys that all collide.

pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;
