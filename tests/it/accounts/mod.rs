//! Accounts end to end over HTTP: registration, verification, sign-in, sessions, recovery,
//! guardians, and what ends up in the database.

mod guardian;
mod recovery;
mod registration;
mod sessions;
mod signin;

use crate::support::smtp::SmtpSink;
use crate::support::{TestApp, Visitor, dates};

pub const PASSWORD: &str = "жасыл алма 2026";

/// A server that delivers its mail to `sink`.
pub async fn app_with_mail(sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    TestApp::spawn_with(move |c| c.smtp_url = Some(url), |_| {}).await
}

/// An adult's registration form; change fields with `set`.
pub struct Form(pub Vec<(&'static str, String)>);

impl Form {
    /// The usual adult student of these tests: Әлия, aliya@mail.kz.
    pub fn aliya() -> Form {
        Form::adult("aliya@mail.kz", "791028302728", "+77011234567")
    }

    pub fn adult(email: &str, iin: &str, phone: &str) -> Form {
        Form(vec![
            ("last_name", "Сейітқали".into()),
            ("first_name", "Әлия".into()),
            ("middle_name", "".into()),
            ("iin", iin.into()),
            ("birth_date", "1979-10-28".into()),
            ("doc_type", "id_card".into()),
            ("doc_number", "043123456".into()),
            ("doc_issued_on", dates::days(-3 * 365)),
            ("doc_issuer", "ҚР ІІМ".into()),
            ("phone", phone.into()),
            ("email", email.into()),
            ("address", "Астана, Мәңгілік Ел даңғылы 8, 12 пәтер".into()),
            ("password", PASSWORD.into()),
            ("password_confirm", PASSWORD.into()),
            ("consent_personal_data", "yes".into()),
            ("policy_version", "1".into()),
        ])
    }

    /// Арман, 16, arman@mail.kz, without a guardian named yet.
    pub fn minor() -> Form {
        Form::adult("arman@mail.kz", "061211600012", "+77011234567")
            .set("birth_date", &dates::born_aged(16))
            .set("doc_issued_on", &dates::days(-300))
    }

    /// Арман with his father Бауыржан (father@mail.kz) named as guardian.
    pub fn minor_with_guardian() -> Form {
        Form::minor()
            .set("guardian_last_name", "Сейітқали")
            .set("guardian_first_name", "Бауыржан")
            .set("guardian_iin", "770707300301")
            .set("guardian_phone", "+77771234567")
            .set("guardian_email", "father@mail.kz")
    }

    pub fn set(mut self, field: &'static str, value: &str) -> Form {
        self.0.retain(|(f, _)| *f != field);
        self.0.push((field, value.into()));
        self
    }

    pub fn without(mut self, field: &str) -> Form {
        self.0.retain(|(f, _)| *f != field);
        self
    }

    pub fn fields(&self) -> Vec<(&str, &str)> {
        self.0.iter().map(|(f, v)| (*f, v.as_str())).collect()
    }
}

/// Registers through the form and, when the form was taken (a registration answers "check your
/// mail, then sign in" whether or not the details were new), signs in with its email and
/// password; returns the response to the registration's POST.
pub async fn register(visitor: &Visitor<'_>, form: &Form, lang: &str) -> crate::support::Page {
    let page = visitor.submit(&format!("/register?lang={lang}"), "/register", &form.fields()).await;
    if page.status == 303 {
        let field = |name: &str| form.0.iter().find(|(f, _)| *f == name).map(|(_, v)| v.clone());
        let (login, password) =
            (field("email").unwrap_or_default(), field("password").unwrap_or_default());
        sign_in(visitor, &login, &password).await;
    }
    page
}

/// The first link in a mail's text that starts with `prefix` (a path on the portal).
pub fn link_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in:\n{text}"));
    let rest = &text[start..];
    let end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    rest[..end].to_string()
}

/// Signs in through the form.
pub async fn sign_in(visitor: &Visitor<'_>, login: &str, password: &str) -> crate::support::Page {
    visitor
        .submit("/login", "/login", &[("login", login), ("password", password), ("next", "/me")])
        .await
}

pub fn users_count(app: &TestApp) -> i64 {
    use avtomektep::db::schema::users;
    use diesel::prelude::*;
    users::table.count().get_result(&mut app.db.conn()).unwrap()
}
