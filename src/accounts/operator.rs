//! Accounts made by the operator rather than by registration: `avtomektep user create`, and the
//! demo accounts of `AVTOMEKTEP_DEMO`.

use anyhow::{Context, bail};
use chrono::NaiveDate;
use diesel::prelude::*;
use uuid::Uuid;

use super::model::{self, NewAccount, NewStudent};
use crate::audit::NewAuditEvent;
use crate::crypto::KeyRing;
use crate::domain::{DocType, DocumentNumber, Email, Iin, Password, PersonName, Phone, Role};
use crate::i18n::Lang;

/// Creates a verified account. `name` is "LAST FIRST".
pub fn create_account(
    conn: &mut PgConnection, keys: &KeyRing, role: &str, email: &str, name: &str, password: &str,
) -> anyhow::Result<Uuid> {
    // An operator's command: the system's time is the time.
    let now = crate::clock::Clock::system().now();
    let role = Role::parse(role).map_err(|_| {
        anyhow::anyhow!(
            "unknown role; use one of: student, instructor, school_staff, moderator, admin"
        )
    })?;
    let email =
        Email::parse(email).map_err(|_| anyhow::anyhow!("the email address is not valid"))?;
    let (last, first) =
        name.trim().split_once(char::is_whitespace).context("--name must be \"LAST FIRST\"")?;
    let last_name =
        PersonName::parse(last).map_err(|_| anyhow::anyhow!("the last name is not valid"))?;
    let first_name =
        PersonName::parse(first).map_err(|_| anyhow::anyhow!("the first name is not valid"))?;
    let personal = [email.as_str(), email.local_part()];
    let names = [last_name.as_str(), first_name.as_str()];
    let password = Password::parse_for(password, &personal, &names).map_err(|e| {
        anyhow::anyhow!(
            "the password is refused ({}): at least 10 characters, not a common one, not the \
             email, and not easy to guess (no repeats, sequences or keyboard rows)",
            e.message_id()
        )
    })?;
    let hash = password.hash();
    conn.transaction(|conn| {
        if model::find_clash(conn, keys, &email, None, None)?.is_some() {
            bail!("an account with this email already exists");
        }
        let id = model::insert_account(
            conn,
            keys,
            &NewAccount { role, last_name, first_name, email },
            &hash,
            now,
        )?;
        NewAuditEvent::new("account.created_by_operator")
            .on("user", id)
            .details(serde_json::json!({ "role": role.code() }))
            .record(conn)?;
        Ok(id)
    })
}

pub const DEMO_PASSWORD: &str = "demo-avtomektep-2026";

/// One account per role, made once; returns (role, email) for the start-up message.
pub fn seed_demo(conn: &mut PgConnection, keys: &KeyRing) -> anyhow::Result<Vec<(Role, String)>> {
    let now = crate::clock::Clock::system().now();
    let mut accounts = Vec::new();
    for (role, name) in [
        (Role::Admin, "Әкімшіұлы Асқар"),
        (Role::Moderator, "Модераторова Дана"),
        (Role::SchoolStaff, "Менеджерова Гүлнар"),
        (Role::Instructor, "Нұсқаушыұлы Ерлан"),
    ] {
        let email = format!("{}@demo.avtomektep.kz", role.code().replace('_', "-"));
        let parsed = Email::parse(&email).expect("a valid demo address");
        if model::find_clash(conn, keys, &parsed, None, None)?.is_none() {
            create_account(conn, keys, role.code(), &email, name, DEMO_PASSWORD)?;
        }
        accounts.push((role, email));
    }
    let email = Email::parse("student@demo.avtomektep.kz").expect("a valid demo address");
    if model::find_clash(conn, keys, &email, None, None)?.is_none() {
        let student = NewStudent {
            last_name: PersonName::parse("Оқушыбаева").expect("valid"),
            first_name: PersonName::parse("Айгерім").expect("valid"),
            middle_name: None,
            iin: Iin::parse("900101400404").expect("a valid demo IIN"),
            birth_date: NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date"),
            doc_type: DocType::IdCard,
            doc_number: DocumentNumber::parse(DocType::IdCard, "012345678").expect("valid"),
            doc_issued_on: NaiveDate::from_ymd_opt(2020, 2, 3).expect("a date"),
            doc_issuer: "ҚР ІІМ".into(),
            phone: Phone::parse("+77010000001").expect("a valid demo phone"),
            email: email.clone(),
            address: "Астана, Демо көшесі 1".into(),
            minor: false,
        };
        let hash = crate::domain::password::hash(DEMO_PASSWORD);
        conn.transaction(|conn| -> anyhow::Result<()> {
            let id = model::insert_student(conn, keys, &student, &hash, Lang::Kk)?;
            let version = crate::privacy::model::current(conn)?.number;
            let evidence = serde_json::json!({ "via": "demo" });
            for kind in [model::ConsentKind::PersonalData, model::ConsentKind::PhotoId] {
                model::record_consent(conn, id, kind, version, evidence.clone())?;
            }
            model::mark_email_verified(conn, id, now)?;
            Ok(())
        })?;
    }
    accounts.insert(0, (Role::Student, email.as_str().to_string()));
    Ok(accounts)
}
