//! Personal data hidden in notification mails: a ticket is a private channel where a person may
//! give their IIN, phone, email or document number, but a mail travels through other people's
//! servers. Only the portal shows the text as written.
//!
//! - an email address keeps its first letter and its top-level domain: `a*****@*****.kz`;
//! - a number of 7 or more digits (IIN, phone, ID-card or passport number, card or account
//!   number), written with or without spaces, dashes, brackets or a leading `+`, becomes stars
//!   and its last four digits: `********0258`; letters stuck to its front (`N12345678`) go too.
//!
//! Shorter numbers (dates, times, prices under a million, group sizes) stay as written.

/// Digits from which a number counts as possibly identifying.
const MIN_DIGITS: usize = 7;
/// Digits left visible at the end of a masked number.
const VISIBLE: usize = 4;
/// What may stand between the digits of one number.
const SEPARATORS: [char; 5] = [' ', '-', '(', ')', '+'];

/// The text with email addresses and long numbers masked.
pub fn mask(text: &str) -> String {
    mask_numbers(&mask_emails(text))
}

fn is_local_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

fn mask_emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let mut start = i;
        while start > copied && is_local_char(chars[start - 1]) {
            start -= 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain_char(chars[end]) {
            end += 1;
        }
        // A sentence may end right after the address.
        while end > i + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        let domain: String = chars[i + 1..end].iter().collect();
        let Some((_, tld)) = domain.rsplit_once('.') else {
            i += 1;
            continue;
        };
        if start == i || tld.is_empty() {
            i += 1;
            continue;
        }
        out.extend(&chars[copied..start]);
        out.push(chars[start]);
        out.push_str("*****@*****.");
        out.push_str(tld);
        copied = end;
        i = end;
    }
    out.extend(&chars[copied..]);
    out
}

fn mask_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts_number = chars[i].is_ascii_digit()
            || (matches!(chars[i], '+' | '(')
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit()));
        if !starts_number {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, with at most two separators at a time between them (`) `, ` -`).
        let mut end = i;
        let mut digits = String::new();
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                digits.push(chars[end]);
                end += 1;
                continue;
            }
            let gap = (1..=2).find(|&k| {
                chars[end..].len() > k
                    && chars[end..end + k].iter().all(|c| SEPARATORS.contains(c))
                    && chars[end + k].is_ascii_digit()
            });
            match gap {
                Some(k) => end += k,
                None => break,
            }
        }
        if digits.len() < MIN_DIGITS {
            out.extend(&chars[i..end]);
            i = end;
            continue;
        }
        // Letters stuck to the front of the number belong to it (a passport number).
        let prefix = out.chars().rev().take_while(|c| c.is_alphabetic()).count();
        if (1..=2).contains(&prefix) {
            for _ in 0..prefix {
                out.pop();
            }
            out.push_str(&"*".repeat(prefix));
        }
        let hidden = digits.len() - VISIBLE;
        out.push_str(&"*".repeat(hidden));
        out.push_str(&digits[hidden..]);
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::mask;

    #[test]
    fn iins_phones_and_document_numbers_keep_only_their_last_four_digits() {
        assert_eq!(mask("ИИН 901123300258."), "ИИН ********0258.");
        assert_eq!(mask("тел. +77011234567"), "тел. *******4567");
        assert_eq!(mask("+7 (701) 123-45-67, звоните"), "*******4567, звоните");
        assert_eq!(mask("8 701 123 45 67"), "*******4567");
        assert_eq!(mask("удостоверение 043123456"), "удостоверение *****3456");
        assert_eq!(mask("паспорт N12345678"), "паспорт *****5678");
        assert_eq!(mask("ИИН:901123300258"), "ИИН:********0258");
    }

    #[test]
    fn emails_keep_a_first_letter_and_the_top_level_domain() {
        assert_eq!(
            mask("пишите на aliya.s@mail.kz."),
            "пишите на a*****@*****.kz."
        );
        assert_eq!(mask("(ivan+1@gov.example.com)"), "(i*****@*****.com)");
        assert_eq!(mask("a@b"), "a@b");
        assert_eq!(mask("@home"), "@home");
    }

    #[test]
    fn dates_times_and_small_numbers_stay() {
        let text = "Занятие 12.05.2026 в 10:00, группа 25 человек, 150 000 тенге, кабинет 3-12.";
        assert_eq!(mask(text), text);
        assert_eq!(mask(""), "");
    }

    #[test]
    fn several_items_in_one_text_are_all_masked_and_nothing_else_changes() {
        let masked = mask("Әлия, 901123300258, +77011234567\naliya@mail.kz — рахмет!");
        assert_eq!(
            masked,
            "Әлия, ********0258, *******4567\na*****@*****.kz — рахмет!"
        );
    }
}
