//! What a query that writes changed: counts of entities, relations, properties and
//! kinds made and taken away, as openCypher counts its side effects.

/// What a query changed, counted as openCypher's side effects are.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub entities_created: usize,
    pub entities_deleted: usize,
    pub relations_created: usize,
    pub relations_deleted: usize,
    pub properties_set: usize,
    pub properties_removed: usize,
    pub labels_added: usize,
    pub labels_removed: usize,
    /// What the query declared on first use: `kind agency`, `type phoned (directed)`.
    pub declared: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// The changes in words: `created 2 entities and 1 relation, set 3 properties`.
    pub fn summary(&self) -> String {
        let counted = |n: usize, one: &str, many: &str| match n {
            0 => None,
            1 => Some(format!("1 {one}")),
            n => Some(format!("{n} {many}")),
        };
        let mut parts = Vec::new();
        let mut say = |verb: &str, things: Vec<Option<String>>| {
            let things: Vec<String> = things.into_iter().flatten().collect();
            if !things.is_empty() {
                parts.push(format!("{verb} {}", things.join(" and ")));
            }
        };
        say(
            "created",
            vec![
                counted(self.entities_created, "entity", "entities"),
                counted(self.relations_created, "relation", "relations"),
            ],
        );
        say(
            "deleted",
            vec![
                counted(self.entities_deleted, "entity", "entities"),
                counted(self.relations_deleted, "relation", "relations"),
            ],
        );
        say(
            "set",
            vec![
                counted(self.properties_set, "property", "properties"),
                counted(self.labels_added, "kind", "kinds"),
            ],
        );
        say(
            "removed",
            vec![
                counted(self.properties_removed, "property", "properties"),
                counted(self.labels_removed, "kind", "kinds"),
            ],
        );
        if let Some((last, first)) = self.declared.split_last() {
            let listed = match first {
                [] => last.clone(),
                first => format!("{} and {last}", first.join(", ")),
            };
            parts.push(format!("declared {listed}"));
        }
        if parts.is_empty() {
            "changed nothing".to_string()
        } else {
            parts.join(", ")
        }
    }
}
