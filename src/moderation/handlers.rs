//! The moderators' queue and their decisions. Every decision and every restriction needs a
//! reason and is written to the audit trail with the moderator, the reason and the item.

use crate::reviews::stars;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Action, Target, View};
use super::pages::{ItemLine, QueuePage, ReportLine, RestrictionLine};
use crate::accounts::restrictions::{self, last_day};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::personal_data;
use crate::error::AppError;
use crate::i18n::{Lang, dates};
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{Moderators, RequireRole};
use crate::web::form::FormErrors;
use crate::web::pager::Pager;

/// Longest reason a moderator may give.
pub(super) const MAX_REASON: usize = 500;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QueueQuery {
    view: String,
    page: Option<i64>,
}

pub async fn queue(
    ctx: PageCtx, user: RequireRole<Moderators>, state: web::Data<AppState>,
    query: web::Query<QueueQuery>,
) -> Result<QueuePage, AppError> {
    let view = View::parse(&query.view);
    page(ctx, &state, &user, view, Pager::requested(query.page), FormErrors::default()).await
}

/// One page of the view, with `error` shown next to the form it belongs to.
async fn page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, view: View, requested: i64,
    errors: FormErrors,
) -> Result<QueuePage, AppError> {
    let now = state.clock.now();
    let base = format!("/moderation?view={}&", view.code());
    let (pager, total, targets, reviews, messages, reports, restrictions) =
        db::run(&state.pool, move |conn| {
            let total = model::count(conn, view)?;
            let pager = Pager::new(requested, total, &base);
            let targets = model::page(conn, view, pager.offset(), Pager::PER_PAGE)?;
            let review_ids: Vec<Uuid> =
                targets.iter().filter(|t| matches!(t, Target::Review(_))).map(|t| t.id()).collect();
            let message_ids: Vec<Uuid> = targets
                .iter()
                .filter(|t| matches!(t, Target::Message(_)))
                .map(|t| t.id())
                .collect();
            Ok((
                pager,
                total,
                targets,
                model::reviews(conn, &review_ids)?,
                model::messages(conn, &message_ids)?,
                model::open_reports(conn, &review_ids, &message_ids)?,
                restrictions::restrictions_in_force(conn, 100, now)?,
            ))
        })
        .await?;
    let lang = ctx.lang;
    let reports_of = |target: Target| -> Vec<ReportLine> {
        reports
            .iter()
            .filter(|r| match target {
                Target::Review(id) => r.review_id == Some(id),
                Target::Message(id) => r.message_id == Some(id),
            })
            .map(|r| ReportLine {
                reason: lang.t(&format!("report-reason-{}", r.reason.replace('_', "-"))),
                note: r.note.clone(),
                when: dates::date_time(r.created_at),
            })
            .collect()
    };
    let actions = |target: Target, status: &str, open: usize| -> Vec<(&'static str, String)> {
        Action::ALL
            .into_iter()
            .filter(|a| a.applies_to(target) && a.next(target, status, open as i64).is_some())
            .map(|a| (a.code(), lang.t(&format!("moderation-action-{}", a.code()))))
            .collect()
    };
    let me = user.id;
    let restrict = |author: Uuid, key: &str| {
        (author != me).then(|| (author.to_string(), format!("restrict-{key}")))
    };
    let items = targets
        .into_iter()
        .filter_map(|target| match target {
            Target::Review(id) => {
                let r = reviews.iter().find(|r| r.id == id)?;
                let reports = reports_of(target);
                Some(ItemLine {
                    key: format!("review-{id}"),
                    segment: "reviews",
                    kind: lang.t("moderation-kind-review"),
                    id: id.to_string(),
                    author: format!("{} {}", r.author_last, r.author_first),
                    restrict: restrict(r.author_id, &format!("review-{id}")),
                    place: lang.pick(&r.school_name_kk, &r.school_name_ru).to_string(),
                    when: dates::date_time(r.created_at),
                    status: lang.t(&format!("moderation-status-{}", r.status)),
                    note: held_or_hidden(lang, &r.status, &r.held_reason, &r.moderation_reason),
                    stars: Some(match r.instructor_stars {
                        Some(i) => format!(
                            "{} · {} {}",
                            stars(r.school_stars),
                            lang.t("reviews-instructor"),
                            stars(i)
                        ),
                        None => stars(r.school_stars),
                    }),
                    text: r.body.clone(),
                    actions: actions(target, &r.status, reports.len()),
                    status_code: r.status.clone(),
                    report_count: reports.len() as i64,
                    reports,
                })
            }
            Target::Message(id) => {
                let m = messages.iter().find(|m| m.id == id)?;
                let reports = reports_of(target);
                Some(ItemLine {
                    key: format!("message-{id}"),
                    segment: "messages",
                    kind: lang.t("moderation-kind-message"),
                    id: id.to_string(),
                    author: match (&m.author_last, &m.author_first) {
                        (Some(last), Some(first)) => format!("{last} {first}"),
                        _ => lang.t("moderation-author-gone"),
                    },
                    restrict: m.author_id.and_then(|a| restrict(a, &format!("message-{id}"))),
                    place: m.subject.clone(),
                    when: dates::date_time(m.created_at),
                    status: lang.t(&format!("moderation-status-{}", m.moderation)),
                    note: held_or_hidden(lang, &m.moderation, &None, &m.moderation_reason),
                    stars: None,
                    text: m.body.clone(),
                    actions: actions(target, &m.moderation, reports.len()),
                    status_code: m.moderation.clone(),
                    report_count: reports.len() as i64,
                    reports,
                })
            }
        })
        .collect();
    let restrictions = restrictions
        .into_iter()
        .map(|(r, last, first)| RestrictionLine {
            user_id: r.user_id.to_string(),
            name: format!("{last} {first}"),
            until: match r.until {
                Some(until) => last_day(until),
                None => lang.t("moderation-indefinitely"),
            },
            reason: r.reason,
            since: dates::date(r.created_at),
        })
        .collect();
    Ok(QueuePage { view: view.code(), items, pager, total, restrictions, errors, ctx })
}

