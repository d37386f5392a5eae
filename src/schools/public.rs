use actix_web::web;
use uuid::Uuid;

use super::model;
use super::pages::{GroupLine, ListPage, SchoolLine, SchoolPage};
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

pub fn line(school: &model::School, lang: Lang) -> SchoolLine {
    SchoolLine {
        id: school.id.to_string(),
        name: school.name(lang).to_string(),
        city: school.city.clone(),
        address: school.address.clone(),
    }
}

pub fn group_line(ctx: &PageCtx, group: &model::Group, taken: i64) -> GroupLine {
    GroupLine {
        id: group.id.to_string(),
        category: group.category.clone(),
        language: ctx.t(&format!("lang-name-{}", group.language)),
        dates: format!(
            "{} – {}",
            group.starts_on.format("%d.%m.%Y"),
            group.ends_on.format("%d.%m.%Y")
        ),
        taken,
        capacity: group.capacity,
        status: ctx.t(&format!("group-status-{}", group.status.replace('_', "-"))),
        status_code: group.status.clone(),
    }
}

pub async fn list(ctx: PageCtx, state: web::Data<AppState>) -> Result<ListPage, AppError> {
    let schools = db::run(&state.pool, |conn| Ok(model::approved(conn)?)).await?;
    let schools = schools.iter().map(|s| line(s, ctx.lang)).collect();
    Ok(ListPage { ctx, schools })
}

/// `?page=` pages through the school's reviews.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SchoolQuery {
    page: Option<i64>,
}

pub async fn school(
    ctx: PageCtx,
    user: Option<CurrentUser>,
    state: web::Data<AppState>,
    id: web::Path<String>,
    query: web::Query<SchoolQuery>,
) -> Result<SchoolPage, AppError> {
    let id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let viewer = user.as_ref().map(|u| u.id);
    let (page, lang) = (crate::web::pager::Pager::requested(query.page), ctx.lang);
    let (school, groups, counts, branches, reviews) = db::run(&state.pool, move |conn| {
        let school = model::school(conn, id)?;
        if school.status != "approved" {
            return Err(AppError::NotFound);
        }
        let groups = model::groups(conn, id)?;
        let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
        let counts = model::accepted_counts(conn, &ids)?;
        let branches = super::branches::of_school(conn, id)?;
        let reviews = crate::reviews::for_school(conn, id, viewer, page, lang)?;
        Ok((school, groups, counts, branches, reviews))
    })
    .await?;
    let mut categories: Vec<String> = groups.iter().map(|g| g.category.clone()).collect();
    categories.sort_by_key(|c| model::CATEGORIES.iter().position(|k| k == c));
    categories.dedup();
    let recruiting = groups
        .iter()
        .filter(|g| g.status == "recruiting")
        .map(|g| {
            let taken = counts
                .iter()
                .find(|(id, _)| *id == g.id)
                .map_or(0, |(_, n)| *n);
            group_line(&ctx, g, taken)
        })
        .collect();
    let (can_apply, apply_note) = match &user {
        None => (false, Some(ctx.t("school-apply-sign-in"))),
        Some(u) if u.role != Role::Student => (false, None),
        Some(u) if !u.email_verified => (false, Some(ctx.t("school-apply-verify"))),
        Some(u) if !u.may_enrol() => (false, Some(ctx.t("school-apply-guardian"))),
        Some(_) => (true, None),
    };
    let contacts = [school.phone.clone(), school.email.clone()]
        .into_iter()
        .flatten()
        .collect();
    Ok(SchoolPage {
        school: line(&school, ctx.lang),
        licence: school.licence_number.clone(),
        bin: school.bin.clone(),
        contacts,
        categories,
        branches: branches.into_iter().map(|b| (b.city, b.address)).collect(),
        groups: recruiting,
        can_apply,
        apply_note,
        admin: user.as_ref().is_some_and(|u| u.role == Role::Admin),
        reviews,
        ctx,
    })
}
