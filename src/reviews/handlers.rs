//! Writing and editing a review. Each handler checks, in this order: the enrolment (or review)
//! is the user's, the person is not restricted from publishing, the form is complete (422),
//! the hourly limit (429); then it saves, holding a text that looks like personal data.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::PgConnection;
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Enrolment, Review, ReviewStatus, Written};
use super::pages::{FormPage, NoticePage, ReviewForm};
use crate::accounts::restrictions::{self, Restriction};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::personal_data;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::form::FormErrors;

/// Longest review text (the column allows this much).
const MAX_BODY: usize = 3000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    enrolment: String,
    school: String,
}

/// What the forms need about an enrolment, read in one go.
struct Context {
    enrolment: Enrolment,
    existing: Option<Uuid>,
    instructors: Vec<(Uuid, String)>,
    restriction: Option<Restriction>,
}

/// The user's own enrolment, or not found; another person's enrolment is not found either.
async fn context(
    state: &AppState, user: &CurrentUser, enrolment_id: Uuid,
) -> Result<Context, AppError> {
    let now = state.clock.now();
    let user_id = user.id;
    db::read(&state.pool, move |conn| {
        let enrolment = model::enrolment(conn, enrolment_id)?
            .filter(|e| e.student_id == user_id)
            .ok_or(AppError::NotFound)?;
        let existing = model::reviewable_at(conn, user_id, enrolment.school_id)?
            .into_iter()
            .find(|(id, _)| *id == enrolment_id)
            .and_then(|(_, review)| review);
        Ok(Context {
            instructors: model::instructors(conn, user_id, enrolment.school_id)?,
            restriction: restrictions::restricted(conn, user_id, now)?,
            existing,
            enrolment,
        })
    })
    .await
}

fn school_name(enrolment: &Enrolment, lang: Lang) -> String {
    lang.pick(&enrolment.school_name_kk, &enrolment.school_name_ru).to_string()
}

/// A refusal explained instead of the form (403).
fn notice(
    ctx: PageCtx, title_id: &str, text: String, back: String,
) -> Result<HttpResponse, AppError> {
    let page = NoticePage { title: ctx.t(title_id), text, back, ctx };
    crate::web::html(StatusCode::FORBIDDEN, &page)
}

/// Only someone who is or was a student of the school may review it.
fn not_enrolled(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    let text = ctx.t("reviews-not-enrolled");
    notice(ctx, "reviews-not-enrolled-title", text, "/me/training".into())
}

fn form_page(
    ctx: PageCtx, action: String, editing: bool, c: &Context, form: ReviewForm, errors: FormErrors,
    held: Option<String>,
) -> FormPage {
    FormPage {
        action,
        editing,
        school: school_name(&c.enrolment, ctx.lang),
        school_id: c.enrolment.school_id.to_string(),
        category: c.enrolment.category.clone(),
        instructors: c
            .instructors
            .iter()
            .map(|(id, name)| (id.to_string(), name.clone()))
            .collect(),
        form,
        errors,
        held,
        choices: FormPage::CHOICES
            .into_iter()
            .map(|n| (n, ctx.t(&format!("reviews-stars-{n}"))))
            .collect(),
        ctx,
    }
}

pub async fn new_form(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, query: web::Query<NewQuery>,
) -> Result<HttpResponse, AppError> {
    // From the training page: the newest enrolment at that school not yet reviewed.
    if query.enrolment.is_empty() {
        let school: Uuid = query.school.parse().map_err(|_| AppError::NotFound)?;
        let user_id = user.id;
        let rows =
            db::read(&state.pool, move |conn| Ok(model::reviewable_at(conn, user_id, school)?))
                .await?;
        let target = match rows.iter().find(|(_, review)| review.is_none()) {
            Some((enrolment, _)) => format!("/reviews/new?enrolment={enrolment}"),
            None => match rows.first() {
                Some((_, Some(review))) => format!("/reviews/{review}/edit"),
                _ => return Err(AppError::NotFound),
            },
        };
        return Ok(crate::web::see_other(target));
    }
    let enrolment_id: Uuid = query.enrolment.parse().map_err(|_| AppError::NotFound)?;
    let c = context(&state, &user, enrolment_id).await?;
    if !c.enrolment.reviewable() {
        return not_enrolled(ctx);
    }
    if let Some(review) = c.existing {
        return Ok(crate::web::see_other(format!("/reviews/{review}/edit")));
    }
    if let Some(r) = &c.restriction {
        return restrictions::restricted_page(ctx, r);
    }
    let form = ReviewForm { enrolment: enrolment_id.to_string(), ..ReviewForm::default() };
    let page = form_page(ctx, "/reviews/new".into(), false, &c, form, FormErrors::default(), None);
    crate::web::html(StatusCode::OK, &page)
}

