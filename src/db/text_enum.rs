//! `text_enum!`: a Rust enum for a TEXT column whose values a CHECK constraint limits, so that
//! queries compare `status.eq(EnrolmentStatus::Accepted)` instead of string literals.

/// Declares a `Copy` enum with `as_str()`, `parse()` and `ALL`, stored as `Text` in PostgreSQL
/// (usable in `.eq`, `.eq_any`, `.set`, inserts and row structs). Each variant names its code:
/// `text_enum! { pub enum Status { Open = "open", Done = "done" } }`.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        #[allow(dead_code)]
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $name {
            fn from_sql(bytes: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let code = std::str::from_utf8(bytes.as_bytes())?;
                $name::parse(code).ok_or_else(|| {
                    format!(concat!("unknown ", stringify!($name), " {:?}"), code).into()
                })
            }
        }
    };
}

pub(crate) use text_enum;
