//! Suggestions for misspelt names.

/// The candidate nearest to `name` by edit distance, if it is near enough to be a typo
/// (at most a third of the name's characters differ).
pub(crate) fn closest<'c>(name: &str, candidates: &'c [String]) -> Option<&'c str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let c = vec!["hub_address_space".to_string(), "location".to_string()];
        assert_eq!(closest("hub_adress_space", &c), Some("hub_address_space"));
        assert_eq!(closest("subscription", &c), None);
        let vnets = vec!["hub".to_string(), "spoke_a".to_string()];
        assert_eq!(closest("spoke", &vnets), None);
        assert_eq!(closest("spoke_b", &vnets), Some("spoke_a"));
    }
}
