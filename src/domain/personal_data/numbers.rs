//! Numbers in running text. People write them in groups ("8 701 123-45-67", "+7 (701)
//! 1234567", "7910 2830 2728"), so the text is read as runs of digit groups joined by one or
//! two separators, and then:
//!
//! 1. from each group on, the longest window of whole groups that is an IIN, a Kazakh mobile or
//!    an ID-card number is taken — longest first, because "8 701 123 45 67" is a phone, not a
//!    9-digit ID card; trying every start means a phone followed by a year is still found;
//! 2. what is left of a run, cut at dots (so "12.05.2026" stays three small numbers), is a
//!    `Number` if it has 7 or more digits and is not a date or a span of years ("2024-2025").
//!
//! A number glued to letters ("123ABC01", "A1234567890") is a code — a car plate, a room, an
//! order — and counts only as a passport (`N12345678`), an IIN or a phone, whose checks make a
//! chance match unlikely; any nine digits are an ID card's shape, too weak a sign there.

use std::ops::Range;

use super::Kind;
use crate::domain::{DocType, DocumentNumber, Iin, Phone};

/// What may stand between the groups of one number.
const SEPARATORS: [char; 7] = [' ', '\u{00A0}', '-', '(', ')', '.', '+'];
/// Digits from which a number of no known kind still counts as possibly identifying: phone
/// numbers without a city code have 7; prices under a million, group sizes and years fewer.
const MIN_DIGITS: usize = 7;
/// The longest known kind, an IIN.
const MAX_DIGITS: usize = 12;

/// Digits, maybe opened by a `+` or `(`: char positions [start, end).
struct Group {
    start: usize,
    end: usize,
    digits: usize,
    /// The separator before it has a dot: a date or a sentence's end, not one number.
    after_dot: bool,
}

/// A run of groups; `glued` when a letter or digit stands right before the first one.
struct Run {
    groups: Vec<Group>,
    glued: bool,
}

/// Numbers found in `chars[within]` (char ranges, in order, not overlapping). The text before
/// `within` is looked at only to see what a number is glued to.
pub(super) fn find(chars: &[char], within: Range<usize>) -> Vec<(Range<usize>, Kind)> {
    runs(chars, within.clone()).iter().flat_map(|run| in_run(chars, within.start, run)).collect()
}

fn opens_group(chars: &[char], i: usize, stop: usize) -> bool {
    chars[i].is_ascii_digit()
        || (matches!(chars[i], '+' | '(') && i + 1 < stop && chars[i + 1].is_ascii_digit())
}

fn runs(chars: &[char], within: Range<usize>) -> Vec<Run> {
    let Range { start: floor, end: stop } = within;
    let mut runs = Vec::new();
    let mut i = floor;
    while i < stop {
        if !opens_group(chars, i, stop) {
            i += 1;
            continue;
        }
        let glued = i > 0 && chars[i - 1].is_alphanumeric();
        let mut groups = Vec::new();
        let (mut start, mut after_dot) = (i, false);
        loop {
            let digits_from = start + usize::from(!chars[start].is_ascii_digit());
            let mut end = digits_from;
            while end < stop && chars[end].is_ascii_digit() {
                end += 1;
            }
            groups.push(Group { start, end, digits: end - digits_from, after_dot });
            // One or two separators ("123 - 45", "(701) 123") and then digits continue it.
            let mut next = end;
            while next < stop && next < end + 2 && SEPARATORS.contains(&chars[next]) {
                next += 1;
            }
            if next == end || next == stop || !chars[next].is_ascii_digit() {
                i = end;
                break;
            }
            after_dot = chars[end..next].contains(&'.');
            // "… +7 701" and "8 (701)": the sign opens the next group.
            start = if matches!(chars[next - 1], '+' | '(') { next - 1 } else { next };
        }
        runs.push(Run { groups, glued });
    }
    runs
}

