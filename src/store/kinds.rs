//! The kinds of the graph's own (beyond the seven built in): declared, restyled and
//! forgotten, each change noting its undo.

use super::{Change, Store, StoreError};
use crate::model::{Kind, KindDecl};

impl Store {
    /// The kinds of the graph's own (beyond the seven built in), in declaration order.
    pub fn kinds(&self) -> &[KindDecl] {
        &self.kinds
    }

    /// How many entities have each kind, a kind perhaps more than once; kinds no entity
    /// has may be left out. A store read in place counts its file's kinds column.
    pub fn entity_counts(&self) -> Vec<(Kind, usize)> {
        let mut counts: Vec<(Kind, usize)> = Vec::new();
        let mut add = |kind: &Kind, n: usize| match counts.iter_mut().find(|(k, _)| k == kind) {
            Some((_, count)) => *count += n,
            None => counts.push((kind.clone(), n)),
        };
        match &self.frozen {
            Some(frozen) => {
                frozen.kind_counts().for_each(|(kind, n)| add(kind, n));
                self.appended.entities().for_each(|e| add(&e.kind, 1));
                // The file's entities changed since count as they are now.
                let mut moved: Vec<(Kind, isize)> = Vec::new();
                for (id, entity) in self.appended.updated_entities() {
                    if let Some(was) = frozen.kind(id).filter(|&k| *k != entity.kind) {
                        moved.push((was.clone(), -1));
                        moved.push((entity.kind.clone(), 1));
                    }
                }
                // And those removed count no more (a removed one's change is dropped).
                for id in self.appended.removed_entities() {
                    if let Some(was) = frozen.kind(id) {
                        moved.push((was.clone(), -1));
                    }
                }
                for (kind, n) in moved {
                    match counts.iter_mut().find(|(k, _)| *k == kind) {
                        Some((_, count)) => *count = count.saturating_add_signed(n),
                        None => counts.push((kind, n.max(0) as usize)),
                    }
                }
            }
            None => self.graph.node_weights().for_each(|e| add(&e.kind, 1)),
        }
        counts
    }

    /// The declaration of the graph's own kind `name`.
    pub fn kind_decl(&self, name: &str) -> Option<&KindDecl> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// Whether an entity may have `kind`: a built-in one or one declared.
    pub fn knows_kind(&self, kind: &Kind) -> bool {
        match kind {
            Kind::Custom(name) => self.kind_decl(name).is_some(),
            _ => true,
        }
    }

    /// Declares a kind of the graph's own, or gives a declared one another style.
    pub fn declare_kind(&mut self, decl: KindDecl) -> Result<(), StoreError> {
        match decl.name.parse::<Kind>() {
            Ok(Kind::Custom(name)) if *name == *decl.name => {}
            Ok(_) => {
                return Err(StoreError::Invalid(format!(
                    "'{}' is a built-in kind: its style is fixed",
                    decl.name
                )));
            }
            Err(e) => return Err(StoreError::Invalid(e)),
        }
        decl.check_style().map_err(StoreError::Invalid)?;
        let at = self.kinds.iter().position(|k| k.name == decl.name);
        self.note_inverse(|s| match at {
            Some(i) => vec![Change::DeclareKind {
                decl: s.kinds[i].clone(),
            }],
            None => vec![Change::ForgetKind {
                name: decl.name.clone(),
            }],
        });
        self.record(|_| Change::DeclareKind { decl: decl.clone() });
        match at {
            Some(i) => self.kinds[i] = decl,
            None => self.kinds.push(decl),
        }
        Ok(())
    }

    /// Declares `kind` if it is a kind of the graph's own not declared yet; returns
    /// whether it did.
    pub fn ensure_kind(&mut self, kind: &Kind) -> Result<bool, StoreError> {
        if self.knows_kind(kind) {
            return Ok(false);
        }
        self.declare_kind(KindDecl {
            name: kind.as_str().to_string(),
            shape: None,
            colour: None,
        })?;
        Ok(true)
    }

    /// Forgets a declared kind that no entity has (the undo of declaring it).
    pub fn forget_kind(&mut self, name: &str) -> Result<(), StoreError> {
        self.thaw()?;
        let Some(i) = self.kinds.iter().position(|k| k.name == name) else {
            return Err(StoreError::Invalid(format!("no kind '{name}' is declared")));
        };
        if self.graph.node_weights().any(|e| e.kind.as_str() == name) {
            return Err(StoreError::Invalid(format!(
                "entities are of kind '{name}'"
            )));
        }
        self.note_inverse(|s| {
            vec![Change::DeclareKind {
                decl: s.kinds[i].clone(),
            }]
        });
        self.record(|_| Change::ForgetKind {
            name: name.to_string(),
        });
        self.kinds.remove(i);
        Ok(())
    }
}
