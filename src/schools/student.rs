use actix_session::Session;
use actix_web::{HttpResponse, web};
use uuid::Uuid;

use super::model::{self, Apply};
use super::pages::{TrainingLine, TrainingPage};
use crate::audit::NewAuditEvent;
use crate::domain::Role;
use crate::error::AppError;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::{AppState, db};

/// A student applies to a recruiting group (verified email, guardian's consent if a minor).
pub async fn apply(
    ctx: PageCtx,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Student])?;
    if !user.may_enrol() {
        return Err(AppError::Forbidden);
    }
    let group_id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let student = user.id;
    let (outcome, school_id) = db::run(&state.pool, move |conn| {
        let group = model::group(conn, group_id)?;
        let outcome = model::apply(conn, group_id, student)?;
        if let Apply::Applied(enrolment) = outcome {
            NewAuditEvent::new("enrolment.applied")
                .actor(student)
                .subject("enrolment", enrolment)
                .record(conn)?;
        }
        Ok((outcome, group.school_id))
    })
    .await?;
    let message = match outcome {
        Apply::Applied(_) => "school-applied",
        Apply::NotRecruiting => "school-apply-closed",
        Apply::AlreadyInCategory => "school-apply-already",
    };
    crate::web::flash(&session, ctx.t(message));
    Ok(crate::web::see_other(format!("/schools/{school_id}")))
}

/// The student's schools and groups, with the dates training starts and ends (policy §3).
pub async fn training(
    ctx: PageCtx,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<TrainingPage, AppError> {
    let id = user.id;
    let (rows, minutes) = db::run(&state.pool, move |conn| {
        Ok((
            model::enrolments_of(conn, id)?,
            super::lessons::model::practice_minutes(conn, id)?,
        ))
    })
    .await?;
    let hours = &state.config.category_hours;
    let lines = rows
        .into_iter()
        .map(
            |(status, reason, certificate, group, school)| TrainingLine {
                progress: (status == "accepted").then(|| {
                    let required = hours
                        .get(&group.category)
                        .map_or(0, |(_, practice)| *practice);
                    format!("{}:{:02} / {required}", minutes / 60, minutes % 60)
                }),
                certificate: certificate.map(|c| c.to_string()),
                school: school.name(ctx.lang).to_string(),
                school_id: school.id.to_string(),
                category: group.category.clone(),
                dates: format!(
                    "{} – {}",
                    group.starts_on.format("%d.%m.%Y"),
                    group.ends_on.format("%d.%m.%Y")
                ),
                status: ctx.t(&format!("enrolment-{status}")),
                status_code: status,
                reason,
            },
        )
        .collect();
    Ok(TrainingPage { ctx, lines })
}
