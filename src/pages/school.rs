//! A school's public page: the school, its branches and recruiting groups (schools), and its
//! reviews (reviews). It gathers two areas, so it stands on the top storey.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;
use uuid::Uuid;

use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::schools::groups::pages::GroupLine;
use crate::schools::public::{self, SchoolLine};
use crate::schools::{groups, registry};
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

#[derive(Template, WebTemplate)]
#[template(path = "schools/school.html")]
pub struct SchoolPage {
    pub ctx: PageCtx,
    pub school: SchoolLine,
    pub licence: String,
    pub bin: String,
    pub contacts: Vec<String>,
    pub categories: Vec<String>,
    /// (city, address) of each branch.
    pub branches: Vec<(String, String)>,
    pub groups: Vec<GroupLine>,
    /// Whether the visitor may apply (a verified student); otherwise why not, as a message.
    pub can_apply: bool,
    pub apply_note: Option<String>,
    /// Administrators see the form that attaches staff.
    pub admin: bool,
    /// Published reviews, their average, and the viewer's own unpublished ones.
    pub reviews: crate::reviews::SchoolReviews,
}

/// `?page=` pages through the school's reviews.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SchoolQuery {
    page: Option<i64>,
}

pub async fn school(
    ctx: PageCtx, user: Option<CurrentUser>, state: web::Data<AppState>, id: web::Path<Uuid>,
    query: web::Query<SchoolQuery>,
) -> Result<SchoolPage, AppError> {
    let id = id.into_inner();
    let viewer = user.as_ref().map(|u| u.id);
    let (page, lang) = (crate::web::pager::Pager::requested(query.page), ctx.lang);
    let (school, groups, counts, branches, reviews) = db::read(&state.pool, move |conn| {
        let school = registry::model::school(conn, id)?;
        if school.status != registry::model::SchoolStatus::Approved {
            return Err(AppError::NotFound);
        }
        let groups = groups::model::groups(conn, id)?;
        let ids: Vec<Uuid> = groups.iter().map(|g| g.id).collect();
        let counts = groups::model::accepted_counts(conn, &ids)?;
        let branches = registry::branches::of_school(conn, id)?;
        let reviews = crate::reviews::for_school(conn, id, viewer, page, lang)?;
        Ok((school, groups, counts, branches, reviews))
    })
    .await?;
    let mut categories: Vec<String> = groups.iter().map(|g| g.category.clone()).collect();
    categories.sort_by_key(|c| groups::model::CATEGORIES.iter().position(|k| k == c));
    categories.dedup();
    let recruiting = groups
        .iter()
        .filter(|g| g.status == groups::model::GroupStatus::Recruiting)
        .map(|g| {
            let taken = counts.iter().find(|(id, _)| *id == g.id).map_or(0, |(_, n)| *n);
            groups::pages::group_line(&ctx, g, taken)
        })
        .collect();
    let (can_apply, apply_note) = match &user {
        None => (false, Some(ctx.t("school-apply-sign-in"))),
        Some(u) if u.role != Role::Student => (false, None),
        Some(u) if !u.email_verified => (false, Some(ctx.t("school-apply-verify"))),
        Some(u) if !u.may_enrol() => (false, Some(ctx.t("school-apply-guardian"))),
        Some(_) => (true, None),
    };
    let contacts = [school.phone.clone(), school.email.clone()].into_iter().flatten().collect();
    Ok(SchoolPage {
        school: public::line(&school, ctx.lang),
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