/// The form, checked: stars 1–5, an instructor from the list (then with stars), a text.
fn check(form: &ReviewForm, instructors: &[(Uuid, String)]) -> Result<Written, FormErrors> {
    let mut errors = FormErrors::default();
    let stars = |text: &str| text.trim().parse::<i16>().ok().filter(|n| (1..=5).contains(n));
    let school_stars = stars(&form.school_stars);
    if school_stars.is_none() {
        errors.add("school_stars", "reviews-error-stars");
    }
    let instructor = match form.instructor.trim() {
        "" => None,
        text => {
            let known =
                text.parse::<Uuid>().ok().filter(|id| instructors.iter().any(|(i, _)| i == id));
            if known.is_none() {
                errors.add("instructor", "reviews-error-instructor");
            }
            known
        }
    };
    let instructor_stars = stars(&form.instructor_stars);
    if instructor.is_some() && instructor_stars.is_none() {
        errors.add("instructor_stars", "reviews-error-instructor-stars");
    }
    let body = form.body.replace("\r\n", "\n").trim().to_string();
    if body.is_empty() {
        errors.add("body", "reviews-error-body");
    } else if body.chars().count() > MAX_BODY {
        errors.add("body", "reviews-error-body-long");
    }
    match (school_stars, errors.is_empty()) {
        (Some(school_stars), true) => Ok(Written {
            school_stars,
            instructor: instructor.zip(instructor_stars),
            held: personal_data::first_kind(&body).map(personal_data::Kind::code),
            body,
        }),
        _ => Err(errors),
    }
}

/// The author's explanation of a hold: "it seems to contain a phone number…".
fn held_message(lang: Lang, kind: &str) -> String {
    let what = lang.t(&format!("reviews-pd-{}", kind.replace('_', "-")));
    lang.t_args("reviews-held", &[("what", FluentValue::from(what))])
}

enum Refused {
    /// 422 with messages next to the fields.
    Invalid(FormErrors),
    /// 429: the hourly limit.
    TooMany,
}

fn refused_page(
    ctx: PageCtx, action: String, editing: bool, c: &Context, form: ReviewForm, refused: Refused,
) -> Result<HttpResponse, AppError> {
    let (status, errors) = match refused {
        Refused::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
        Refused::TooMany => {
            (StatusCode::TOO_MANY_REQUESTS, FormErrors::one("body", "reviews-error-too-many"))
        }
    };
    let page = form_page(ctx, action, editing, c, form, errors, None);
    crate::web::html(status, &page)
}

/// Runs `write` in the transaction that checks the author's hourly limit first (under their
/// lock, so parallel submissions are counted one after the other).
async fn within_limit<T: Send + 'static>(
    state: &AppState, author: Uuid, now: DateTime<Utc>,
    write: impl FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
) -> Result<Result<T, Refused>, AppError> {
    db::run(&state.pool, move |conn| {
        if !model::may_write(conn, author, now)? {
            return Ok(Err(Refused::TooMany));
        }
        write(conn).map(Ok)
    })
    .await
}

fn saved_flash(ctx: &PageCtx, written: &Written) {
    let lang = ctx.lang;
    let message = match written.held {
        Some(kind) => held_message(lang, kind),
        None => lang.t("reviews-published"),
    };
    ctx.flash(message);
}

pub async fn create(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
    form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let form = form.into_inner();
    let enrolment_id: Uuid = form.enrolment.parse().map_err(|_| AppError::NotFound)?;
    let c = context(&state, &user, enrolment_id).await?;
    if !c.enrolment.reviewable() {
        return not_enrolled(ctx);
    }
    if let Some(review) = c.existing {
        return Ok(ctx.flash_to("reviews-already", format!("/reviews/{review}/edit")));
    }
    if let Some(r) = &c.restriction {
        return restrictions::restricted_page(ctx, r);
    }
    // The hourly limit is checked where the review is written, under the author's lock.
    let written = match check(&form, &c.instructors).map_err(Refused::Invalid) {
        Ok(written) => written,
        Err(refused) => return refused_page(ctx, "/reviews/new".into(), false, &c, form, refused),
    };
    let event = NewAuditEvent::by(user.id, "review.created").request(&req);
    let enrolment = c.enrolment.clone();
    let saved = written.clone();
    let id = within_limit(&state, user.id, now, move |conn| {
        let Some(id) = model::insert(conn, &enrolment, &saved)? else {
            return Ok(None);
        };
        event
            .on("review", id)
            .details(json!({
                "enrolment": enrolment.id,
                "school": enrolment.school_id,
                "held": saved.held,
            }))
            .record(conn)?;
        Ok(Some(id))
    })
    .await?;
    let id = match id {
        Ok(id) => id,
        Err(refused) => return refused_page(ctx, "/reviews/new".into(), false, &c, form, refused),
    };
    let Some(id) = id else {
        // Sent twice at once: the first one won.
        ctx.flash(ctx.t("reviews-already"));
        return Ok(crate::web::see_other(format!("/reviews/new?enrolment={enrolment_id}")));
    };
    saved_flash(&ctx, &written);
    Ok(crate::web::see_other(format!("/schools/{}#review-{id}", c.enrolment.school_id)))
}

