//! Replacing a dossier's open tasks by changing only what changed.
//!
//! Every write recomputes the dossier's open tasks. Deleting them all and inserting the
//! new list touched every task's worklist index entry on every write, although most
//! tasks stay as they were; each touched index page is one more page in the
//! write-ahead log and one more random write at the next checkpoint.

use std::collections::HashMap;
use std::hash::Hash;

/// What turns the stored tasks (`(row id, task)`) into `wanted`: the row ids to delete
/// (ascending) and the tasks to insert (in `wanted`'s order). A task stored as often as
/// wanted is left alone; duplicates count as often as they occur.
pub fn task_changes<K: Eq + Hash>(stored: Vec<(i64, K)>, wanted: Vec<K>) -> (Vec<i64>, Vec<K>) {
    let mut rows: HashMap<K, Vec<i64>> = HashMap::with_capacity(stored.len());
    for (id, task) in stored {
        rows.entry(task).or_default().push(id);
    }
    let mut insert = Vec::new();
    for task in wanted {
        match rows.get_mut(&task).and_then(Vec::pop) {
            Some(_) => {}
            None => insert.push(task),
        }
    }
    let mut delete: Vec<i64> = rows.into_values().flatten().collect();
    delete.sort_unstable();
    (delete, insert)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn counts(items: &[u8]) -> HashMap<u8, usize> {
        let mut m = HashMap::new();
        for i in items {
            *m.entry(*i).or_insert(0) += 1;
        }
        m
    }

    #[test]
    fn unchanged_tasks_are_left_alone() {
        let (delete, insert) = task_changes(vec![(7, "a"), (8, "b")], vec!["b", "c"]);
        assert_eq!(delete, vec![7]);
        assert_eq!(insert, vec!["c"]);
        let (delete, insert) = task_changes(vec![(1, "a"), (2, "a")], vec!["a"]);
        assert_eq!((delete.len(), insert.len()), (1, 0));
    }

    proptest! {
        /// Applying the changes gives exactly the wanted tasks, with the fewest
        /// deletions and insertions (the multiset differences).
        #[test]
        fn applying_the_changes_gives_the_wanted_tasks(
            stored in proptest::collection::vec(0u8..6, 0..12),
            wanted in proptest::collection::vec(0u8..6, 0..12),
        ) {
            let rows: Vec<(i64, u8)> = stored.iter().enumerate().map(|(i, t)| (i as i64 * 3, *t)).collect();
            let (delete, insert) = task_changes(rows.clone(), wanted.clone());
            let mut after: Vec<u8> = rows.iter().filter(|(id, _)| !delete.contains(id)).map(|(_, t)| *t).collect();
            after.extend(insert.iter().copied());
            prop_assert_eq!(counts(&after), counts(&wanted));
            let (have, want) = (counts(&stored), counts(&wanted));
            let surplus: usize = have.iter().map(|(k, n)| n.saturating_sub(*want.get(k).unwrap_or(&0))).sum();
            let missing: usize = want.iter().map(|(k, n)| n.saturating_sub(*have.get(k).unwrap_or(&0))).sum();
            prop_assert_eq!(delete.len(), surplus);
            prop_assert_eq!(insert.len(), missing);
            prop_assert!(delete.windows(2).all(|w| w[0] < w[1]));
        }
    }
}
