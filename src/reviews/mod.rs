//! Reviews of schools and instructors: a student who is or was enrolled at a school reviews it
//! (and, optionally, an instructor they had a held lesson with) once per enrolment, 1–5 stars
//! and a text, and may edit it. A text that looks like someone's personal data is held for a
//! moderator instead of being published, and the author is told why. The school's public page
//! shows the published reviews and their average.
//!
//! Publishing rules, restrictions and detection come from `moderation`, which also hides,
//! deletes and restores reviews.

mod handlers;
pub mod model;
pub mod pages;

use actix_web::web;
use diesel::prelude::*;
use uuid::Uuid;

use crate::i18n::{Lang, dates};
use crate::web::pager::Pager;
use model::ReviewStatus;
pub use pages::{ReviewLine, SchoolReviews};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reviews/new").get(handlers::new_form).post(handlers::create))
        .service(
            web::resource("/reviews/{id}/edit").get(handlers::edit_form).post(handlers::update),
        );
}

/// "★★★★☆" for four stars.
pub fn stars(n: i16) -> String {
    let n = n.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

/// An author as the public sees them: first name and the initial of the last name.
fn public_name(first: &str, last: &str) -> String {
    match last.chars().next() {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_string(),
    }
}

fn line(review: model::Shown, viewer: Option<Uuid>, lang: Lang) -> ReviewLine {
    let mine = viewer == Some(review.author_id);
    let content = review.content;
    let reason = content.moderation_reason.as_deref();
    let note = match content.status {
        ReviewStatus::Held => {
            let kind = content.held_reason.as_deref().unwrap_or("other").replace('_', "-");
            let what = lang.t(&format!("reviews-pd-{kind}"));
            Some(lang.t_args("reviews-held-note", &[("what", what.into())]))
        }
        ReviewStatus::Hidden => Some(lang.t_args(
            "reviews-hidden-note",
            &[("reason", reason.unwrap_or_default().to_string().into())],
        )),
        _ => None,
    };
    let removed =
        (content.status == ReviewStatus::Deleted).then(|| crate::i18n::removed_text(lang, reason));
    ReviewLine {
        id: review.id.to_string(),
        author: public_name(&review.author_first, &review.author_last),
        date: dates::date(content.created_at),
        edited: review.updated_at > content.created_at,
        stars: stars(content.school_stars),
        stars_n: content.school_stars,
        instructor: match (
            review.instructor_last,
            review.instructor_first,
            content.instructor_stars,
        ) {
            (Some(last), Some(first), Some(n)) => Some((format!("{last} {first}"), stars(n), n)),
            _ => None,
        },
        text: if removed.is_some() { String::new() } else { content.body },
        removed,
        note,
        status: lang.t(&format!("reviews-status-{}", content.status.as_str())),
        status_code: content.status.as_str(),
        mine,
    }
}

/// The reviews part of a school's public page: the average of the published reviews, one page
/// of them (with the stubs of deleted ones), and the viewer's own reviews that others do not see
/// (held or hidden) with the reason. Four queries whatever the number of reviews.
pub fn for_school(
    conn: &mut PgConnection, school_id: Uuid, viewer: Option<Uuid>, page: i64, lang: Lang,
) -> QueryResult<SchoolReviews> {
    let (count, sum) = model::stars(conn, school_id)?;
    let total = model::public_count(conn, school_id)?;
    let pager = Pager::new(page, total, &format!("/schools/{school_id}?"));
    let shown =
        model::shown(conn, school_id, model::Which::Public, pager.offset(), Pager::PER_PAGE)?;
    let own = match viewer {
        Some(viewer) => model::shown(conn, school_id, model::Which::OwnUnpublished(viewer), 0, 50)?,
        None => Vec::new(),
    };
    let average = (count > 0).then(|| sum as f64 / count as f64);
    Ok(SchoolReviews {
        average: average.map(|a| format!("{a:.1}").replace('.', ",")),
        average_stars: average.map_or_else(String::new, |a| stars(a.round() as i16)),
        count,
        lines: shown.into_iter().map(|r| line(r, viewer, lang)).collect(),
        mine: own.into_iter().map(|r| line(r, viewer, lang)).collect(),
        pager,
    })
}
