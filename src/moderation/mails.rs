//! The mail an author gets when a moderator hides or deletes their review or message, in their
//! language, with the reason (sent only when `AVTOMEKTEP_NOTIFY_MODERATED` is on).

use actix_web::web;
use fluent_templates::fluent_bundle::FluentValue;

use super::model::{Action, Target};
use crate::accounts::model::UserRow;
use crate::accounts::{mails, signed_in};
use crate::state::AppState;

pub async fn moderated(
    state: &web::Data<AppState>, author: &UserRow, target: Target, action: Action, reason: &str,
    place: &str,
) {
    let Some(to) = author.email(&state.keys) else {
        return;
    };
    let what = format!(
        "{}-{}",
        target.kind(),
        if action == Action::Delete { "deleted" } else { "hidden" }
    );
    let args = [
        ("name", FluentValue::from(author.first_name.clone())),
        ("what", FluentValue::from(what)),
        ("reason", FluentValue::from(reason.to_string())),
    ];
    let link = signed_in::link(state, place);
    let mail = mails::compose(author.lang(), &to, "moderated", &args, Some(link));
    signed_in::send(state, mail).await;
}
