//! `/tickets`: the person's own tickets, or for staff their side's queue — filtered by status,
//! category and assignee (GET parameters carry codes and ids only), a page at a time.

use actix_web::web;
use serde::Deserialize;
use uuid::Uuid;

use super::model::{self, Assignee, CATEGORIES, ListFilter, TicketStatus};
use super::pages::{ListPage, TicketLine};
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::pager::Pager;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// "mine": a staff member's own tickets instead of the queue.
    pub scope: String,
    pub status: String,
    pub category: String,
    /// "me", "none" or a staff member's id.
    pub assignee: String,
    pub page: Option<i64>,
}

/// The localised label of a code: the message `<prefix>-<code>`, `_` written `-`.
pub(super) fn label(ctx: &PageCtx, prefix: &str, code: &str) -> String {
    ctx.t(&format!("{prefix}-{}", code.replace('_', "-")))
}

/// Localised (code, label) pairs for the filters and forms.
pub(super) fn labelled(
    ctx: &PageCtx, prefix: &str, codes: impl IntoIterator<Item = &'static str>,
) -> Vec<(&'static str, String)> {
    codes.into_iter().map(|c| (c, label(ctx, prefix, c))).collect()
}

/// (code, label) of these ticket statuses.
pub(super) fn statuses(ctx: &PageCtx, list: &[TicketStatus]) -> Vec<(&'static str, String)> {
    labelled(ctx, "ticket-status", list.iter().map(|s| s.as_str()))
}

/// The school's name in the page's language, or "the operator".
pub(super) fn addressee(ctx: &PageCtx, names: Option<&(String, String)>) -> String {
    match names {
        Some((kk, ru)) => ctx.lang.pick(kk, ru).to_string(),
        None => ctx.t("ticket-to-operator"),
    }
}

pub async fn list(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, query: web::Query<ListQuery>,
) -> Result<ListPage, AppError> {
    let query = query.into_inner();
    let (id, role) = (user.id, user.role);
    let requested = Pager::requested(query.page);
    let q = ListQueryCodes::from(&query);
    let (viewer, staff, rows, pager, codes) = db::read(&state.pool, move |conn| {
        let viewer = model::viewer(conn, id, role)?;
        let side = viewer.side();
        let mine = side.is_none() || q.mine;
        let staff = match side {
            Some(side) if !mine => model::staff_of(conn, side)?,
            _ => Vec::new(),
        };
        let assignee = match q.assignee.as_str() {
            _ if mine => None,
            "me" => Some(Assignee::Person(id)),
            "none" => Some(Assignee::Nobody),
            other => other
                .parse::<Uuid>()
                .ok()
                .filter(|a| staff.iter().any(|(s, _)| s == a))
                .map(Assignee::Person),
        };
        let filter = ListFilter {
            author: mine.then_some(id),
            side: if mine { None } else { side },
            status: q.status,
            category: q.category.clone(),
            assignee,
        };
        let mut base = String::from("/tickets?");
        if mine && side.is_some() {
            base.push_str("scope=mine&");
        }
        let filters =
            [("status", q.status.map(TicketStatus::as_str)), ("category", q.category.as_deref())];
        for (name, value) in filters {
            if let Some(value) = value {
                base.push_str(&format!("{name}={value}&"));
            }
        }
        let assignee_code = match assignee {
            None => String::new(),
            Some(Assignee::Nobody) => "none".into(),
            Some(Assignee::Person(_)) if q.assignee == "me" => "me".into(),
            Some(Assignee::Person(a)) => a.to_string(),
        };
        if !assignee_code.is_empty() {
            base.push_str(&format!("assignee={assignee_code}&"));
        }
        let total = model::count(conn, &filter)?;
        let pager = Pager::new(requested, total, &base);
        let rows = model::page(conn, &filter, pager.offset(), Pager::PER_PAGE)?;
        Ok((viewer, staff, rows, pager, (mine, assignee_code, q)))
    })
    .await?;
    let (mine, assignee, q) = codes;
    let lines = rows
        .iter()
        .map(|(t, school, (last, first))| TicketLine {
            id: t.id.to_string(),
            subject: t.subject.clone(),
            state: t.status,
            status: label(&ctx, "ticket-status", t.status.as_str()),
            category: label(&ctx, "ticket-category", &t.category),
            to: addressee(&ctx, school.as_ref()),
            author: format!("{last} {first}"),
            assignee: t.assignee_id.map(|a| {
                staff
                    .iter()
                    .find(|(s, _)| *s == a)
                    .map_or_else(|| ctx.t("ticket-staff-label"), |(_, n)| n.clone())
            }),
            updated: dates::date_time(t.updated_at),
        })
        .collect();
    Ok(ListPage {
        has_queue: viewer.side().is_some(),
        mine,
        lines,
        pager,
        status: q.status.map_or("", TicketStatus::as_str).to_string(),
        category: q.category.unwrap_or_default(),
        assignee,
        statuses: statuses(&ctx, TicketStatus::ALL),
        categories: labelled(&ctx, "ticket-category", CATEGORIES),
        assignees: staff.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        ctx,
    })
}

/// The query's filters, only known codes kept.
struct ListQueryCodes {
    mine: bool,
    status: Option<TicketStatus>,
    category: Option<String>,
    assignee: String,
}

impl From<&ListQuery> for ListQueryCodes {
    fn from(q: &ListQuery) -> Self {
        ListQueryCodes {
            mine: q.scope == "mine",
            status: TicketStatus::parse(&q.status),
            category: CATEGORIES.iter().find(|c| **c == q.category).map(|c| c.to_string()),
            assignee: q.assignee.trim().to_string(),
        }
    }
}
