//! IIN (individual identification number) and BIN (business identification number): 12 digits
//! with a two-pass mod-11 check digit.

use chrono::NaiveDate;

use super::{FieldError, compact};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Iin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Iin {
    pub fn parse(text: &str) -> Result<Iin, FieldError> {
        let digits = twelve_digits(text, "iin-error-length", "iin-error-digits")?;
        // The check digit first: a wrong one most often means a typo anywhere in the number.
        if check_digit(&digits) != Some(digits[11]) {
            return Err(FieldError("iin-error-check"));
        }
        if hinted_birth(&digits).is_none() {
            return Err(FieldError("iin-error-date"));
        }
        Ok(Iin(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date and sex that digits 1–7 suggest. Only a hint: newer IINs need not
    /// encode them, so a mismatch with the entered birth date is a warning, never a refusal.
    pub fn hint(&self) -> (NaiveDate, Sex) {
        let digits: Vec<u8> = self.0.bytes().map(|b| b - b'0').collect();
        hinted_birth(&digits).expect("checked by parse")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bin(String);

impl Bin {
    pub fn parse(text: &str) -> Result<Bin, FieldError> {
        let digits = twelve_digits(text, "bin-error-length", "bin-error-digits")?;
        let month = digits[2] * 10 + digits[3];
        if !(1..=12).contains(&month) {
            return Err(FieldError("bin-error-month"));
        }
        // Digit 5: 4 resident legal entity, 5 non-resident, 6 individual entrepreneur (joint).
        // Digit 6: 0 head office, 1 branch, 2 representative office, 3 farm.
        if !(4..=6).contains(&digits[4]) || digits[5] > 3 {
            return Err(FieldError("bin-error-type"));
        }
        if check_digit(&digits) != Some(digits[11]) {
            return Err(FieldError("bin-error-check"));
        }
        Ok(Bin(digits.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn twelve_digits(
    text: &str, length: &'static str, not_digits: &'static str,
) -> Result<Vec<u8>, FieldError> {
    let text = compact(text);
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError(not_digits));
    }
    if text.len() != 12 {
        return Err(FieldError(length));
    }
    Ok(text.bytes().map(|b| b - b'0').collect())
}

/// The check digit of the first 11 digits, or `None` when both passes give 10 (such a number
/// is never issued).
fn check_digit(digits: &[u8]) -> Option<u8> {
    let pass = |weights: [u32; 11]| -> u32 {
        let sum: u32 = digits[..11].iter().zip(weights).map(|(&d, w)| u32::from(d) * w).sum();
        sum % 11
    };
    let first = pass([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    let result = if first == 10 { pass([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]) } else { first };
    (result != 10).then_some(result as u8)
}

/// Digits 1–6 are YYMMDD; digit 7 gives the century and sex (1/2: 1800s, 3/4: 1900s,
/// 5/6: 2000s; odd male, even female).
fn hinted_birth(digits: &[u8]) -> Option<(NaiveDate, Sex)> {
    let century = match digits[6] {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return None,
    };
    let two = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let date = NaiveDate::from_ymd_opt(century + two(0) as i32, two(2), two(4))?;
    let sex = if digits[6] % 2 == 1 { Sex::Male } else { Sex::Female };
    Some((date, sex))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vectors() -> serde_json::Value {
        serde_json::from_str(include_str!("../../tests/data/kz-identifiers.json")).unwrap()
    }

    #[test]
    fn the_published_valid_iins_parse() {
        for iin in vectors()["iin_valid"].as_array().unwrap() {
            let iin = iin.as_str().unwrap();
            assert_eq!(Iin::parse(iin).map(|i| i.0), Ok(iin.to_string()), "{iin}");
        }
    }

    #[test]
    fn the_published_invalid_iins_are_refused_for_the_right_reason() {
        let cases = [
            ("901123300255", "iin-error-check"),
            ("123456789012", "iin-error-check"),
            ("821214240092", "iin-error-check"),
            ("000000000000", "iin-error-date"),
            ("79102830272", "iin-error-length"),
            ("7910283027281", "iin-error-length"),
            ("79102830272a", "iin-error-digits"),
        ];
        for (iin, reason) in cases {
            assert_eq!(Iin::parse(iin), Err(FieldError(reason)), "{iin}");
        }
        let listed = vectors()["iin_invalid"].as_object().unwrap().len();
        assert_eq!(listed, cases.len(), "every published vector is covered");
    }

    #[test]
    fn the_second_pass_decides_when_the_first_gives_ten() {
        assert_eq!(check_digit(&digits("061211600012")), Some(2));
        assert_eq!(check_digit(&digits("821214240092")), None);
    }

    #[test]
    fn spaces_are_forgiven_and_the_hint_is_read() {
        let iin = Iin::parse(" 7910 2830 2728 ").unwrap();
        assert_eq!(iin.as_str(), "791028302728");
        assert_eq!(iin.hint(), (NaiveDate::from_ymd_opt(1979, 10, 28).unwrap(), Sex::Male));
        let (date, sex) = Iin::parse("061211600012").unwrap().hint();
        assert_eq!((date.to_string(), sex), ("2006-12-11".to_string(), Sex::Female));
    }

    #[test]
    fn bins_follow_the_published_vectors() {
        let v = vectors();
        for bin in v["bin_valid"].as_array().unwrap() {
            let bin = bin.as_str().unwrap();
            assert!(Bin::parse(bin).is_ok(), "{bin}");
        }
        assert_eq!(Bin::parse("990940003031"), Err(FieldError("bin-error-check")));
        assert_eq!(Bin::parse("949940000385"), Err(FieldError("bin-error-month")));
        assert_eq!(Bin::parse("940190000385"), Err(FieldError("bin-error-type")));
    }

    fn digits(text: &str) -> Vec<u8> {
        text.bytes().map(|b| b - b'0').collect()
    }
}
