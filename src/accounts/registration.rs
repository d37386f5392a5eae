//! The registration form and its rules: every field parsed, every problem reported at once.

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::model::{GuardianDetails, NewStudent};
use crate::domain::document::check_issue_date;
use crate::domain::{DocType, DocumentNumber, Email, Iin, Password, PersonName, Phone};
use crate::web::form::FormErrors;

/// The form as typed (contract field names). Passwords are never sent back to the page.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct RegisterForm {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: String,
    pub iin: String,
    pub birth_date: String,
    pub doc_type: String,
    pub doc_number: String,
    pub doc_issued_on: String,
    pub doc_issuer: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub password: String,
    pub password_confirm: String,
    pub consent_personal_data: Option<String>,
    pub consent_photo_id: Option<String>,
    pub policy_version: String,
    pub guardian_last_name: String,
    pub guardian_first_name: String,
    pub guardian_iin: String,
    pub guardian_phone: String,
    pub guardian_email: String,
}

pub struct Registration {
    pub student: NewStudent,
    pub password: Password,
    pub photo_consent: bool,
    pub guardian: Option<GuardianDetails>,
    pub policy_version: Option<i32>,
    /// The IIN's digits suggest another birth date: worth a word, never a refusal.
    pub iin_hint_differs: bool,
}

pub fn age_on(birth: NaiveDate, today: NaiveDate) -> i32 {
    let mut age = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// `YYYY-MM-DD` from a date picker, or `DD.MM.YYYY` typed where the browser has no picker.
fn parse_date(text: &str) -> Result<NaiveDate, crate::domain::FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::domain::FieldError("text-error-empty"));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .map_err(|_| crate::domain::FieldError("date-error-invalid"))
}

fn required_text(
    errors: &mut FormErrors, field: &'static str, text: &str, max: usize,
) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        errors.add(field, "text-error-empty");
        None
    } else if text.chars().count() > max {
        errors.add(field, "text-error-long");
        None
    } else {
        Some(text)
    }
}

pub fn validate(
    form: &RegisterForm, today: NaiveDate, min_age: u32,
) -> Result<Registration, FormErrors> {
    let mut e = FormErrors::default();
    let last_name = e.check("last_name", PersonName::parse(&form.last_name));
    let first_name = e.check("first_name", PersonName::parse(&form.first_name));
    let middle_name = e.check("middle_name", PersonName::parse_optional(&form.middle_name));
    let iin = e.check("iin", Iin::parse(&form.iin));

    let birth_date = e.check("birth_date", parse_date(&form.birth_date));
    let mut minor = false;
    if let Some(birth) = birth_date {
        let age = age_on(birth, today);
        if birth > today || age > 120 {
            e.add("birth_date", "birth-date-error-unreal");
        } else if age < min_age as i32 {
            e.add("birth_date", "birth-date-error-too-young");
        } else {
            minor = age < 18;
        }
    }

    let doc_type = e.check("doc_type", DocType::parse(&form.doc_type));
    let doc_number =
        doc_type.and_then(|t| e.check("doc_number", DocumentNumber::parse(t, &form.doc_number)));
    let doc_issued_on = e.check("doc_issued_on", parse_date(&form.doc_issued_on));
    if let (Some(issued), Some(birth)) = (doc_issued_on, birth_date) {
        e.check("doc_issued_on", check_issue_date(issued, birth, today));
    }
    let doc_issuer = required_text(&mut e, "doc_issuer", &form.doc_issuer, 100);
    let phone = e.check("phone", Phone::parse(&form.phone));
    let email = e.check("email", Email::parse(&form.email));
    let address = required_text(&mut e, "address", &form.address, 300);

    let personal: Vec<&str> = [email.as_ref().map(Email::as_str), iin.as_ref().map(Iin::as_str)]
        .into_iter()
        .flatten()
        .chain(email.as_ref().map(Email::local_part))
        .collect();
    let names = [form.first_name.as_str(), form.last_name.as_str(), form.middle_name.as_str()];
    let password = e.check("password", Password::parse_for(&form.password, &personal, &names));
    if password.is_some() && form.password != form.password_confirm {
        e.add("password_confirm", "password-error-mismatch");
    }
    if form.consent_personal_data.is_none() {
        e.add("consent_personal_data", "consent-error-required");
    }

    let guardian = if minor { guardian(form, iin.as_ref(), &mut e) } else { None };

    let iin_hint_differs = match (&iin, birth_date) {
        (Some(iin), Some(birth)) => iin.hint().0 != birth,
        _ => false,
    };
    // Every field is parsed or has an error; the student exists only when all parsed.
    let student = (|| {
        Some(NewStudent {
            last_name: last_name?,
            first_name: first_name?,
            middle_name: middle_name?,
            iin: iin?,
            birth_date: birth_date?,
            doc_type: doc_type?,
            doc_number: doc_number?,
            doc_issued_on: doc_issued_on?,
            doc_issuer: doc_issuer?,
            phone: phone?,
            email: email?,
            address: address?,
            minor,
        })
    })();
    match (student, password) {
        (Some(student), Some(password)) if e.is_empty() => Ok(Registration {
            student,
            password,
            photo_consent: form.consent_photo_id.is_some(),
            guardian,
            policy_version: form.policy_version.trim().parse().ok(),
            iin_hint_differs,
        }),
        _ => Err(e),
    }
}

