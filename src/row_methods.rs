//! The text of the row methods every generated model has (`insert`, `all`,
//! `find`, ...) and of its `Record` methods over its fields, written once here
//! as `macro_rules!` macros that generated code invokes, instead of being
//! repeated in every expansion of `schema!()` (and, for the row methods,
//! `#[derive(Schema)]`): a 500-table project's expansion is a third of the
//! size, so the macro writes, caches and hands the compiler that much less.
//! Not a public API: generated code names them through `__private`.

/// The inherent row methods of a model, in its `impl` block: `insert`, `all`
/// and their `_async` forms, and with a primary key `key`, `find`, `update`,
/// `delete`, `delete_by_key` and theirs.
///
/// - `row_methods!()`: a model without a primary key;
/// - `row_methods!(field: Type)`: a one-column key, taken as its field's type;
/// - `row_methods!(a: A => 0, b: B => 1)`: a composite key, taken as the tuple
///   `(A, B)` (each field with its index in the tuple).
#[doc(hidden)]
#[macro_export]
macro_rules! __row_methods {
    () => {
        $crate::__row_methods!(@rows self);
    };
    ($field:ident : $ty:ty) => {
        $crate::__row_methods!(@rows self);
        $crate::__row_methods!(
            @keyed self key ($ty)
            (::core::clone::Clone::clone(&self.$field))
            ($crate::__private::Field::to_value(&key))
        );
    };
    ($($field:ident : $ty:ty => $index:tt),+ $(,)?) => {
        $crate::__row_methods!(@rows self);
        $crate::__row_methods!(
            @keyed self key (($($ty,)+))
            (($(::core::clone::Clone::clone(&self.$field),)+))
            ($($crate::__private::Field::to_value(&key.$index)),+)
        );
    };
    // `self` and `key` come from the rules above, so that the expressions
    // given here and the parameters declared here are one name each.
    (@rows $self:tt) => {
        /// Inserts this row as it is: every column but the generated ones
        /// (which the database computes), identities and `serial` keys
        /// included. On PostgreSQL a value written into a column a sequence
        /// fills moves that sequence past it, so rows numbered later do not
        /// collide with it.
        ///
        /// # Errors
        /// The database's error (a duplicate key, a violated constraint, ...).
        pub fn insert(
            &$self,
            db: impl $crate::__private::Executor,
        ) -> ::core::result::Result<(), $crate::__private::RowError> {
            $crate::__private::rows::insert_row(db, $self)
        }

        /// Every row, ordered by primary key.
        ///
        /// # Errors
        /// The database's error, or `RowError::Field` for a value that does
        /// not convert.
        pub fn all(
            db: impl $crate::__private::Executor,
        ) -> ::core::result::Result<::std::vec::Vec<Self>, $crate::__private::RowError> {
            $crate::__private::rows::all_rows(db)
        }

        /// [`Self::insert`] on an async connection (`&tokio_postgres::Client`,
        /// `&sqlx::PgPool`, `&sqlx::SqlitePool`, or a connection or transaction
        /// of any of them).
        ///
        /// # Errors
        /// As [`Self::insert`].
        pub fn insert_async<'a>(
            &'a $self,
            db: impl $crate::__private::AsyncExecutor + 'a,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<(), $crate::__private::RowError>,
        > + 'a {
            $crate::__private::rows::insert_row_async(db, $self)
        }

        /// [`Self::all`] on an async connection.
        ///
        /// # Errors
        /// As [`Self::all`].
        pub fn all_async(
            db: impl $crate::__private::AsyncExecutor,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<::std::vec::Vec<Self>, $crate::__private::RowError>,
        > {
            $crate::__private::rows::all_rows_async(db)
        }
    };
    (@keyed $self:tt $key:tt ($key_ty:ty) ($own:expr) ($($value:expr),+)) => {
        /// This row's primary key.
        pub fn key(&$self) -> $key_ty {
            $own
        }

        /// The row whose primary key is `key`, if any.
        ///
        /// # Errors
        /// The database's error, or `RowError::Field` for a value that does
        /// not convert.
        pub fn find(
            db: impl $crate::__private::Executor,
            $key: $key_ty,
        ) -> ::core::result::Result<::core::option::Option<Self>, $crate::__private::RowError> {
            $crate::__private::rows::find_row(db, &[$($value),+])
        }

        /// Writes every column outside the primary key (but the generated
        /// ones) to the row with this row's key; false when there is none.
        ///
        /// # Errors
        /// The database's error.
        pub fn update(
            &$self,
            db: impl $crate::__private::Executor,
        ) -> ::core::result::Result<bool, $crate::__private::RowError> {
            $crate::__private::rows::update_row(db, $self)
        }

        /// Deletes the row with this row's primary key; false when there is
        /// none.
        ///
        /// # Errors
        /// The database's error.
        pub fn delete(
            &$self,
            db: impl $crate::__private::Executor,
        ) -> ::core::result::Result<bool, $crate::__private::RowError> {
            $crate::__private::rows::delete_row::<Self>(
                db,
                &$crate::__private::Record::key_values($self),
            )
        }

        /// Deletes the row whose primary key is `key`; false when there is
        /// none.
        ///
        /// # Errors
        /// The database's error.
        pub fn delete_by_key(
            db: impl $crate::__private::Executor,
            $key: $key_ty,
        ) -> ::core::result::Result<bool, $crate::__private::RowError> {
            $crate::__private::rows::delete_row::<Self>(db, &[$($value),+])
        }

        /// [`Self::find`] on an async connection.
        ///
        /// # Errors
        /// As [`Self::find`].
        pub fn find_async(
            db: impl $crate::__private::AsyncExecutor,
            $key: $key_ty,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<
                ::core::option::Option<Self>,
                $crate::__private::RowError,
            >,
        > {
            $crate::__private::rows::find_row_async(db, [$($value),+])
        }

        /// [`Self::update`] on an async connection.
        ///
        /// # Errors
        /// As [`Self::update`].
        pub fn update_async<'a>(
            &'a $self,
            db: impl $crate::__private::AsyncExecutor + 'a,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<bool, $crate::__private::RowError>,
        > + 'a {
            $crate::__private::rows::update_row_async(db, $self)
        }

        /// [`Self::delete`] on an async connection.
        ///
        /// # Errors
        /// As [`Self::delete`].
        pub fn delete_async<'a>(
            &'a $self,
            db: impl $crate::__private::AsyncExecutor + 'a,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<bool, $crate::__private::RowError>,
        > + 'a {
            $crate::__private::rows::delete_row_async::<Self>(
                db,
                $crate::__private::Record::key_values($self),
            )
        }

        /// [`Self::delete_by_key`] on an async connection.
        ///
        /// # Errors
        /// As [`Self::delete_by_key`].
        pub fn delete_by_key_async(
            db: impl $crate::__private::AsyncExecutor,
            $key: $key_ty,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<bool, $crate::__private::RowError>,
        > {
            $crate::__private::rows::delete_row_async::<Self>(db, [$($value),+])
        }
    };
}