/// Why a review is held ("looks like a phone number"), or why an item was hidden.
fn held_or_hidden(
    lang: Lang, status: &str, held: &Option<String>, moderation: &Option<String>,
) -> Option<String> {
    match status {
        "held" => held
            .as_deref()
            .and_then(personal_data::Kind::from_code)
            .map(|k| lang.t(&format!("moderation-pd-{}", k.code().replace('_', "-")))),
        "hidden" => moderation.clone(),
        _ => None,
    }
}

/// The moderator's reason: required, at most `MAX_REASON` characters, whitespace tidied.
pub(super) fn reason(text: &str) -> Result<String, &'static str> {
    let reason = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        Err("moderation-error-reason")
    } else if reason.chars().count() > MAX_REASON {
        Err("moderation-error-reason-long")
    } else {
        Ok(reason)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub(super) reason: String,
    pub(super) view: String,
    pub(super) page: String,
}

pub(super) fn back(view: &str, page: &str) -> HttpResponse {
    let view = View::parse(view);
    let page = page.parse::<i64>().unwrap_or(1).max(1);
    crate::web::see_other(format!("/moderation?view={}&page={page}", view.code()))
}

/// The queue again with an error next to one form (422).
pub(super) async fn refuse(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, view: &str, page_number: &str, key: String,
    message_id: &'static str,
) -> Result<HttpResponse, AppError> {
    let requested = page_number.parse::<i64>().unwrap_or(1).max(1);
    let page =
        page(ctx, state, user, View::parse(view), requested, FormErrors::one(key, message_id))
            .await?;
    crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// A decision on a review (`/moderation/reviews/…`) or a ticket message (`/moderation/messages/…`).
pub async fn decision(
    req: HttpRequest, ctx: PageCtx, user: RequireRole<Moderators>, state: web::Data<AppState>,
    path: web::Path<(String, Uuid, String)>, form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let (kind, id, action) = path.into_inner();
    let target = match kind.as_str() {
        "reviews" => Target::Review(id),
        "messages" => Target::Message(id),
        _ => return Err(AppError::NotFound),
    };
    let form = form.into_inner();
    let action =
        Action::parse(&action).filter(|a| a.applies_to(target)).ok_or(AppError::NotFound)?;
    let key = format!("{}-{}", target.kind(), target.id());
    let reason = match reason(&form.reason) {
        Ok(reason) => reason,
        Err(message) => {
            return refuse(ctx, &state, &user, &form.view, &form.page, key, message).await;
        }
    };
    let event = NewAuditEvent::new(&format!("moderation.{}.{}", target.kind(), action.code()))
        .actor(user.id)
        .subject(target.kind(), target.id())
        .request(&req);
    let moderator = user.id;
    let notify = state.config.notify_moderated && matches!(action, Action::Hide | Action::Delete);
    let audit_reason = reason.clone();
    let decided = db::run(&state.pool, move |conn| {
        let Some(decided) = model::decide(conn, target, action, moderator, &audit_reason, now)?
        else {
            return Ok(None);
        };
        event
            .details(json!({
                "item": target.kind(),
                "item_id": target.id(),
                "reason": audit_reason,
                "from": decided.from,
                "to": decided.to,
                "reports_resolved": decided.reports_resolved,
            }))
            .record(conn)?;
        let author = match decided.author_id {
            Some(author) if notify => Some(crate::accounts::model::by_id(conn, author)?),
            _ => None,
        };
        Ok(Some((decided, author)))
    })
    .await?;
    let Some((decided, author)) = decided else {
        ctx.flash(ctx.t("moderation-already"));
        return Ok(back(&form.view, &form.page));
    };
    if let Some(author) = author {
        super::mails::moderated(&state, &author, target, action, &reason, &decided.place).await;
    }
    ctx.flash(ctx.t("moderation-done"));
    Ok(back(&form.view, &form.page))
}
