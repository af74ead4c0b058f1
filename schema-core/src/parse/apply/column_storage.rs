//! A column's storage and compression: `COMPRESSION method` in a column
//! definition and `ALTER TABLE ... ALTER [COLUMN] c SET STORAGE | SET
//! COMPRESSION`, checked as PostgreSQL checks them against the column's type.

use sqlparser::ast::Ident;

use super::{Cx, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::{Compression, QualifiedName, SqlType, Storage};
use crate::parse::column_storage::{AlterColumnStorage, StorageSetting};

impl Cx<'_> {
    /// The storage PostgreSQL gives a column of type `ty`; `clause` is
    /// refused by name when the model cannot know it.
    fn known_storage(&self, ty: &SqlType, clause: &str, at: &Origin) -> Res<Storage> {
        self.schema.default_storage(ty).ok_or_else(|| {
            Diagnostic::error(
                codes::UNSUPPORTED_FEATURE,
                format!(
                    "`{clause}` on a column of type `{ty}` is not supported yet: the schema model does not know the storage the type gives its columns"
                ),
            )
            .at(at)
            .note("it is refused rather than dropped, so the database never silently differs from this file")
            .help(format!(
                "remove `{clause}`; if the database needs it, apply it from a separate SQL file run after migrations"
            ))
        })
    }

    /// A compression method for a column of type `ty`: PostgreSQL takes one
    /// (other than `default`) only for a type whose values can be toasted.
    fn compression_for(
        &self,
        method: Option<Compression>,
        ty: &SqlType,
        clause: &str,
        at: &Origin,
    ) -> Res<Option<Compression>> {
        if method.is_some() && self.known_storage(ty, clause, at)? == Storage::Plain {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("column data type `{ty}` does not support compression"),
            )
            .at(at)
            .note("only values of a type whose storage is not PLAIN are compressed")
            .help(format!("remove `{clause}`")));
        }
        Ok(method)
    }

    /// The `COMPRESSION method` written after the type of the column named
    /// by `column` (taken out of the text before parsing), checked against
    /// its type `ty`.
    pub(super) fn written_compression(
        &self,
        column: &Ident,
        ty: &SqlType,
    ) -> Res<Option<Compression>> {
        let here = (column.span.start.line, column.span.start.column);
        let Some(written) = self
            .file
            .column_compressions
            .iter()
            .find(|w| (u64::from(w.column_at.0), u64::from(w.column_at.1)) == here)
        else {
            return Ok(None);
        };
        let at = Origin::clamped(&self.file.source, written.at.0, written.at.1);
        let method = Compression::from_name(&written.method).map_err(|m| {
            Diagnostic::error(codes::SYNTAX, m)
                .at(&at)
                .help("write `COMPRESSION pglz`, `COMPRESSION lz4` or `COMPRESSION default`")
        })?;
        self.compression_for(method, ty, "COMPRESSION", &at)
    }

    /// `ALTER TABLE [ONLY] t ALTER [COLUMN] c SET STORAGE s | SET COMPRESSION m`.
    /// `SET STORAGE` reaches the partitions too unless `ONLY` is written;
    /// `SET COMPRESSION` never does (PostgreSQL 15).
    pub(super) fn alter_column_storage(&mut self, a: &AlterColumnStorage) -> Res<()> {
        let name = match a.table.as_slice() {
            [n] => QualifiedName::public(n.clone()),
            [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
            _ => return Err(self.err(codes::SYNTAX, "bad table name")),
        };
        if a.if_exists && !self.schema.tables.contains_key(&name) {
            return Ok(());
        }
        for action in &a.actions {
            let at = Origin::clamped(&self.file.source, action.column_at.0, action.column_at.1);
            let column = &action.column;
            let table = self.table_mut(&name, &at)?;
            let Some(ty) = table.column(column).map(|c| c.data_type.clone()) else {
                return Err(Diagnostic::error(
                    codes::UNKNOWN_OBJECT,
                    format!("column `{column}` of table `{name}` does not exist at this point"),
                )
                .at(&at)
                .help("add the column first"));
            };
            match action.setting {
                StorageSetting::Storage(storage) => {
                    let default = self.known_storage(&ty, "SET STORAGE", &at)?;
                    if default == Storage::Plain && storage != Storage::Plain {
                        return Err(Diagnostic::error(
                            codes::NOT_ALLOWED_HERE,
                            format!("column data type `{ty}` can only have storage PLAIN"),
                        )
                        .at(&at)
                        .help(
                            "remove `SET STORAGE`: values of this type are always stored inline",
                        ));
                    }
                    let value = (storage != default).then_some(storage);
                    let mut tables = vec![name.clone()];
                    if !a.only {
                        tables.extend(self.partitions_of(&name));
                    }
                    for t in tables {
                        self.schema.tables.update_where(
                            |x| x.name == t,
                            |x| {
                                if let Some(c) = x.column_mut(column) {
                                    c.storage = value;
                                }
                            },
                        );
                    }
                }
                StorageSetting::Compression(method) => {
                    let value = self.compression_for(method, &ty, "SET COMPRESSION", &at)?;
                    if let Some(c) = self.table_mut(&name, &at)?.column_mut(column) {
                        c.compression = value;
                    }
                }
            }
        }
        Ok(())
    }
}