/// The `insert` and `insert_async` of a model's insert struct (`NewUser`),
/// which return the row the database made (a `$model`): the columns given
/// are those of its `NewRecord` implementation.
#[doc(hidden)]
#[macro_export]
macro_rules! __insert_methods {
    ($model:ty) => {
        $crate::__insert_methods!(@in self $model);
    };
    (@in $self:tt $model:ty) => {
        /// Inserts the row, writing only the columns given (`INSERT ...
        /// DEFAULT VALUES` when none is), and returns it as the database
        /// made it: generated keys, defaults and generated columns
        /// filled in.
        ///
        /// # Errors
        /// The database's error (a duplicate key, a violated
        /// constraint, ...), or `RowError::Unsupported` on a SQLite
        /// older than 3.35, which cannot read the row back.
        pub fn insert(
            &$self,
            db: impl $crate::__private::Executor,
        ) -> ::core::result::Result<$model, $crate::__private::RowError> {
            $crate::__private::rows::insert_new::<$model>(
                db,
                $crate::__private::NewRecord::given($self),
            )
        }

        /// [`Self::insert`] on an async connection (`&tokio_postgres::Client`,
        /// `&sqlx::PgPool`, `&sqlx::SqlitePool`, or a connection or transaction
        /// of any of them).
        ///
        /// # Errors
        /// As [`Self::insert`].
        pub fn insert_async(
            &$self,
            db: impl $crate::__private::AsyncExecutor,
        ) -> impl ::core::future::Future<
            Output = ::core::result::Result<$model, $crate::__private::RowError>,
        > {
            $crate::__private::rows::insert_new_async::<$model>(
                db,
                $crate::__private::NewRecord::given($self),
            )
        }
    };
}

/// The methods of a model's `impl Record` that walk its fields, in that
/// `impl` block: `to_values` and `from_values` over every field (each with
/// its column's name), and `key_values` over the primary key's fields.
///
/// `record_methods!({ id: "id", r#type: "type" } { id })`.
#[doc(hidden)]
#[macro_export]
macro_rules! __record_methods {
    ({ $($field:ident : $column:literal),* $(,)? } { $($key:ident),* $(,)? }) => {
        fn to_values(&self) -> ::std::vec::Vec<$crate::__private::Value> {
            ::std::vec::Vec::from([$($crate::__private::Field::to_value(&self.$field)),*])
        }

        fn from_values(
            values: ::std::vec::Vec<$crate::__private::Value>,
        ) -> ::core::result::Result<Self, $crate::__private::RowError> {
            let mut row = $crate::__private::RowValues::new::<Self>(values)?;
            ::core::result::Result::Ok(Self {
                $($field: row.take($column)?,)*
            })
        }

        fn key_values(&self) -> ::std::vec::Vec<$crate::__private::Value> {
            ::std::vec::Vec::from([$($crate::__private::Field::to_value(&self.$key)),*])
        }
    };
}
