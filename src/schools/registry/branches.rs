//! A school's branches (city and address), kept by its managers. The school is always the
//! manager's own: a branch id from the request is looked up within that school only.

use actix_web::{HttpResponse, http::StatusCode, web};
use askama::Template;
use askama_web::WebTemplate;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::audit::NewAuditEvent;
use crate::db;
use crate::db::schema::school_branches;
use crate::error::AppError;
use crate::schools::registry::access::SchoolManager;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

const MAX_LEN: usize = 200;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = school_branches)]
pub struct Branch {
    pub id: Uuid,
    pub city: String,
    pub address: String,
}

pub fn of_school(conn: &mut PgConnection, school_id: Uuid) -> QueryResult<Vec<Branch>> {
    school_branches::table
        .filter(school_branches::school_id.eq(school_id))
        .order((school_branches::city, school_branches::address))
        .select(Branch::as_select())
        .load(conn)
}

fn insert(conn: &mut PgConnection, school_id: Uuid, form: &BranchForm) -> QueryResult<Uuid> {
    diesel::insert_into(school_branches::table)
        .values((
            school_branches::school_id.eq(school_id),
            school_branches::city.eq(&form.city),
            school_branches::address.eq(&form.address),
        ))
        .returning(school_branches::id)
        .get_result(conn)
}

fn delete(conn: &mut PgConnection, school_id: Uuid, branch_id: Uuid) -> QueryResult<usize> {
    diesel::delete(
        school_branches::table
            .filter(school_branches::id.eq(branch_id))
            .filter(school_branches::school_id.eq(school_id)),
    )
    .execute(conn)
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct BranchForm {
    pub city: String,
    pub address: String,
}

impl BranchForm {
    fn parse(&self) -> Result<BranchForm, (&'static str, &'static str)> {
        let text = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (city, address) = (text(&self.city), text(&self.address));
        for (field, value) in [("city", &city), ("address", &address)] {
            if value.is_empty() {
                return Err((field, "branch-error-required"));
            }
            if value.chars().count() > MAX_LEN {
                return Err((field, "branch-error-long"));
            }
        }
        Ok(BranchForm { city, address })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/branches.html")]
pub struct BranchesPage {
    pub ctx: PageCtx,
    pub school_name: String,
    pub branches: Vec<Branch>,
    pub form: BranchForm,
    /// The field of a refused form, and why.
    pub errors: FormErrors,
}

impl BranchesPage {
    fn err(&self, field: &str) -> Option<String> {
        self.errors.message(&self.ctx, field)
    }

    fn summary(&self) -> Vec<(String, String)> {
        self.errors.summary(&self.ctx)
    }
}

async fn page(
    ctx: PageCtx, state: &AppState, school_id: Uuid, form: BranchForm, errors: FormErrors,
) -> Result<BranchesPage, AppError> {
    let (school, branches) = db::read(&state.pool, move |conn| {
        Ok((super::model::school(conn, school_id)?, of_school(conn, school_id)?))
    })
    .await?;
    Ok(BranchesPage { school_name: school.name(ctx.lang).to_string(), branches, form, errors, ctx })
}

pub async fn list(
    ctx: PageCtx, SchoolManager { membership: m, .. }: SchoolManager, state: web::Data<AppState>,
) -> Result<BranchesPage, AppError> {
    page(ctx, &state, m.school_id, BranchForm::default(), FormErrors::default()).await
}

pub async fn add(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, form: web::Form<BranchForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let form = form.into_inner();
    let branch = match form.parse() {
        Ok(branch) => branch,
        Err((field, message)) => {
            let errors = FormErrors::one(field, message);
            let page = page(ctx, &state, m.school_id, form, errors).await?;
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let staff_id = user.id;
    db::run(&state.pool, move |conn| {
        let id = insert(conn, m.school_id, &branch)?;
        NewAuditEvent::by(staff_id, "school.branch_added")
            .on("school", m.school_id)
            .details(json!({ "branch": id }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    Ok(ctx.flash_to("branch-added", "/school/branches"))
}

pub async fn remove(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let branch_id = id.into_inner();
    let staff_id = user.id;
    db::run(&state.pool, move |conn| {
        if delete(conn, m.school_id, branch_id)? == 0 {
            return Err(AppError::NotFound);
        }
        NewAuditEvent::by(staff_id, "school.branch_removed")
            .on("school", m.school_id)
            .details(json!({ "branch": branch_id }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    Ok(ctx.flash_to("branch-removed", "/school/branches"))
}
