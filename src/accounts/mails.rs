//! The mails accounts send, each in the recipient's language, as plain text and HTML.

use askama::Template;
use fluent_templates::fluent_bundle::FluentValue;

use crate::i18n::Lang;
use crate::mail::Mail;

#[derive(Template)]
#[template(path = "mail/message.html")]
struct HtmlBody<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    paragraphs: &'a [String],
    action: Option<(String, String)>,
    footer: &'a str,
}

#[derive(Template)]
#[template(path = "mail/message.txt", escape = "none")]
struct TextBody<'a> {
    greeting: &'a str,
    paragraphs: &'a [String],
    action: Option<(String, String)>,
    footer: &'a str,
}

/// Builds a mail from Fluent messages `mail-<kind>-subject`, `-body` (paragraphs separated by
/// blank lines) and, with a link, `-action`. A body that does not render is an error (given to
/// `signed_in::send`, which logs it), never an empty mail.
pub fn compose(
    lang: Lang, to: &str, kind: &str, args: &[(&'static str, FluentValue<'static>)],
    link: Option<String>,
) -> askama::Result<Mail> {
    let subject = lang.t_args(&format!("mail-{kind}-subject"), args);
    let greeting = if args.iter().any(|(k, _)| *k == "name") {
        lang.t_args("mail-greeting", args)
    } else {
        lang.t("mail-greeting-anon")
    };
    let body = lang.t_args(&format!("mail-{kind}-body"), args);
    let paragraphs: Vec<String> = body.split("\n\n").map(|p| p.trim().to_string()).collect();
    let action = link.map(|url| (lang.t(&format!("mail-{kind}-action")), url));
    let footer = lang.t("mail-footer");
    let html = HtmlBody {
        lang: lang.code(),
        subject: &subject,
        greeting: &greeting,
        paragraphs: &paragraphs,
        action: action.clone(),
        footer: &footer,
    }
    .render()?;
    let text = TextBody { greeting: &greeting, paragraphs: &paragraphs, action, footer: &footer }
        .render()?;
    Ok(Mail { to: to.to_string(), subject, text, html })
}

fn name(first_name: &str) -> (&'static str, FluentValue<'static>) {
    ("name", FluentValue::from(first_name.to_string()))
}

pub fn verify_email(lang: Lang, to: &str, first_name: &str, link: String) -> askama::Result<Mail> {
    compose(lang, to, "verify", &[name(first_name)], Some(link))
}

pub fn registration_attempt(
    lang: Lang, to: &str, first_name: &str, link: String,
) -> askama::Result<Mail> {
    compose(lang, to, "attempt", &[name(first_name)], Some(link))
}

pub fn guardian_request(
    lang: Lang, to: &str, guardian_name: &str, student_name: &str, link: String,
) -> askama::Result<Mail> {
    let args = [name(guardian_name), ("student", FluentValue::from(student_name.to_string()))];
    compose(lang, to, "guardian", &args, Some(link))
}

pub fn password_reset(
    lang: Lang, to: &str, first_name: &str, link: String,
) -> askama::Result<Mail> {
    compose(lang, to, "reset", &[name(first_name)], Some(link))
}

pub fn too_many_failures(
    lang: Lang, to: &str, first_name: &str, link: String,
) -> askama::Result<Mail> {
    compose(lang, to, "locked", &[name(first_name)], Some(link))
}