fn guardian(
    form: &RegisterForm, student_iin: Option<&Iin>, e: &mut FormErrors,
) -> Option<GuardianDetails> {
    let last_name = e.check("guardian_last_name", PersonName::parse(&form.guardian_last_name));
    let first_name = e.check("guardian_first_name", PersonName::parse(&form.guardian_first_name));
    let iin = e.check("guardian_iin", Iin::parse(&form.guardian_iin));
    if iin.is_some() && iin.as_ref() == student_iin {
        e.add("guardian_iin", "guardian-error-same-iin");
    }
    let phone = e.check("guardian_phone", Phone::parse(&form.guardian_phone));
    let email = e.check("guardian_email", Email::parse(&form.guardian_email));
    Some(GuardianDetails {
        last_name: last_name?,
        first_name: first_name?,
        iin: iin?,
        phone: phone?,
        email: email?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn adult_form() -> RegisterForm {
        RegisterForm {
            last_name: "Сейітқали".into(),
            first_name: "Әлия".into(),
            iin: "791028302728".into(),
            birth_date: "1979-10-28".into(),
            doc_type: "id_card".into(),
            doc_number: "043123456".into(),
            doc_issued_on: "2020-05-01".into(),
            doc_issuer: "ІІМ".into(),
            phone: "8 701 123 45 67".into(),
            email: "aliya@mail.kz".into(),
            address: "Астана, Мәңгілік Ел 1".into(),
            password: "жасыл алма 2026".into(),
            password_confirm: "жасыл алма 2026".into(),
            consent_personal_data: Some("on".into()),
            policy_version: "1".into(),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_complete_adult_form_is_accepted() {
        let r = validate(&adult_form(), today(), 16).unwrap();
        assert!(!r.student.minor);
        assert!(r.guardian.is_none());
        assert!(!r.iin_hint_differs);
        assert_eq!(r.student.phone.as_str(), "+77011234567");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut form = adult_form();
        form.iin = "901123300255".into();
        form.phone = "+79161234567".into();
        form.password_confirm = "другой".into();
        form.consent_personal_data = None;
        let errors = validate(&form, today(), 16).err().unwrap();
        assert_eq!(errors.get("iin"), Some("iin-error-check"));
        assert_eq!(errors.get("phone"), Some("phone-error-russian"));
        assert_eq!(errors.get("password_confirm"), Some("password-error-mismatch"));
        assert_eq!(errors.get("consent_personal_data"), Some("consent-error-required"));
    }

    #[test]
    fn minors_need_a_guardian_and_the_very_young_are_refused() {
        let mut form = adult_form();
        form.iin = "061211600012".into();
        form.birth_date = "2009-06-01".into();
        form.doc_issued_on = "2024-01-10".into();
        let errors = validate(&form, today(), 16).err().unwrap();
        assert_eq!(errors.get("guardian_iin"), Some("iin-error-length"));
        form.guardian_last_name = "Сейітқали".into();
        form.guardian_first_name = "Бауыржан".into();
        form.guardian_iin = "791028302728".into();
        form.guardian_phone = "+77771234567".into();
        form.guardian_email = "father@mail.kz".into();
        let ok = validate(&form, today(), 16);
        assert!(
            ok.as_ref().is_ok_and(|r| r.student.minor && r.guardian.is_some()),
            "{:?}",
            ok.err()
        );
        form.birth_date = "2012-01-01".into();
        form.doc_issued_on = "2024-01-10".into();
        let errors = validate(&form, today(), 16).err().unwrap();
        assert_eq!(errors.get("birth_date"), Some("birth-date-error-too-young"));
    }

    #[test]
    fn an_iin_that_hints_another_birth_date_is_accepted_with_a_note() {
        let mut form = adult_form();
        form.birth_date = "1979-10-29".into();
        assert!(validate(&form, today(), 16).unwrap().iin_hint_differs);
    }

    #[test]
    fn dates_come_from_pickers_or_are_typed_the_local_way() {
        assert_eq!(parse_date("1979-10-28"), parse_date("28.10.1979"));
        assert_eq!(parse_date(""), Err(crate::domain::FieldError("text-error-empty")));
        assert_eq!(parse_date("31.02.2000"), Err(crate::domain::FieldError("date-error-invalid")));
    }

    #[test]
    fn ages_count_whole_years() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(age_on(d("2008-11-27"), d("2026-11-27")), 18);
        assert_eq!(age_on(d("2008-11-28"), d("2026-11-27")), 17);
    }
}
