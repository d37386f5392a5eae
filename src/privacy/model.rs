use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::policy_versions;
use crate::i18n::Lang;

/// A version without its texts (they are read once per version, see `document::cached`).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = policy_versions)]
pub struct PolicyVersion {
    pub id: Uuid,
    pub number: i32,
    pub published_at: DateTime<Utc>,
}

/// The text of version `id` in `lang`.
pub fn body(conn: &mut PgConnection, id: Uuid, lang: Lang) -> QueryResult<String> {
    let query = policy_versions::table.find(id);
    match lang {
        Lang::Kk => query.select(policy_versions::body_kk).first(conn),
        Lang::Ru => query.select(policy_versions::body_ru).first(conn),
    }
}

/// A version in the list, without its text.
#[derive(Debug, Queryable)]
pub struct VersionSummary {
    pub number: i32,
    pub published_at: DateTime<Utc>,
}

/// The version in force: the newest one already published.
pub fn current(conn: &mut PgConnection) -> QueryResult<PolicyVersion> {
    policy_versions::table
        .filter(policy_versions::published_at.le(diesel::dsl::now))
        .order(policy_versions::number.desc())
        .select(PolicyVersion::as_select())
        .first(conn)
}

pub fn by_number(conn: &mut PgConnection, number: i32) -> QueryResult<PolicyVersion> {
    policy_versions::table
        .filter(policy_versions::number.eq(number))
        .filter(policy_versions::published_at.le(diesel::dsl::now))
        .select(PolicyVersion::as_select())
        .first(conn)
}

/// Published versions, newest first.
pub fn published(conn: &mut PgConnection) -> QueryResult<Vec<VersionSummary>> {
    policy_versions::table
        .filter(policy_versions::published_at.le(diesel::dsl::now))
        .order(policy_versions::number.desc())
        .select((policy_versions::number, policy_versions::published_at))
        .load(conn)
}
