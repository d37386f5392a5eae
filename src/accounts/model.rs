//! Accounts in the database. Identifiers are sealed with the key ring; each sealed value is
//! bound to its row and column (`users.iin:<id>`), and found through blind indexes.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

pub use super::sign_ins::*;
use crate::crypto::{IndexKind, KeyRing};
use crate::db::schema::{consents, guardians, users};
use crate::domain::{AccountStatus, DocType, DocumentNumber, Email, Iin, PersonName, Phone, Role};
use crate::i18n::Lang;
use crate::web::auth::SignedInAccount;

/// The names as searched: lower case, one space between.
fn search_name(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().map(|p| p.to_lowercase()).collect::<Vec<_>>().join(" ")
}

pub fn place(column: &str, id: Uuid) -> String {
    format!("users.{column}:{id}")
}

/// Everything a student gives at registration, already parsed.
pub struct NewStudent {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub middle_name: Option<PersonName>,
    pub iin: Iin,
    pub birth_date: NaiveDate,
    pub doc_type: DocType,
    pub doc_number: DocumentNumber,
    pub doc_issued_on: NaiveDate,
    pub doc_issuer: String,
    pub phone: Phone,
    pub email: Email,
    pub address: String,
    pub minor: bool,
}

/// A staff or operator account made by an administrator (`avtomektep user create`).
pub struct NewAccount {
    pub role: Role,
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub email: Email,
}

pub struct GuardianDetails {
    pub last_name: PersonName,
    pub first_name: PersonName,
    pub iin: Iin,
    pub phone: Phone,
    pub email: Email,
}

/// Which existing accounts share an identifier with a new registration.
pub struct Clash {
    /// The account told that someone tried to use its details: the one with the email, else
    /// one with the IIN or phone.
    pub owner: Option<Uuid>,
}

pub fn find_clash(
    conn: &mut PgConnection, keys: &KeyRing, email: &Email, iin: Option<&Iin>,
    phone: Option<&Phone>,
) -> QueryResult<Option<Clash>> {
    let email_index = keys.blind_index(IndexKind::Email, email.as_str());
    let iin_index = iin.map(|i| keys.blind_index(IndexKind::Iin, i.as_str()));
    let phone_index = phone.map(|p| keys.blind_index(IndexKind::Phone, p.as_str()));
    let found: Vec<(Uuid, Vec<u8>)> = users::table
        .filter(
            users::email_index
                .eq(&email_index)
                .or(users::iin_index.eq(iin_index.as_ref()).and(users::iin_index.is_not_null()))
                .or(users::phone_index
                    .eq(phone_index.as_ref())
                    .and(users::phone_index.is_not_null())),
        )
        .select((users::id, users::email_index))
        .load(conn)?;
    if found.is_empty() {
        return Ok(None);
    }
    let owner =
        found.iter().find(|(_, index)| *index == email_index).or(found.first()).map(|(id, _)| *id);
    Ok(Some(Clash { owner }))
}

