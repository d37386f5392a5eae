//! The school's dashboard: students by status, the next lessons, the staff, and the groups —
//! a page at a time, filtered by status and category. Each part is one query.

use actix_web::web;
use serde::Deserialize;
use uuid::Uuid;

use super::groups::model::{self, GroupFilter};
use super::groups::pages::group_line;
use super::pages::DashboardPage;
use super::registry::model as registry;
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::schools::registry::access::SchoolMember;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::pager::Pager;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DashboardQuery {
    pub status: String,
    pub category: String,
    pub page: Option<i64>,
}

impl DashboardQuery {
    /// Only known values filter; anything else shows every group.
    fn filter(&self) -> GroupFilter {
        GroupFilter {
            status: ["recruiting", "in_training", "finished"]
                .into_iter()
                .find(|s| *s == self.status)
                .map(str::to_string),
            category: model::CATEGORIES
                .into_iter()
                .find(|c| *c == self.category)
                .map(str::to_string),
        }
    }
}

pub async fn dashboard(
    ctx: PageCtx, SchoolMember { membership: m, .. }: SchoolMember, state: web::Data<AppState>,
    query: web::Query<DashboardQuery>,
) -> Result<DashboardPage, AppError> {
    let now = state.clock.now();
    let filter = query.filter();
    let mut base = String::from("/school?");
    for (name, value) in [("status", &filter.status), ("category", &filter.category)] {
        if let Some(value) = value {
            base.push_str(&format!("{name}={value}&"));
        }
    }
    let requested = Pager::requested(query.page);
    let (school, (groups, pager), counts, staff, by_status, upcoming) =
        db::read(&state.pool, move |conn| {
            let total = model::count_groups(conn, m.school_id, &filter)?;
            let pager = Pager::new(requested, total, &base);
            let groups =
                model::groups_page(conn, m.school_id, &filter, pager.offset(), Pager::PER_PAGE)?;
            let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
            Ok((
                registry::school(conn, m.school_id)?,
                (groups, pager),
                model::accepted_counts(conn, &ids)?,
                registry::staff(conn, m.school_id)?,
                model::enrolments_by_status(conn, m.school_id)?,
                super::lessons::model::upcoming_of_school(conn, m.school_id, 10, now)?,
            ))
        })
        .await?;
    let by_status = by_status
        .into_iter()
        .map(|(status, n)| (ctx.t(&format!("enrolment-{status}")), n))
        .collect();
    let upcoming = upcoming
        .into_iter()
        .map(|(l, instructor)| {
            (
                dates::date_time(l.starts()),
                instructor,
                l.vehicle.clone(),
                ctx.t(&format!("lesson-status-{}", l.status.as_str())),
            )
        })
        .collect();
    let groups = groups
        .iter()
        .map(|g| {
            let taken = counts.iter().find(|(id, _)| *id == g.id).map_or(0, |(_, n)| *n);
            group_line(&ctx, g, taken)
        })
        .collect();
    let staff = staff
        .into_iter()
        .map(|(_, last, first, position)| {
            (format!("{last} {first}"), ctx.t(&format!("position-{}", position.replace('_', "-"))))
        })
        .collect();
    Ok(DashboardPage {
        school_name: school.name(ctx.lang).to_string(),
        manager: m.manager,
        instructor: m.instructor,
        groups,
        pager,
        status: query.status.clone(),
        category: query.category.clone(),
        categories: model::CATEGORIES.to_vec(),
        staff,
        by_status,
        upcoming,
        ctx,
    })
}
