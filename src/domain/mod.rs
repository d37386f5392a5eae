//! Parse, don't validate: values from forms become these types or a localisable error.

pub mod document;
pub mod email;
pub mod iin;
pub mod name;
pub mod password;
pub mod personal_data;
pub mod phone;
pub mod role;
pub mod text;

pub use document::{DocType, DocumentNumber};
pub use email::Email;
pub use iin::{Bin, Iin, Sex};
pub use name::PersonName;
pub use password::Password;
pub use phone::Phone;
pub use role::{AccountStatus, Role};

/// Why a value was refused: a Fluent message id (see `locales/*/fields.ftl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError(pub &'static str);

impl FieldError {
    pub fn message_id(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for FieldError {}

/// The characters of `text` with spaces, dashes and similar separators people type removed.
pub(crate) fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '-' | '(' | ')' | '.' | '\u{00A0}')))
        .collect()
}

/// What a deleted review's or message's text becomes: the column may not be empty, and pages
/// show the localised "removed by a moderator: <reason>" (`i18n::removed_text`) instead.
pub const REMOVED_TEXT: &str = "—";
