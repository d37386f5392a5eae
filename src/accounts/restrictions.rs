//! Restrictions on publishing (policy §4): a moderator bars a person from writing reviews and
//! filing reports, until a day or indefinitely. The restriction is a fact about the account, so
//! it lives here; moderation imposes and lifts it, and the areas that publish ask it.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use fluent_templates::fluent_bundle::FluentValue;
use uuid::Uuid;

use crate::accounts;
use crate::db::schema::{restrictions, users};
use crate::error::AppError;
use crate::i18n::dates;
use crate::web::PageCtx;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = restrictions)]
pub struct Restriction {
    pub id: Uuid,
    pub user_id: Uuid,
    /// `None`: indefinitely.
    pub until: Option<DateTime<Utc>>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// Not lifted, and indefinite or not yet ended.
#[diesel::dsl::auto_type]
fn in_force(now: DateTime<Utc>) -> _ {
    restrictions::lifted_at
        .is_null()
        .and(restrictions::until.is_null().or(restrictions::until.gt(now)))
}

/// The restriction on publishing in force for this user now, if any.
pub fn restricted(
    conn: &mut PgConnection, user_id: Uuid, now: DateTime<Utc>,
) -> QueryResult<Option<Restriction>> {
    restrictions::table
        .filter(restrictions::user_id.eq(user_id))
        .filter(in_force(now))
        .order(restrictions::created_at.desc())
        .select(Restriction::as_select())
        .first(conn)
        .optional()
}

/// Restricts the user (replacing a restriction in force); returns the new restriction's id.
pub fn restrict(
    conn: &mut PgConnection, user_id: Uuid, until: Option<DateTime<Utc>>, reason: &str, by: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    conn.transaction(|conn| {
        // Two moderators restricting at once: the second replaces the first's restriction
        // instead of both staying in force.
        accounts::model::lock(conn, user_id)?;
        lift(conn, user_id, by, now)?;
        diesel::insert_into(restrictions::table)
            .values((
                restrictions::user_id.eq(user_id),
                restrictions::until.eq(until),
                restrictions::reason.eq(reason),
                restrictions::imposed_by.eq(by),
            ))
            .returning(restrictions::id)
            .get_result(conn)
    })
}

/// Lifts the user's restrictions; returns how many were in force.
pub fn lift(
    conn: &mut PgConnection, user_id: Uuid, by: Uuid, now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(
        restrictions::table.filter(restrictions::user_id.eq(user_id)).filter(in_force(now)),
    )
    .set((restrictions::lifted_at.eq(now), restrictions::lifted_by.eq(by)))
    .execute(conn)
}

/// Restrictions in force with the user's name ("Last First"), newest first.
pub fn restrictions_in_force(
    conn: &mut PgConnection, limit: i64, now: DateTime<Utc>,
) -> QueryResult<Vec<(Restriction, String, String)>> {
    restrictions::table
        .inner_join(users::table.on(users::id.eq(restrictions::user_id)))
        .filter(in_force(now))
        .order(restrictions::created_at.desc())
        .limit(limit)
        .select((Restriction::as_select(), users::last_name, users::first_name))
        .load(conn)
}

/// Whether the account exists and what role it has.
pub fn role_of(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<String>> {
    users::table.find(user_id).select(users::role).first(conn).optional()
}

/// The last day a restriction is in force ("until 01.12.2026 inclusive"): it ends at the start
/// of the next day in Almaty.
pub fn last_day(until: chrono::DateTime<chrono::Utc>) -> String {
    dates::date(until - chrono::Duration::seconds(1))
}

/// Shown instead of a form that publishes, to a person restricted from publishing.
#[derive(Template, WebTemplate)]
#[template(path = "moderation/restricted.html")]
pub struct RestrictedPage {
    pub ctx: PageCtx,
    /// Until when, or "indefinitely".
    pub summary: String,
    pub reason: String,
}

impl RestrictedPage {
    pub fn new(ctx: PageCtx, restriction: &Restriction) -> RestrictedPage {
        let summary = match restriction.until {
            Some(until) => {
                ctx.lang.t_args("restricted-until", &[("date", FluentValue::from(last_day(until)))])
            }
            None => ctx.t("restricted-indefinitely"),
        };
        RestrictedPage { ctx, summary, reason: restriction.reason.clone() }
    }
}

/// The page a restricted person sees instead of a form that publishes (403).
pub fn restricted_page(ctx: PageCtx, restriction: &Restriction) -> Result<HttpResponse, AppError> {
    let page = RestrictedPage::new(ctx, restriction);
    crate::web::html(StatusCode::FORBIDDEN, &page)
}
