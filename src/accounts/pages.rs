use askama::Template;
use askama_web::WebTemplate;
use fluent_templates::fluent_bundle::FluentValue;

use super::registration::RegisterForm;
use crate::privacy::document::PolicyDocument;
use crate::web::PageCtx;
use crate::web::form::{FORM, FormErrors};

/// Localised field errors for a page (messages may use `$min_age`).
fn localise(ctx: &PageCtx, errors: &FormErrors, min_age: u32, field: &str) -> Option<String> {
    errors.message_with(ctx, field, &[("min_age", FluentValue::from(min_age))])
}

/// The label of a registration field, for the error summary.
fn field_label(field: &str) -> Option<&'static str> {
    Some(match field.trim_start_matches("guardian_") {
        "last_name" => "field-last-name",
        "first_name" => "field-first-name",
        "middle_name" => "field-middle-name",
        "iin" => "field-iin",
        "birth_date" => "field-birth-date",
        "doc_type" => "field-doc-type",
        "doc_number" => "field-doc-number",
        "doc_issued_on" => "field-doc-issued-on",
        "doc_issuer" => "field-doc-issuer",
        "phone" => "field-phone",
        "email" => "field-email",
        "address" => "field-address",
        "password" => "field-password",
        "password_confirm" => "field-password-confirm",
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub ctx: PageCtx,
    pub form: RegisterForm,
    pub errors: FormErrors,
    pub min_age: u32,
    pub policy_version: i32,
    pub policy: std::sync::Arc<PolicyDocument>,
}

impl RegisterPage {
    pub fn err(&self, field: &str) -> Option<String> {
        localise(&self.ctx, &self.errors, self.min_age, field)
    }

    /// The error summary: (field id, "Label: message"), in form order, so that each line makes
    /// sense on its own.
    pub fn summary(&self) -> Vec<(String, String)> {
        self.errors
            .iter()
            .filter_map(|(field, _)| {
                let message = self.err(field)?;
                let line = match field_label(field) {
                    Some(label) => format!("{}: {message}", self.ctx.t(label)),
                    None => message,
                };
                Some((field.to_string(), line))
            })
            .collect()
    }

    pub fn checked(&self, value: &Option<String>) -> bool {
        value.is_some()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub login: String,
    pub next: String,
    /// A message above the form (wrong details, too many attempts).
    pub problem: Option<String>,
}

pub struct ProfileField {
    pub label: String,
    pub value: String,
}

pub struct HistoryRow {
    pub at: String,
    pub ip: String,
    pub device: String,
    pub success: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/me.html")]
pub struct MePage {
    pub ctx: PageCtx,
    /// The latest verified face photo: the person's identity is confirmed.
    pub profile_photo: Option<String>,
    pub full_name: String,
    pub role: String,
    pub email_verified: bool,
    pub awaiting_guardian: bool,
    pub fields: Vec<ProfileField>,
    pub consents: Vec<String>,
    pub history: Vec<HistoryRow>,
}

pub struct DeviceRow {
    pub id: String,
    pub device: String,
    pub ip: String,
    pub signed_in: String,
    pub last_seen: String,
    pub this_device: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/sessions.html")]
pub struct SessionsPage {
    pub ctx: PageCtx,
    pub devices: Vec<DeviceRow>,
}

/// A page with a message and at most one button (a POST form) or link.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/message.html")]
pub struct MessagePage {
    pub ctx: PageCtx,
    pub title: String,
    pub paragraphs: Vec<String>,
    /// (action path, hidden token, button label)
    pub form: Option<(String, String, String)>,
    /// (href, label)
    pub link: Option<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/guardian.html")]
pub struct GuardianPage {
    pub ctx: PageCtx,
    pub token: String,
    pub student_name: String,
    /// What the guardian consents to, in Kazakh and in Russian.
    pub consent_kk: String,
    pub consent_ru: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    pub ctx: PageCtx,
    pub email: String,
    pub errors: FormErrors,
}

impl ForgotPage {
    fn error(&self) -> Option<String> {
        self.errors.message(&self.ctx, "email")
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/password.html")]
pub struct PasswordPage {
    pub ctx: PageCtx,
    /// A refusal of the form as a whole (under `FORM`).
    pub errors: FormErrors,
}

impl PasswordPage {
    fn error(&self) -> Option<String> {
        self.errors.message(&self.ctx, FORM)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/reset.html")]
pub struct ResetPage {
    pub ctx: PageCtx,
    pub token: String,
    pub errors: FormErrors,
}

impl ResetPage {
    fn error(&self) -> Option<String> {
        self.errors.message(&self.ctx, "password")
    }
}
