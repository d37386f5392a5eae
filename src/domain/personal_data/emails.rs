//! Email addresses in running text: read outwards from each `@`, so an address counts even
//! when punctuation or a label is stuck to it ("(ivan+1@gov.example.com)", "mail:a@b.kz").
//! Deliberately looser than `Email::parse`, which registration uses: a malformed address
//! ("a..b@mail.kz") still reaches a mailbox someone may guess, so it is found too.

use std::ops::Range;

/// Characters of a local part: letters and digits of any script, and RFC 5322's specials.
fn is_local(c: char) -> bool {
    c.is_alphanumeric() || "._%+-!#$&'*/=?^`{|}~".contains(c)
}

fn is_domain(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-')
}

/// The addresses in `chars`: char ranges, in order, not overlapping.
pub(super) fn find(chars: &[char]) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '@' {
            i += 1;
            continue;
        }
        let floor = found.last().map_or(0, |r| r.end);
        let mut start = i;
        while start > floor && is_local(chars[start - 1]) {
            start -= 1;
        }
        // Quotes, dashes or dots before an address are the sentence's, not the address's.
        while start < i && !chars[start].is_alphanumeric() {
            start += 1;
        }
        let mut end = i + 1;
        while end < chars.len() && is_domain(chars[end]) {
            end += 1;
        }
        // A sentence may end right after the address.
        while end > i + 1 && matches!(chars[end - 1], '.' | '-') {
            end -= 1;
        }
        // A bare host ("a@b", "@school") is no address: it needs a dot and a top-level domain.
        // (The trimming above leaves the top-level domain after the last dot non-empty.)
        if start < i && chars[i + 1..end].contains(&'.') {
            found.push(start..end);
            i = end;
        } else {
            i += 1;
        }
    }
    found
}
