//! A group's page for its school's staff: the roster (searchable), moves, completion, the
//! theory teacher and the theory classes. Every part is one query, whatever the group's size.

use actix_web::web;
use serde::Deserialize;
use uuid::Uuid;

use super::groups::model;
use super::groups::pages::{RosterLine, group_line};
use super::pages::{GroupPage, SessionLine};
use super::registry::access::member;
use super::registry::model as registry;
use super::theory::{self, TheoryForm};
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::form::FormErrors;

pub async fn group(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<GroupPage, AppError> {
    group_page(ctx, &state, &user, *id, String::new(), None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RosterQuery {
    q: String,
}

/// The roster narrowed by name. A POST, because names do not belong in URLs (history, logs).
pub async fn search_group(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<RosterQuery>,
) -> Result<GroupPage, AppError> {
    let search = form.into_inner().q.chars().take(100).collect();
    group_page(ctx, &state, &user, *id, search, None).await
}

/// The page; `theory` is a class form shown again with its error.
pub async fn group_page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, group_id: Uuid, search: String,
    theory: Option<(TheoryForm, FormErrors)>,
) -> Result<GroupPage, AppError> {
    let m = member(state, user).await?;
    let words = search.clone();
    let (group, roster, all, taken, staff, sessions, attended) =
        db::read(&state.pool, move |conn| {
            let group = model::group_of(conn, m.school_id, group_id)?;
            let targets = model::transfer_targets(conn, m.school_id, &group.category, group.id)?;
            let roster = model::roster_matching(conn, group_id, &words)?;
            let taken = model::accepted_counts(conn, &[group_id])?;
            Ok((
                group,
                roster,
                targets,
                taken.first().map_or(0, |(_, n)| *n),
                registry::staff(conn, m.school_id)?,
                theory::sessions(conn, group_id)?,
                theory::minutes_by_enrolment(conn, group_id)?,
            ))
        })
        .await?;
    let transfer_targets = all
        .iter()
        .map(|g| {
            let line = group_line(&ctx, g, 0);
            (line.id, format!("{} · {}", line.dates, line.language))
        })
        .collect();
    let teacher = staff
        .iter()
        .find(|(id, ..)| Some(*id) == group.theory_teacher_id)
        .map(|(_, last, first, _)| format!("{last} {first}"));
    let teacher_options = staff
        .iter()
        .filter(|(.., position)| position == "theory_teacher" || position == "manager")
        .map(|(id, last, first, _)| {
            let chosen = Some(*id) == group.theory_teacher_id;
            (id.to_string(), format!("{last} {first}"), chosen)
        })
        .collect();
    let (theory_form, theory_errors) = match theory {
        Some(refused) => refused,
        None => (
            TheoryForm {
                held_on: state.clock.today().format("%Y-%m-%d").to_string(),
                minutes: "90".into(),
                ..TheoryForm::default()
            },
            FormErrors::default(),
        ),
    };
    let roster: Vec<RosterLine> = roster
        .into_iter()
        .map(|r| {
            let minutes =
                attended.iter().find(|(e, _)| *e == r.enrolment_id).map_or(0, |(_, m)| *m);
            let id = r.enrolment_id.to_string();
            RosterLine {
                present: theory_errors.is_empty() || theory_form.present.contains(&id),
                id,
                name: format!("{} {}", r.last_name, r.first_name),
                status: ctx.t(&format!("enrolment-{}", r.status)),
                status_code: r.status,
                applied: dates::date(r.applied_at),
                certificate: r.certificate.map(|c| c.to_string()),
                theory: crate::i18n::dates::hours(minutes),
                theory_hours: minutes / 60,
            }
        })
        .collect();
    let sessions = sessions
        .into_iter()
        .map(|s| SessionLine {
            date: dates::day(s.held_on),
            topic: s.topic,
            minutes: s.minutes,
            teacher: s.teacher.unwrap_or_default(),
            present: s.present,
        })
        .collect();
    let may_transfer = m.manager
        && search.is_empty()
        && !all.is_empty()
        && roster.iter().any(|r| r.status_code == "accepted");
    Ok(GroupPage {
        may_transfer,
        may_record_theory: m.manager || group.theory_teacher_id == Some(user.id),
        group: group_line(&ctx, &group, taken),
        manager: m.manager,
        roster,
        transfer_targets,
        search,
        teacher,
        teacher_options,
        sessions,
        theory_form,
        theory_errors,
        ctx,
    })
}
