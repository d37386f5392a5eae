//! The moderators' queue and their decisions. Every decision and every restriction needs a
//! reason and is written to the audit trail with the moderator, the reason and the item.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Action, State, Target, View};
use super::pages::{ItemLine, QueuePage, ReportLine, RestrictionLine};
use crate::accounts::restrictions::{self, last_day};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::personal_data;
use crate::error::AppError;
use crate::i18n::{Lang, dates};
use crate::reviews::stars;
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
        db::read(&state.pool, move |conn| {
            let total = model::count(conn, view)?;
            let pager = Pager::new(requested, total, &base);
            let targets = model::page(conn, view, pager.offset(), Pager::PER_PAGE)?;
            let ids = |reviews: bool| -> Vec<Uuid> {
                let of_kind = |t: &&Target| matches!(t, Target::Review(_)) == reviews;
                targets.iter().filter(of_kind).map(|t| t.id()).collect()
            };
            let (review_ids, message_ids) = (ids(true), ids(false));
            Ok((
                pager,
                total,
                targets,
                crate::reviews::model::for_moderators(conn, &review_ids)?,
                crate::tickets::model::for_moderators(conn, &message_ids)?,
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
    let me = user.id;
    let items = targets
        .into_iter()
        .filter_map(|target| match target {
            Target::Review(id) => {
                let r = reviews.iter().find(|r| r.id == id)?;
                let c = &r.content;
                let item = Item {
                    target,
                    author: Some(format!("{} {}", r.author_last, r.author_first)),
                    author_id: Some(r.author_id),
                    place: lang.pick(&r.school_name_kk, &r.school_name_ru).to_string(),
                    created_at: c.created_at,
                    status: c.status,
                    held_reason: c.held_reason.as_deref(),
                    moderation_reason: c.moderation_reason.as_deref(),
                    stars: Some(match c.instructor_stars {
                        Some(i) => format!(
                            "{} · {} {}",
                            stars(c.school_stars),
                            lang.t("reviews-instructor"),
                            stars(i)
                        ),
                        None => stars(c.school_stars),
                    }),
                    text: &c.body,
                };
                Some(item.line(lang, me, reports_of(target)))
            }
            Target::Message(id) => {
                let (m, author, subject) = messages.iter().find(|(m, _, _)| m.id == id)?;
                let item = Item {
                    target,
                    author: author.as_ref().map(|(last, first)| format!("{last} {first}")),
                    author_id: m.author_id,
                    place: subject.clone(),
                    created_at: m.created_at,
                    status: m.moderation,
                    held_reason: None,
                    moderation_reason: m.moderation_reason.as_deref(),
                    stars: None,
                    text: &m.body,
                };
                Some(item.line(lang, me, reports_of(target)))
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

/// What the queue shows of an item, whichever its kind.
struct Item<'a, S> {
    target: Target,
    /// None once the account is gone.
    author: Option<String>,
    author_id: Option<Uuid>,
    /// The school reviewed, or the ticket's subject.
    place: String,
    created_at: DateTime<Utc>,
    status: S,
    held_reason: Option<&'a str>,
    moderation_reason: Option<&'a str>,
    stars: Option<String>,
    text: &'a str,
}

impl<S: State> Item<'_, S> {
    /// Why a review is held ("looks like a phone number"), or why an item was hidden.
    fn note(&self, lang: Lang) -> Option<String> {
        if S::HELD == Some(self.status) {
            self.held_reason
                .and_then(personal_data::Kind::from_code)
                .map(|k| lang.t(&format!("moderation-pd-{}", k.code().replace('_', "-"))))
        } else if self.status == S::HIDDEN {
            self.moderation_reason.map(str::to_string)
        } else {
            None
        }
    }

    /// The line, with the decisions that apply now and a restriction form unless the
    /// moderator (`me`) wrote it.
    fn line(self, lang: Lang, me: Uuid, reports: Vec<ReportLine>) -> ItemLine {
        let (target, kind) = (self.target, self.target.kind());
        let key = format!("{kind}-{}", target.id());
        let open = reports.len() as i64;
        let actions = Action::ALL
            .into_iter()
            .filter(|a| a.applies_to(target) && a.next(self.status, open).is_some())
            .map(|a| (a.code(), lang.t(&format!("moderation-action-{}", a.code()))))
            .collect();
        let note = self.note(lang);
        ItemLine {
            segment: match target {
                Target::Review(_) => "reviews",
                Target::Message(_) => "messages",
            },
            kind: lang.t(&format!("moderation-kind-{kind}")),
            id: target.id().to_string(),
            author: self.author.unwrap_or_else(|| lang.t("moderation-author-gone")),
            restrict: self
                .author_id
                .filter(|author| *author != me)
                .map(|author| (author.to_string(), format!("restrict-{key}"))),
            key,
            place: self.place,
            when: dates::date_time(self.created_at),
            status: lang.t(&format!("moderation-status-{}", self.status.code())),
            status_code: self.status.code(),
            note,
            stars: self.stars,
            text: self.text.to_string(),
            report_count: open,
            reports,
            actions,
        }
    }
}

/// The text with its whitespace tidied: one space between words, none around them.
pub(super) fn tidy(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The moderator's reason: required, at most `MAX_REASON` characters, whitespace tidied.
pub(super) fn reason(text: &str) -> Result<String, &'static str> {
    let reason = tidy(text);
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

/// Back to the page of the queue the form was on, with a message.
pub(super) fn back(ctx: &PageCtx, message_id: &str, view: &str, page: &str) -> HttpResponse {
    let view = View::parse(view);
    let page = page.parse::<i64>().unwrap_or(1).max(1);
    ctx.flash_to(message_id, format!("/moderation?view={}&page={page}", view.code()))
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
        .on(target.kind(), target.id())
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
        return Ok(back(&ctx, "moderation-already", &form.view, &form.page));
    };
    if let Some(author) = author {
        super::mails::moderated(&state, &author, target, action, &reason, &decided.place).await;
    }
    Ok(back(&ctx, "moderation-done", &form.view, &form.page))
}
