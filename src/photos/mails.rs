//! The mail a person gets when a reviewer decides on their photo, in their language.

use actix_web::web;
use fluent_templates::fluent_bundle::FluentValue;

use crate::accounts::model::UserRow;
use crate::accounts::{mails, signed_in};
use crate::state::AppState;

/// `rejection` is (reason code, note) when the photo was rejected.
pub async fn decision(
    state: &web::Data<AppState>, owner: &UserRow, rejection: Option<(&'static str, String)>,
) {
    let Some(to) = owner.email(&state.keys) else {
        return;
    };
    let lang = owner.lang();
    let mut args = vec![("name", FluentValue::from(owner.first_name.clone()))];
    let kind = match rejection {
        None => "photo-verified",
        Some((reason, note)) => {
            let mut text = lang.t(&format!("photo-reason-{}", reason.replace('_', "-")));
            if !note.is_empty() {
                text = format!("{text} — {note}");
            }
            args.push(("reason", FluentValue::from(text)));
            "photo-rejected"
        }
    };
    let link = signed_in::link(state, "/me/photos");
    let mail = mails::compose(lang, &to, kind, &args, Some(link));
    signed_in::send(state, mail).await;
}
