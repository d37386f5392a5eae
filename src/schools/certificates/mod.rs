//! Completing training: staff mark it, the portal issues a certificate with a unique number and
//! a printable page in both languages, and keeps the record for the state system.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Datelike, Utc};
use diesel::prelude::*;
use serde::Deserialize;
use uuid::Uuid;

use super::groups::model::{self, EnrolmentStatus, Group};
use super::lessons::model::practice_minutes;
use super::registry::model::{self as registry, School};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::db::schema::{completions, enrolments, training_groups, users};
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Lang, dates};
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{RequireRole, SchoolOffice};
use askama::Template;
use askama_web::WebTemplate;

/// Marks an accepted student's training completed; returns the certificate's id.
fn complete(
    conn: &mut PgConnection, school_id: Uuid, enrolment_id: Uuid, staff: Uuid, theory_hours: i32,
    now: DateTime<Utc>,
) -> QueryResult<Option<Uuid>> {
    conn.transaction(|conn| {
        let found: Option<Uuid> = enrolments::table
            .inner_join(training_groups::table)
            .filter(enrolments::id.eq(enrolment_id))
            .filter(training_groups::school_id.eq(school_id))
            .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
            .select(enrolments::student_id)
            .for_update()
            .first(conn)
            .optional()?;
        let Some(student) = found else {
            return Ok(None);
        };
        let minutes = practice_minutes(conn, student)? as i32;
        let serial: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "nextval('certificate_numbers')",
        ))
        .get_result(conn)?;
        let number = format!("AVT-{}-{serial:06}", dates::local_date(now).year());
        let id: Uuid = diesel::insert_into(completions::table)
            .values((
                completions::enrolment_id.eq(enrolment_id),
                completions::number.eq(&number),
                completions::theory_hours.eq(theory_hours),
                completions::practice_minutes.eq(minutes),
                completions::recorded_by.eq(staff),
            ))
            .returning(completions::id)
            .get_result(conn)?;
        diesel::update(enrolments::table.find(enrolment_id))
            .set(enrolments::status.eq(EnrolmentStatus::Completed))
            .execute(conn)?;
        NewAuditEvent::by(staff, "enrolment.completed").on("certificate", id).record(conn)?;
        Ok(Some(id))
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CompleteForm {
    theory_hours: String,
    group: String,
}

pub async fn mark_completed(
    ctx: PageCtx, user: RequireRole<SchoolOffice>, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<CompleteForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let staff = user.id;
    let m = db::run(&state.pool, move |conn| Ok(registry::membership(conn, staff)?)).await?;
    let school_id = m.filter(|m| m.manager).ok_or(AppError::Forbidden)?.school_id;
    let enrolment = id.into_inner();
    let CompleteForm { theory_hours, group } = form.into_inner();
    let back = format!("/school/groups/{}", group.parse::<Uuid>().map_err(|_| AppError::NotFound)?);
    let Some(theory_hours) =
        theory_hours.trim().parse::<i32>().ok().filter(|h| (0..=500).contains(h))
    else {
        return Ok(ctx.flash_to("completion-error-hours", back));
    };
    let done = db::run(&state.pool, move |conn| {
        Ok(complete(conn, school_id, enrolment, staff, theory_hours, now)?)
    })
    .await?;
    let message = if done.is_some() { "completion-done" } else { "enrolment-not-pending" };
    Ok(ctx.flash_to(message, back))
}

#[derive(Queryable)]
struct Certificate {
    number: String,
    completed_at: DateTime<Utc>,
    theory_hours: i32,
    practice_minutes: i32,
    student_id: Uuid,
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
}

/// The printable certificate: its student, the school's staff and administrators may see it.
pub async fn certificate(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<CertificatePage, AppError> {
    let id = id.into_inner();
    let viewer = user.clone();
    let (cert, group, school) = db::run(&state.pool, move |conn| {
        let (cert, group_id): (Certificate, Uuid) = completions::table
            .inner_join(enrolments::table.inner_join(users::table))
            .filter(completions::id.eq(id))
            .select((
                (
                    completions::number,
                    completions::completed_at,
                    completions::theory_hours,
                    completions::practice_minutes,
                    enrolments::student_id,
                    users::last_name,
                    users::first_name,
                    users::middle_name,
                ),
                enrolments::group_id,
            ))
            .first(conn)?;
        let group: Group = model::group(conn, group_id)?;
        let school: School = registry::school(conn, group.school_id)?;
        let allowed = viewer.id == cert.student_id
            || viewer.role == Role::Admin
            || registry::membership(conn, viewer.id)?.is_some_and(|m| m.school_id == school.id);
        if !allowed {
            return Err(AppError::NotFound);
        }
        Ok((cert, group, school))
    })
    .await?;
    let name = [Some(cert.last_name), Some(cert.first_name), cert.middle_name]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let text = |lang: Lang| {
        let args = [
            ("name", name.clone().into()),
            ("category", group.category.clone().into()),
            ("school", school.name(lang).to_string().into()),
            ("from", dates::day(group.starts_on).into()),
            ("to", dates::day(group.ends_on).into()),
            ("theory", cert.theory_hours.into()),
            ("practice", dates::hours(cert.practice_minutes.into()).into()),
        ];
        lang.t_args("certificate-text", &args)
    };
    Ok(CertificatePage {
        number: cert.number.clone(),
        issued: dates::date(cert.completed_at),
        text_kk: text(Lang::Kk),
        text_ru: text(Lang::Ru),
        ctx,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/certificate.html")]
pub struct CertificatePage {
    pub ctx: PageCtx,
    pub number: String,
    pub issued: String,
    pub text_kk: String,
    pub text_ru: String,
}