/// The numbers of one run: (char range, kind), in order.
fn in_run(chars: &[char], floor: usize, run: &Run) -> Vec<(Range<usize>, Kind)> {
    let groups = &run.groups;
    // (first group, last group, kind, first char)
    let mut found: Vec<(usize, usize, Kind, usize)> = Vec::new();
    let mut from = 0;
    if run.glued {
        if let Some(start) = passport(chars, floor, &groups[0]) {
            found.push((0, 0, Kind::Passport, start));
            from = 1;
        }
    }
    'from: while from < groups.len() {
        let mut windows = Vec::new();
        let mut digits = 0;
        for (to, group) in groups.iter().enumerate().skip(from) {
            digits += group.digits;
            if digits > MAX_DIGITS {
                break;
            }
            windows.push((to, digits));
        }
        for &(to, digits) in windows.iter().rev() {
            let (start, end) = (groups[from].start, groups[to].end);
            let text: String = chars[start..end].iter().collect();
            if let Some(kind) = known(&text, digits, run.glued && from == 0) {
                found.push((from, to, kind, start));
                from = to + 1;
                continue 'from;
            }
        }
        from += 1;
    }
    // What is left: stretches of groups no kind took, cut at dots; a glued first group is a code.
    let taken = |g: usize| found.iter().any(|f| (f.0..=f.1).contains(&g));
    let mut g = 0;
    let mut rest = Vec::new();
    while g < groups.len() {
        if taken(g) || (run.glued && g == 0) {
            g += 1;
            continue;
        }
        let first = g;
        g += 1;
        while g < groups.len() && !taken(g) && !groups[g].after_dot {
            g += 1;
        }
        let stretch = &groups[first..g];
        let digits: usize = stretch.iter().map(|s| s.digits).sum();
        if digits >= MIN_DIGITS && !is_calendar(chars, stretch) {
            rest.push((first, g - 1, Kind::Number, groups[first].start));
        }
    }
    found.extend(rest);
    found.sort_by_key(|f| f.0);
    found.into_iter().map(|(_, last, kind, start)| (start..groups[last].end, kind)).collect()
}

/// The kind the domain parsers give a window of `digits` digits, if any.
fn known(text: &str, digits: usize, glued: bool) -> Option<Kind> {
    let plain: String = text.chars().filter(char::is_ascii_digit).collect();
    // "+…" is written as a phone number, whatever its digits.
    let international = text.starts_with('+');
    match digits {
        12 if !international && Iin::parse(&plain).is_ok() => Some(Kind::Iin),
        10 | 11 if Phone::parse(text).is_ok() => Some(Kind::Phone),
        9 if !international && !glued && DocumentNumber::parse(DocType::IdCard, &plain).is_ok() => {
            Some(Kind::IdCard)
        }
        _ => None,
    }
}

/// A passport number: the letters right before `group` and its digits, as registration reads
/// them. The first char of the letters, if so.
fn passport(chars: &[char], floor: usize, group: &Group) -> Option<usize> {
    if !chars[group.start].is_ascii_digit() {
        return None;
    }
    let mut start = group.start;
    while start > floor && chars[start - 1].is_alphabetic() {
        start -= 1;
    }
    if start > 0 && chars[start - 1].is_alphanumeric() {
        return None;
    }
    let text: String = chars[start..group.end].iter().collect();
    DocumentNumber::parse(DocType::Passport, &text).is_ok().then_some(start)
}

/// Two years ("2024-2025"), or a day, month and year in either order ("12-05-2026").
fn is_calendar(chars: &[char], groups: &[Group]) -> bool {
    // Only groups of up to four digits are read, so the value always fits.
    let value = |g: &Group, max_digits: usize| {
        (g.digits <= max_digits).then(|| {
            chars[g.end - g.digits..g.end]
                .iter()
                .fold(0, |n, c| n * 10 + c.to_digit(10).unwrap_or_default())
        })
    };
    let year = |g: &Group| value(g, 4).is_some_and(|v| g.digits == 4 && (1900..=2099).contains(&v));
    let month = |g: &Group| value(g, 2).is_some_and(|v| (1..=12).contains(&v));
    let day = |g: &Group| value(g, 2).is_some_and(|v| (1..=31).contains(&v));
    match groups {
        [a, b] => year(a) && year(b),
        [a, b, c] => (day(a) && month(b) && year(c)) || (year(a) && month(b) && day(c)),
        _ => false,
    }
}
