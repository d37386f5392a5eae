//! Personal data in free text: the one detector behind two uses with different costs.
//!
//! - Ticket mails mask what is found ([`mask`]): a ticket is a private channel where a person
//!   may give their IIN, phone or document number, but a mail travels through other people's
//!   servers. Only the portal shows the text as written.
//! - Reviews are held for a moderator when something is found ([`first_kind`]; policy §4:
//!   third parties' personal data must not be published without their consent). The kind's
//!   code is stored in `reviews.held_reason` and names the messages `reviews-pd-<code>` and
//!   `moderation-pd-<code>` (with `_` written `-`).
//!
//! What is found, in reading order and never overlapping:
//!
//! - an email address: a local part and a dotted domain around an `@` (`emails`);
//! - a number (`numbers`), read as digit groups joined by spaces, dashes, dots or brackets
//!   ("8 701 123-45-67", "+7 (701) 1234567"): an IIN that passes its check digit, a Kazakh
//!   mobile, a 9-digit ID-card number, a passport number (`N12345678`), and any other number
//!   of 7 or more digits — an IIN with a typo, a landline or foreign phone, a card or account
//!   number. The domain parsers decide the named kinds, so "looks like" means what
//!   registration accepts.
//!
//! Left alone: shorter numbers ("5 stars", "150 000 tenge", "кабинет 3-12"), dates and times
//! ("12.05.2026", "2026-05-12", "10:00"), years and spans of years ("2024-2025"), and codes
//! glued to letters ("123ABC01", "A1234567890") unless they are a passport, IIN or phone.

mod emails;
mod numbers;
#[cfg(test)]
mod tests;

use std::ops::Range;

/// What kind of personal data a piece of text seems to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Iin,
    Phone,
    Email,
    IdCard,
    Passport,
    /// A long number that is none of the above, or that fails their checks.
    Number,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Iin, Kind::Phone, Kind::Email, Kind::IdCard, Kind::Passport, Kind::Number];

    /// Stored in `reviews.held_reason`: never rename one.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Iin => "iin",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::IdCard => "id_card",
            Kind::Passport => "passport",
            Kind::Number => "number",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One piece of personal data: its kind and where it is, as a byte range into the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub range: Range<usize>,
}

/// Every piece of personal data in `text`, in reading order, not overlapping.
pub fn find(text: &str) -> Vec<Found> {
    let chars: Vec<char> = text.chars().collect();
    // Byte offset of each char, and of the end.
    let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    // Addresses first: digits inside one ("student1@mail.kz") are part of it, not a number.
    let mut found: Vec<(Range<usize>, Kind)> = Vec::new();
    let mut from = 0;
    for email in emails::find(&chars) {
        found.extend(numbers::find(&chars, from..email.start));
        from = email.end;
        found.push((email, Kind::Email));
    }
    found.extend(numbers::find(&chars, from..chars.len()));
    found
        .into_iter()
        .map(|(r, kind)| Found { kind, range: offsets[r.start]..offsets[r.end] })
        .collect()
}

/// The first kind of personal data in `text`, in reading order, if any.
pub fn first_kind(text: &str) -> Option<Kind> {
    find(text).first().map(|f| f.kind)
}

/// Digits left visible at the end of a masked number: enough to recognise one's own.
const VISIBLE: usize = 4;

/// The text with everything found masked: an email address keeps its first character and its
/// top-level domain (`a*****@*****.kz`); a number becomes a star for each of its letters and
/// digits but the last four digits, which stay (`********0258`; `N12345678` is `*****5678`),
/// its spaces and brackets gone.
pub fn mask(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for Found { kind, range } in find(text) {
        out.push_str(&text[copied..range.start]);
        let item = &text[range.clone()];
        if kind == Kind::Email {
            let first = item.chars().next().unwrap_or_default();
            let tld = item.rsplit_once('.').map_or("", |(_, tld)| tld);
            out.push(first);
            out.push_str("*****@*****.");
            out.push_str(tld);
        } else {
            let shown = item.chars().filter(|c| c.is_alphanumeric()).count();
            let digits: Vec<char> = item.chars().filter(char::is_ascii_digit).collect();
            let last = &digits[digits.len().saturating_sub(VISIBLE)..];
            out.push_str(&"*".repeat(shown - last.len()));
            out.extend(last);
        }
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}
