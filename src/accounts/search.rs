//! Finding accounts for administrators: an email, phone or IIN through its blind index, or
//! words of a name.

use diesel::prelude::*;

use super::model::UserRow;
use crate::crypto::{IndexKind, KeyRing};
use crate::db::schema::users;
use crate::domain::{Email, Iin, Phone};

/// Accounts matching a search: an email, phone or IIN finds its one account through the blind
/// index; anything else is matched against names.
pub fn search(
    conn: &mut PgConnection, keys: &KeyRing, query: &str, limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let query = query.trim();
    let index = if let Ok(email) = Email::parse(query) {
        Some(keys.blind_index(IndexKind::Email, email.as_str()))
    } else if let Ok(iin) = Iin::parse(query) {
        Some(keys.blind_index(IndexKind::Iin, iin.as_str()))
    } else {
        let digits = query.chars().filter(char::is_ascii_digit).count();
        Phone::parse(query)
            .ok()
            .filter(|_| digits >= 10)
            .map(|phone| keys.blind_index(IndexKind::Phone, phone.as_str()))
    };
    let rows = users::table
        .select(UserRow::as_select())
        .order((users::last_name, users::first_name))
        .limit(limit);
    match index {
        Some(index) => rows
            .filter(
                users::email_index
                    .eq(&index)
                    .or(users::iin_index.eq(&index))
                    .or(users::phone_index.eq(&index)),
            )
            .load(conn),
        None => {
            let words: Vec<String> = query
                .split_whitespace()
                .map(|w| format!("%{}%", escape_like(&w.to_lowercase())))
                .collect();
            if words.is_empty() {
                return rows.load(conn);
            }
            let mut filtered = rows.into_boxed();
            for word in words {
                filtered = filtered.filter(users::search_name.like(word));
            }
            filtered.load(conn)
        }
    }
}

/// A word matched literally inside a LIKE pattern: `%`, `_` and the escape character `\`
/// (PostgreSQL's default) lose their meaning, so `%` finds a name with a `%` in it, not all.
fn escape_like(word: &str) -> String {
    let mut escaped = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_wildcards_are_taken_literally() {
        assert_eq!(super::escape_like("a%b_c\\d"), "a\\%b\\_c\\\\d");
        assert_eq!(super::escape_like("сейітқали"), "сейітқали");
    }
}