/// The author's own review with the form's context; anyone else's is not found.
async fn own(
    state: &AppState, user: &CurrentUser, id: Uuid,
) -> Result<(Review, Context), AppError> {
    let user_id = user.id;
    let review = db::read(&state.pool, move |conn| Ok(model::review(conn, id)?))
        .await?
        .filter(|r| r.author_id == user_id)
        .ok_or(AppError::NotFound)?;
    let c = context(state, user, review.enrolment_id).await?;
    Ok((review, c))
}

/// A review a moderator hid or deleted stays as the moderator left it: the explanation.
fn locked_text(lang: Lang, review: &Review) -> Option<String> {
    let reason = review.content.moderation_reason.as_deref();
    match review.content.status {
        ReviewStatus::Hidden => Some(lang.t_args(
            "reviews-hidden-note",
            &[("reason", FluentValue::from(reason.unwrap_or_default().to_string()))],
        )),
        ReviewStatus::Deleted => Some(crate::i18n::removed_text(lang, reason)),
        _ => None,
    }
}

fn locked(ctx: PageCtx, review: &Review, text: String) -> Result<HttpResponse, AppError> {
    notice(ctx, "reviews-locked-title", text, format!("/schools/{}", review.school_id))
}

pub async fn edit_form(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (review, c) = own(&state, &user, *id).await?;
    if let Some(text) = locked_text(ctx.lang, &review) {
        return locked(ctx, &review, text);
    }
    if let Some(r) = &c.restriction {
        return restrictions::restricted_page(ctx, r);
    }
    let content = &review.content;
    let form = ReviewForm {
        enrolment: review.enrolment_id.to_string(),
        school_stars: content.school_stars.to_string(),
        instructor: review.instructor_id.map(|i| i.to_string()).unwrap_or_default(),
        instructor_stars: content.instructor_stars.map(|s| s.to_string()).unwrap_or_default(),
        body: content.body.clone(),
    };
    let held = content
        .held_reason
        .as_deref()
        .filter(|_| content.status == ReviewStatus::Held)
        .map(|kind| held_message(ctx.lang, kind));
    let page = form_page(
        ctx,
        format!("/reviews/{}/edit", review.id),
        true,
        &c,
        form,
        FormErrors::default(),
        held,
    );
    crate::web::html(StatusCode::OK, &page)
}

pub async fn update(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
    id: web::Path<Uuid>, form: web::Form<ReviewForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let (review, c) = own(&state, &user, *id).await?;
    let mut form = form.into_inner();
    form.enrolment = review.enrolment_id.to_string();
    let action = format!("/reviews/{}/edit", review.id);
    if let Some(text) = locked_text(ctx.lang, &review) {
        return locked(ctx, &review, text);
    }
    if let Some(r) = &c.restriction {
        return restrictions::restricted_page(ctx, r);
    }
    // The hourly limit is checked where the review is written, under the author's lock.
    let written = match check(&form, &c.instructors).map_err(Refused::Invalid) {
        Ok(written) => written,
        Err(refused) => return refused_page(ctx, action, true, &c, form, refused),
    };
    let event = NewAuditEvent::by(user.id, "review.edited").on("review", review.id).request(&req);
    let saved = written.clone();
    let review_id = review.id;
    let changed = within_limit(&state, user.id, now, move |conn| {
        if !model::update(conn, review_id, &saved, now)? {
            return Ok(false);
        }
        event.details(json!({ "held": saved.held })).record(conn)?;
        Ok(true)
    })
    .await?;
    let changed = match changed {
        Ok(changed) => changed,
        Err(refused) => return refused_page(ctx, action, true, &c, form, refused),
    };
    if !changed {
        // A moderator acted in between.
        return Ok(crate::web::see_other(action));
    }
    saved_flash(&ctx, &written);
    Ok(crate::web::see_other(format!("/schools/{}#review-{}", review.school_id, review.id)))
}
