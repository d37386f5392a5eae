//! Text that looks like someone's personal data (policy §4: third parties' personal data must
//! not be published without their consent): an IIN that passes the check digit, a Kazakh mobile
//! number, an email address, a 9-digit ID-card number.
//!
//! The domain parsers decide, so "looks like" means exactly what registration accepts. Numbers
//! are read as runs of digit groups separated by spaces, dashes, dots or brackets ("8 701 123-45-67",
//! "+7 (701) 1234567"); every run of whole groups is tried, so a phone number followed by a
//! year is still found. Plain numbers ("5 stars", "2024", "150 000 tenge") are left alone.

use crate::domain::{DocType, DocumentNumber, Email, Iin, Phone};

/// What kind of personal data a text seems to contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Iin,
    Phone,
    Email,
    IdCard,
}

impl Kind {
    /// Stored in `reviews.held_reason`; messages are `moderation-pd-<code>`.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Iin => "iin",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::IdCard => "id_card",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        [Kind::Iin, Kind::Phone, Kind::Email, Kind::IdCard]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// The first kind of personal data found in `text`, if any.
pub fn personal_data(text: &str) -> Option<Kind> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = numbers(&chars).into_iter().map(|(_, _, kind)| kind);
    found
        .next()
        .or_else(|| emails(&chars).into_iter().next().map(|_| Kind::Email))
}

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '(' | ')' | '.' | '\u{00A0}')
}

/// A group of digits (the first may start with '+'): char positions [start, end).
struct Group {
    start: usize,
    end: usize,
    digits: usize,
}

/// Runs of digit groups joined by single separators.
fn runs(chars: &[char]) -> Vec<Vec<Group>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            || (chars[i] == '+' && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        // A number glued to letters ("A123", "123ABC01") is a code, not a run of its own.
        let glued = i > 0 && chars[i - 1].is_alphanumeric();
        if !starts_number || glued {
            i += 1;
            continue;
        }
        let mut groups = Vec::new();
        loop {
            let start = i;
            if chars[i] == '+' {
                i += 1;
            }
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push(Group {
                start,
                end: i,
                digits: chars[start..i]
                    .iter()
                    .filter(|c| c.is_ascii_digit())
                    .count(),
            });
            // Up to two separators ("123 - 45", "(701) 123") and then digits continue the run.
            let mut j = i;
            while j < chars.len() && j < i + 2 && is_separator(chars[j]) {
                j += 1;
            }
            if j > i && j < chars.len() && chars[j].is_ascii_digit() {
                i = j;
            } else {
                break;
            }
        }
        runs.push(groups);
    }
    runs
}

/// Personal-data numbers found: (start, end, kind), in reading order, not overlapping.
fn numbers(chars: &[char]) -> Vec<(usize, usize, Kind)> {
    let mut found = Vec::new();
    for groups in runs(chars) {
        let mut from = 0;
        'start: while from < groups.len() {
            // Longest window first: "8 701 123 45 67" is a phone, not a 9-digit ID card.
            let mut windows = Vec::new();
            let mut digits = 0;
            for (to, group) in groups.iter().enumerate().skip(from) {
                digits += group.digits;
                if digits > 12 {
                    break;
                }
                windows.push((to, digits));
            }
            for &(to, digits) in windows.iter().rev() {
                let (start, end) = (groups[from].start, groups[to].end);
                let text: String = chars[start..end].iter().collect();
                if let Some(kind) = classify(&text, digits) {
                    found.push((start, end, kind));
                    from = to + 1;
                    continue 'start;
                }
            }
            from += 1;
        }
    }
    found
}

fn classify(text: &str, digits: usize) -> Option<Kind> {
    let plain: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits {
        12 if !text.starts_with('+') && Iin::parse(&plain).is_ok() => Some(Kind::Iin),
        10 | 11 if Phone::parse(text).is_ok() => Some(Kind::Phone),
        9 if !text.starts_with('+') && DocumentNumber::parse(DocType::IdCard, &plain).is_ok() => {
            Some(Kind::IdCard)
        }
        _ => None,
    }
}

