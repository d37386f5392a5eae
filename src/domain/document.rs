//! Identity documents: the Kazakhstan ID card and passport.

use chrono::NaiveDate;

use super::{FieldError, compact};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocType {
    IdCard,
    Passport,
}

impl DocType {
    pub fn parse(text: &str) -> Result<DocType, FieldError> {
        match text.trim() {
            "id_card" => Ok(DocType::IdCard),
            "passport" => Ok(DocType::Passport),
            _ => Err(FieldError("doc-error-type")),
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DocType::IdCard => "id_card",
            DocType::Passport => "passport",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentNumber(String);

impl DocumentNumber {
    /// ID card: 9 digits. Passport: `N` and 7–8 digits (a Cyrillic `Н` typed on a Kazakh or
    /// Russian keyboard is taken as the Latin letter).
    pub fn parse(kind: DocType, text: &str) -> Result<DocumentNumber, FieldError> {
        let text = compact(text).to_uppercase().replace('Н', "N");
        let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let ok = match kind {
            DocType::IdCard => text.len() == 9 && digits_only(&text),
            DocType::Passport => text
                .strip_prefix('N')
                .is_some_and(|rest| (7..=8).contains(&rest.len()) && digits_only(rest)),
        };
        if !ok {
            return Err(FieldError(match kind {
                DocType::IdCard => "doc-error-id-card",
                DocType::Passport => "doc-error-passport",
            }));
        }
        Ok(DocumentNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A document is issued after its holder was born and not in the future.
pub fn check_issue_date(
    issued: NaiveDate, birth: NaiveDate, today: NaiveDate,
) -> Result<(), FieldError> {
    if issued > today {
        return Err(FieldError("doc-error-issued-future"));
    }
    if issued < birth {
        return Err(FieldError("doc-error-issued-before-birth"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_cards_have_nine_digits() {
        assert_eq!(
            DocumentNumber::parse(DocType::IdCard, "043 123 456").unwrap().as_str(),
            "043123456"
        );
        assert_eq!(
            DocumentNumber::parse(DocType::IdCard, "04312345"),
            Err(FieldError("doc-error-id-card"))
        );
        assert!(DocumentNumber::parse(DocType::IdCard, "N12345678").is_err());
    }

    #[test]
    fn passports_are_n_and_seven_or_eight_digits() {
        assert_eq!(
            DocumentNumber::parse(DocType::Passport, "n1234567").unwrap().as_str(),
            "N1234567"
        );
        assert_eq!(
            DocumentNumber::parse(DocType::Passport, "Н12345678").unwrap().as_str(),
            "N12345678"
        );
        for bad in ["N123456", "N123456789", "123456789", "NA234567"] {
            assert_eq!(
                DocumentNumber::parse(DocType::Passport, bad),
                Err(FieldError("doc-error-passport")),
                "{bad}"
            );
        }
    }

    #[test]
    fn issue_dates_fall_between_birth_and_today() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (birth, today) = (d("2005-03-01"), d("2026-11-27"));
        assert!(check_issue_date(d("2021-03-02"), birth, today).is_ok());
        assert_eq!(
            check_issue_date(d("2026-11-28"), birth, today),
            Err(FieldError("doc-error-issued-future"))
        );
        assert_eq!(
            check_issue_date(d("2004-01-01"), birth, today),
            Err(FieldError("doc-error-issued-before-birth"))
        );
    }
}