pub fn insert_student(
    conn: &mut PgConnection, keys: &KeyRing, s: &NewStudent, password_hash: &str, lang: Lang,
) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    let seal = |column: &str, text: &str| keys.seal_str(text, &place(column, id));
    let status = if s.minor { AccountStatus::AwaitingGuardian } else { AccountStatus::Active };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::role.eq(Role::Student.code()),
            users::status.eq(status.code()),
            users::last_name.eq(s.last_name.as_str()),
            users::first_name.eq(s.first_name.as_str()),
            users::middle_name.eq(s.middle_name.as_ref().map(PersonName::as_str)),
            users::search_name.eq(search_name(&[
                Some(s.last_name.as_str()),
                Some(s.first_name.as_str()),
                s.middle_name.as_ref().map(PersonName::as_str),
            ])),
            users::email_sealed.eq(seal("email", s.email.as_str())),
            users::email_index.eq(keys.blind_index(IndexKind::Email, s.email.as_str())),
            users::phone_sealed.eq(seal("phone", s.phone.as_str())),
            users::phone_index.eq(keys.blind_index(IndexKind::Phone, s.phone.as_str())),
            users::iin_sealed.eq(seal("iin", s.iin.as_str())),
            users::iin_index.eq(keys.blind_index(IndexKind::Iin, s.iin.as_str())),
            users::birth_date_sealed.eq(seal("birth_date", &s.birth_date.to_string())),
            users::doc_type.eq(s.doc_type.code()),
            users::doc_number_sealed.eq(seal("doc_number", s.doc_number.as_str())),
            users::doc_issued_on.eq(s.doc_issued_on),
            users::doc_issuer.eq(&s.doc_issuer),
            users::address_sealed.eq(seal("address", &s.address)),
            users::password_hash.eq(password_hash),
            users::lang.eq(lang.code()),
            users::minor_at_registration.eq(s.minor),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn insert_account(
    conn: &mut PgConnection, keys: &KeyRing, a: &NewAccount, password_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Uuid> {
    let id = Uuid::new_v4();
    diesel::insert_into(users::table)
        .values((
            users::id.eq(id),
            users::role.eq(a.role.code()),
            users::last_name.eq(a.last_name.as_str()),
            users::first_name.eq(a.first_name.as_str()),
            users::search_name
                .eq(search_name(&[Some(a.last_name.as_str()), Some(a.first_name.as_str())])),
            users::email_sealed.eq(keys.seal_str(a.email.as_str(), &place("email", id))),
            users::email_index.eq(keys.blind_index(IndexKind::Email, a.email.as_str())),
            users::password_hash.eq(password_hash),
            // Made by an operator who vouches for the address.
            users::email_verified_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn insert_guardian(
    conn: &mut PgConnection, keys: &KeyRing, user_id: Uuid, g: &GuardianDetails,
) -> QueryResult<()> {
    let seal =
        |column: &str, text: &str| keys.seal_str(text, &format!("guardians.{column}:{user_id}"));
    diesel::insert_into(guardians::table)
        .values((
            guardians::user_id.eq(user_id),
            guardians::last_name.eq(g.last_name.as_str()),
            guardians::first_name.eq(g.first_name.as_str()),
            guardians::iin_sealed.eq(seal("iin", g.iin.as_str())),
            guardians::phone_sealed.eq(seal("phone", g.phone.as_str())),
            guardians::email_sealed.eq(seal("email", g.email.as_str())),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentKind {
    PersonalData,
    PhotoId,
    Guardian,
    Geolocation,
}

impl ConsentKind {
    pub fn code(self) -> &'static str {
        match self {
            ConsentKind::PersonalData => "personal_data",
            ConsentKind::PhotoId => "photo_id",
            ConsentKind::Guardian => "guardian",
            ConsentKind::Geolocation => "geolocation",
        }
    }
}

pub fn record_consent(
    conn: &mut PgConnection, user_id: Uuid, kind: ConsentKind, policy_version: i32,
    evidence: serde_json::Value,
) -> QueryResult<()> {
    diesel::insert_into(consents::table)
        .values((
            consents::user_id.eq(user_id),
            consents::kind.eq(kind.code()),
            consents::policy_version.eq(policy_version),
            consents::evidence.eq(evidence),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The consents in force (not withdrawn), by kind code.
pub fn consents_in_force(
    conn: &mut PgConnection, user_id: Uuid,
) -> QueryResult<Vec<(String, i32, DateTime<Utc>)>> {
    consents::table
        .filter(consents::user_id.eq(user_id))
        .filter(consents::withdrawn_at.is_null())
        .order(consents::given_at.asc())
        .select((consents::kind, consents::policy_version, consents::given_at))
        .load(conn)
}

/// The account row as stored (identifiers still sealed).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: Uuid,
    pub role: String,
    pub status: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub email_sealed: Vec<u8>,
    pub phone_sealed: Option<Vec<u8>>,
    pub iin_sealed: Option<Vec<u8>>,
    pub birth_date_sealed: Option<Vec<u8>>,
    pub doc_type: Option<String>,
    pub doc_number_sealed: Option<Vec<u8>>,
    pub doc_issued_on: Option<NaiveDate>,
    pub doc_issuer: Option<String>,
    pub address_sealed: Option<Vec<u8>>,
    pub password_hash: String,
    pub lang: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl UserRow {
    fn open(&self, keys: &KeyRing, column: &str, sealed: Option<&Vec<u8>>) -> Option<String> {
        let sealed = sealed?;
        match keys.open_str(sealed, &place(column, self.id)) {
            Ok(text) => Some(text),
            Err(e) => {
                tracing::error!(user = %self.id, column, error = %e, "a sealed value does not open");
                None
            }
        }
    }

    pub fn email(&self, keys: &KeyRing) -> Option<String> {
        self.open(keys, "email", Some(&self.email_sealed))
    }
    pub fn phone(&self, keys: &KeyRing) -> Option<String> {
        self.open(keys, "phone", self.phone_sealed.as_ref())
    }
    pub fn iin(&self, keys: &KeyRing) -> Option<String> {
        self.open(keys, "iin", self.iin_sealed.as_ref())
    }
    pub fn birth_date(&self, keys: &KeyRing) -> Option<NaiveDate> {
        let text = self.open(keys, "birth_date", self.birth_date_sealed.as_ref())?;
        match text.parse() {
            Ok(date) => Some(date),
            Err(e) => {
                tracing::error!(user = %self.id, error = %e, "a stored birth date is not a date");
                None
            }
        }
    }
    pub fn doc_number(&self, keys: &KeyRing) -> Option<String> {
        self.open(keys, "doc_number", self.doc_number_sealed.as_ref())
    }
    pub fn address(&self, keys: &KeyRing) -> Option<String> {
        self.open(keys, "address", self.address_sealed.as_ref())
    }
    pub fn role(&self) -> Option<Role> {
        Role::parse(&self.role).ok()
    }
    pub fn status(&self) -> AccountStatus {
        AccountStatus::parse(&self.status)
    }
    pub fn lang(&self) -> Lang {
        Lang::parse(&self.lang).unwrap_or_default()
    }
    pub fn full_name(&self) -> String {
        let mut name = format!("{} {}", self.last_name, self.first_name);
        if let Some(middle) = &self.middle_name {
            name.push(' ');
            name.push_str(middle);
        }
        name
    }
}

/// What `CurrentUser` checks on every signed-in request (see `web::auth::AccountReader`).
pub fn signed_in(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<SignedInAccount>> {
    let row = users::table
        .find(id)
        .select((
            users::role,
            users::status,
            users::first_name,
            users::email_verified_at.is_not_null(),
            users::password_hash,
        ))
        .first::<(String, String, String, bool, String)>(conn)
        .optional()?;
    Ok(row.map(|(role, status, first_name, email_verified, password_hash)| SignedInAccount {
        role,
        status,
        first_name,
        email_verified,
        password_hash,
    }))
}

pub fn by_id(conn: &mut PgConnection, id: Uuid) -> QueryResult<UserRow> {
    users::table.find(id).select(UserRow::as_select()).first(conn)
}

/// The account for a login typed as an email or an IIN.
pub fn by_login(
    conn: &mut PgConnection, keys: &KeyRing, login: &str,
) -> QueryResult<Option<UserRow>> {
    let index = if let Ok(email) = Email::parse(login) {
        keys.blind_index(IndexKind::Email, email.as_str())
    } else if let Ok(iin) = Iin::parse(login) {
        keys.blind_index(IndexKind::Iin, iin.as_str())
    } else {
        return Ok(None);
    };
    users::table
        .filter(users::email_index.eq(&index).or(users::iin_index.eq(&index)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Locks the account's row until the transaction ends, so that writers which read the account
/// and then change it (or rows hanging from it) take turns. `FOR NO KEY UPDATE`: rows that
/// merely reference the account can still be inserted meanwhile. Must run in a transaction.
pub fn lock(conn: &mut PgConnection, id: Uuid) -> QueryResult<()> {
    users::table.find(id).select(users::id).for_no_key_update().first::<Uuid>(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut PgConnection, id: Uuid, status: AccountStatus) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::status.eq(status.code())).execute(conn)
}

/// Changes the account's role (an approved school application makes its applicant staff).
pub fn set_role(conn: &mut PgConnection, id: Uuid, role: Role) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::role.eq(role.code())).execute(conn)
}

pub fn mark_email_verified(
    conn: &mut PgConnection, id: Uuid, now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id).filter(users::email_verified_at.is_null()))
        .set(users::email_verified_at.eq(now))
        .execute(conn)
}

pub fn set_password(conn: &mut PgConnection, id: Uuid, hash: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(hash)).execute(conn)
}

#[derive(Debug, Queryable)]
pub struct GuardianRow {
    pub last_name: String,
    pub first_name: String,
    pub email_sealed: Vec<u8>,
    pub confirmed_at: Option<DateTime<Utc>>,
}

pub fn guardian(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<GuardianRow>> {
    guardians::table
        .find(user_id)
        .select((
            guardians::last_name,
            guardians::first_name,
            guardians::email_sealed,
            guardians::confirmed_at,
        ))
        .first(conn)
        .optional()
}

pub fn confirm_guardian(
    conn: &mut PgConnection, user_id: Uuid, via: &str, by: Option<Uuid>, now: DateTime<Utc>,
) -> QueryResult<usize> {
    diesel::update(guardians::table.find(user_id).filter(guardians::confirmed_at.is_null()))
        .set((
            guardians::confirmed_at.eq(now),
            guardians::confirmed_via.eq(via),
            guardians::confirmed_by.eq(by),
        ))
        .execute(conn)
}