/// Email addresses: whitespace-separated words with an '@' that the domain parser accepts once
/// the punctuation around them is trimmed. (start, end) char positions.
fn emails(chars: &[char]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut end = i;
        while end < chars.len() && !chars[end].is_whitespace() {
            end += 1;
        }
        let trim = |c: &char| {
            matches!(
                c,
                ',' | ';'
                    | ':'
                    | '('
                    | ')'
                    | '<'
                    | '>'
                    | '"'
                    | '\''
                    | '['
                    | ']'
                    | '«'
                    | '»'
                    | '.'
                    | '!'
                    | '?'
            )
        };
        let mut start = i;
        let mut stop = end;
        while start < stop && trim(&chars[start]) {
            start += 1;
        }
        while stop > start && trim(&chars[stop - 1]) {
            stop -= 1;
        }
        let word: String = chars[start..stop].iter().collect();
        if word.contains('@') && Email::parse(&word).is_ok() {
            found.push((start, stop));
        }
        i = end;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared identifiers (the same file as `/work/shared/testdata/kz-identifiers.json`).
    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/data/kz-identifiers.json")).unwrap()
    }

    #[test]
    fn valid_iins_are_found_inside_text_and_invalid_ones_are_not() {
        let v = vectors();
        for iin in v["iin_valid"].as_array().unwrap() {
            let iin = iin.as_str().unwrap();
            assert_eq!(
                personal_data(&format!("Менің ЖСН: {iin}, хабарласыңыз")),
                Some(Kind::Iin),
                "{iin}"
            );
        }
        for iin in v["iin_invalid"].as_object().unwrap().keys() {
            let found = personal_data(&format!("Номер {iin} в тексте"));
            assert_ne!(found, Some(Kind::Iin), "{iin} fails the check");
            assert_ne!(found, Some(Kind::Phone), "{iin}");
        }
        assert_eq!(personal_data("ИИН 7910 2830 2728"), Some(Kind::Iin));
    }

    #[test]
    fn kazakh_mobiles_are_found_however_they_are_written() {
        let v = vectors();
        for phone in v["phone_kz_mobile_valid"].as_array().unwrap() {
            let phone = phone.as_str().unwrap();
            assert_eq!(
                personal_data(&format!("звоните {phone}!")),
                Some(Kind::Phone),
                "{phone}"
            );
        }
        for text in [
            "тел. 8 701 123 45 67",
            "+7 (701) 123-45-67 после обеда",
            "8-777-123-45-67",
            "номер 701 123 4567",
            "звоните 8 701 123 45 67 2024 года",
        ] {
            assert_eq!(personal_data(text), Some(Kind::Phone), "{text}");
        }
        for text in v["phone_invalid"].as_object().unwrap().keys() {
            assert_eq!(personal_data(text), None, "{text} is not a Kazakh mobile");
        }
    }

    #[test]
    fn emails_and_id_card_numbers_are_found() {
        assert_eq!(
            personal_data("пишите на (aigerim.k@mail.kz)."),
            Some(Kind::Email)
        );
        assert_eq!(personal_data("удостоверение 043123456"), Some(Kind::IdCard));
        assert_eq!(
            personal_data("удостоверение 043 123 456"),
            Some(Kind::IdCard)
        );
        assert_eq!(personal_data("a@b и @school"), None);
    }

    #[test]
    fn ordinary_numbers_are_not_personal_data() {
        for text in [
            "5 stars, 10 из 10",
            "Учился в 2024 году, сдал с 1-го раза",
            "Стоимость 150 000 тенге, 56 часов вождения",
            "Категория B, группа 12, 3 месяца",
            "Автобус 2024-2025",
            "Машина 123ABC01, кабинет A1234567890",
            "",
        ] {
            assert_eq!(personal_data(text), None, "{text}");
        }
    }
}
